#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace xmlshred::config {

/// Everything one `xmlshred run` needs to know. Defaults suit a long
/// unattended run on the machine it runs on.
struct run_settings {
  std::string source_url;
  std::string target_url;
  std::vector<std::string> contract_files;

  /// Transformer actors; 0 means one per core.
  std::size_t workers = 0;
  /// Records committed together in one transaction.
  std::size_t batch_size = 200;
  /// Stop after this many records have been read; 0 means no limit.
  std::size_t limit = 0;
  /// Keys fetched per keyset page from the source.
  std::size_t page_size = 1000;
  /// Records between reader and committed checkpoint at most (credit);
  /// 0 means derived from batch size and workers.
  std::size_t max_in_flight = 0;
  /// Tries per record before a crashing record is failed as `crash`.
  int max_attempts = 3;
  /// A partly filled batch is committed after this long without new input.
  int commit_interval_ms = 500;
  /// Create missing target tables from the shipped DDL.
  bool create_schema = true;

  std::string log_level = "info";
  /// Where the JSON summary goes; empty means no JSON summary.
  std::string summary_json;

  /// Worker count after resolving 0 to the number of cores.
  std::size_t effective_workers() const;
  /// In-flight limit after resolving 0.
  std::size_t effective_max_in_flight() const;
};

/// A configuration problem: which file, where inside it, and the fix.
struct config_error {
  std::string file;
  std::string path;
  std::string message;

  /// "FILE: PATH: MESSAGE" for printing.
  std::string describe() const;
};

/// Reads a TOML run configuration over `defaults`. Unknown keys are errors
/// (a typo must not silently fall back to a default). Relative contract
/// paths are taken relative to the file's folder.
[[nodiscard]] std::variant<run_settings, config_error> load_run_config(
    const std::string& file, run_settings defaults = {});

/// Checks values that make no sense whatever their origin (zero batch,
/// missing URLs, ...). `origin` names where they came from.
[[nodiscard]] std::optional<config_error> validate_run_settings(
    const run_settings& settings, const std::string& origin);

}  // namespace xmlshred::config
