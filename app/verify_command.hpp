#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace xmlshred::app {

/// What the command line said about a verification.
struct verify_options {
  std::string source_url;
  std::string target_url;
  std::vector<std::string> contract_files;
  /// Print the report as JSON instead of text.
  bool json = false;
  /// Count warnings (e.g. log rows for keys not in the source) as
  /// problems.
  bool strict = false;
};

/// Adds `xmlshred verify` to `parent`; `exit_code` receives the result.
void add_verify_command(CLI::App& parent, verify_options& options,
                        int& exit_code);

/// Checks that the target accounts for every source key exactly once and
/// that its tables hang together (docs/verification.md lists the checks),
/// and prints the report on stdout. Returns 0 when consistent (warnings
/// allowed unless `strict`), 1 when some check found a problem, 2 for bad usage or a target
/// without processing_log, 3 when a database cannot be read.
int run_verify(const verify_options& options);

}  // namespace xmlshred::app
