#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace xmlshred::app {

struct import_options {
  std::vector<std::string> paths;
  std::string source_url;
  std::vector<std::string> contract_files;
};

/// Adds `xmlshred import` to `parent`; `exit_code` receives the result.
void add_import_command(CLI::App& parent, import_options& options,
                        int& exit_code);

/// Loads XML files (and the .xml files of folders, recursively, in name
/// order) into the source table, keyed by each document's identity value.
/// A present key is reported and skipped, never overwritten. Returns 0 when
/// every file was loaded or already present, 1 when some file could not be
/// loaded (each is named), 2 for bad usage or contracts.
int run_import(const import_options& options);

}  // namespace xmlshred::app
