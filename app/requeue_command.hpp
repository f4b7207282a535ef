#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "domain/record.hpp"

namespace xmlshred::app {

/// What the command line said about a requeue; exactly one of keys,
/// category and status selects the records.
struct requeue_options {
  std::string target_url;
  std::vector<std::string> contract_files;
  std::vector<domain::record_key> keys;
  std::optional<std::string> category;
  std::optional<std::string> status;
  bool dry_run = false;
};

/// Adds `xmlshred requeue` to `parent`; `exit_code` receives the result.
void add_requeue_command(CLI::App& parent, requeue_options& options,
                         int& exit_code);

/// Makes the selected records eligible for the next run (their rows and
/// processing-log rows deleted in one transaction, each one recorded in
/// requeue_log) and prints what was done. Returns 0 when done (also when
/// nothing matched), 2 for bad usage, 3 when the database refused (nothing
/// changed).
int run_requeue(const requeue_options& options);

}  // namespace xmlshred::app
