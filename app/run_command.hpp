#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "config/run_config.hpp"

namespace xmlshred::app {

/// What the command line said about a run; unset values come from the
/// configuration file, then from the defaults.
struct run_options {
  std::string config_file;
  std::optional<std::string> source_url;
  std::optional<std::string> target_url;
  std::vector<std::string> contract_files;
  std::optional<std::size_t> workers;
  std::optional<std::size_t> batch_size;
  std::optional<std::size_t> limit;
  std::optional<int> max_attempts;
  std::optional<std::string> summary_json;
  std::optional<std::string> log_level;
  std::optional<int> record_timeout_ms;
  std::optional<std::string> events_file;
  std::vector<std::string> faults;
  std::optional<std::uint64_t> fault_seed;
  /// Run in a child process and restart it when it dies.
  bool supervise = false;
  /// Create nothing in the target; check it is ready instead.
  bool no_ddl = false;
};

/// Adds `xmlshred run` to `parent`; `exit_code` receives the result.
void add_run_command(CLI::App& parent, run_options& options, int& exit_code);

/// Runs a conversion job and returns its exit code (0, 1, 2, 3, 130, 143).
int run_conversion(const run_options& options);

}  // namespace xmlshred::app
