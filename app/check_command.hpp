#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace xmlshred::app {

/// What the command line said about a contract check.
struct check_options {
  std::vector<std::string> contract_files;
  /// Empty: check the contracts alone, without a database.
  std::string target_url;
};

/// Adds `xmlshred check` to `parent`; `exit_code` receives the result.
void add_check_command(CLI::App& parent, check_options& options,
                       int& exit_code);

/// Validates every contract file, then the contracts together and, given a
/// target, against its live schema (tables, columns, types, lengths, NOT
/// NULL columns). Prints every problem and warning on stdout as
/// "error|warning: FILE: JSON-PATH: message" and a summary line. Writes
/// nothing anywhere. Returns 0 without problems (warnings allowed), 2 with
/// any problem or a bad target URL, 3 when the target cannot be read.
int run_check(const check_options& options);

}  // namespace xmlshred::app
