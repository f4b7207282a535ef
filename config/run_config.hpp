#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace xmlshred::config {

/// How one supervisor restarts its children (see docs/supervision.md).
struct restart_settings {
  /// one_for_one, one_for_all or rest_for_one.
  std::string strategy = "one_for_one";
  /// More than this many crashes not caused by a record within
  /// `within_ms` escalate to the parent, which ends the run (exit 3).
  int max_restarts = 10;
  int within_ms = 60000;
  int backoff_min_ms = 100;
  int backoff_max_ms = 10000;
  /// Random variation of each delay, as a fraction (0.2 = +/-20%).
  double jitter = 0.2;
  /// A calm period after which the backoff starts again from the minimum.
  int reset_after_ms = 30000;
};

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
  /// Time budget of one record's transformation; a record over it fails
  /// with category `timeout` and the run goes on.
  int record_timeout_ms = 60000;
  /// A record in flight when the process died this many times fails as
  /// `process_crash` without being processed again.
  int max_process_crashes = 3;
  /// The in-flight journal; empty means beside a SQLite target, or
  /// xmlshred.inflight in the working folder for other targets.
  std::string journal_file;
  /// Create missing target tables from the shipped DDL.
  bool create_schema = true;

  restart_settings source_supervision;
  restart_settings transform_supervision;
  restart_settings sink_supervision;
  /// `run --supervise`: restarts of a dead run before giving up, and the
  /// first pause between them (doubling per consecutive restart).
  int process_max_restarts = 10;
  int process_backoff_min_ms = 1000;
  /// The run stops as systemic (exit 3) when at least `systemic_ratio` of
  /// the last `systemic_window` records crashed their transformer.
  std::size_t systemic_window = 20;
  double systemic_ratio = 0.8;

  /// Circuit breaker on the target: opens after this many consecutive
  /// transient failures, probes again after the cool-down, and ends the run
  /// (exit 3, resumable) once open longer than give_up_after_s.
  int breaker_failures = 3;
  int breaker_cooldown_ms = 2000;
  int breaker_give_up_after_s = 300;

  /// Fault specifications (docs/faults.md) and their seed.
  std::vector<std::string> faults;
  std::uint64_t fault_seed = 0;

  std::string log_level = "info";
  /// The event log (JSON Lines); empty means beside the target database.
  std::string events_file;
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
