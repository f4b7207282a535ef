#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace xmlshred::app {

/// What the command line said about a dump.
struct dump_options {
  std::string target_url;
  std::vector<std::string> contract_files;
  /// Only these tables (contract tables or processing_log); all if empty.
  std::vector<std::string> tables;
  /// Write here instead of stdout.
  std::string out_file;
};

/// Adds `xmlshred dump` to `parent`; `exit_code` receives the result.
void add_dump_command(CLI::App& parent, dump_options& options, int& exit_code);

/// Writes the canonical text dump of the target's contract tables and
/// processing_log (docs/verification.md): the same bytes for the same data
/// whatever the run ids, worker counts or backend. Returns 0 when written,
/// 2 for bad usage (contract, URL, unknown --table, unwritable --out), 3
/// when the database cannot be read.
int run_dump(const dump_options& options);

}  // namespace xmlshred::app
