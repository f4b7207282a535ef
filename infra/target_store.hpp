#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "domain/contract.hpp"
#include "domain/record.hpp"
#include "infra/database_url.hpp"
#include "infra/result.hpp"

namespace xmlshred::infra {

/// How a batch ended for each record, after the database had its say.
struct batch_report {
  /// One entry per record of the batch, in order; a record whose rows the
  /// database refused comes back `failed` with category `constraint` and no
  /// rows. A converted entry carries the rows actually inserted: a contact
  /// whose key another record already wrote is left out, so are its child
  /// rows that would collide, and notes say so (the record still converts).
  std::vector<domain::record_outcome> written;
  /// Rows inserted per table by this batch.
  std::map<std::string, std::size_t> rows_per_table;
};

/// Counts stored on the run's row at the end.
struct run_totals {
  std::size_t read = 0;
  std::size_t converted = 0;
  std::size_t rejected = 0;
  std::size_t failed = 0;
};

/// How to open the target.
struct target_options {
  /// Create missing tables (contract tables and xmlshred's own).
  bool create_schema = false;
  /// SQLite only: how long to wait for another connection's write lock
  /// before a batch fails with a transient error.
  std::chrono::milliseconds busy_timeout{5000};
};

/// The target database: the contracts' tables plus xmlshred's own
/// `processing_log` and `runs`. Owns one session: use from one thread.
class target_store {
 public:
  /// Opens (and for sqlite creates) the target. With `create_schema`, the
  /// tables of every contract and xmlshred's own tables are created when
  /// missing, from the DDL shipped for the reference contracts or, for
  /// other tables, from the contract's column types.
  [[nodiscard]] static result<std::unique_ptr<target_store>> open(
      const database_url& url,
      const std::vector<std::shared_ptr<const domain::contract>>& contracts,
      bool create_schema);
  /// As above, with every open option.
  [[nodiscard]] static result<std::unique_ptr<target_store>> open(
      const database_url& url,
      const std::vector<std::shared_ptr<const domain::contract>>& contracts,
      const target_options& options);
  ~target_store();

  /// Keys among `keys` that already have a processing-log row.
  result<std::unordered_set<domain::record_key>> logged_keys(
      const std::vector<domain::record_key>& keys);

  /// Keys from `first` to `last` (both included) that have a processing-log
  /// row, ascending. One range read of the log's primary key: a reader
  /// merges it with a page of source keys to drop the ones already done.
  [[nodiscard]] result<std::vector<domain::record_key>> logged_keys_between(
      domain::record_key first, domain::record_key last);

  /// Inserts the run's row at start; `settings` is a JSON summary.
  status begin_run(const std::string& run_id, const std::string& settings);
  /// Completes the run's row with its totals and exit code.
  status finish_run(const std::string& run_id, const run_totals& totals,
                    int exit_code);

  /// Writes a batch in one transaction: per record a savepoint, its rows in
  /// table insertion order and its processing-log row; a record the
  /// database refuses is rolled back alone and logged failed/constraint.
  /// Rows of a relationship parent keyed by a column other than the record
  /// key (contacts by con_id) are skipped when that key already exists in
  /// the database; their child rows are then inserted only if absent.
  /// Returns a transient error (the batch rolled back entirely) when the
  /// database is busy or the connection dropped: retry the same batch.
  /// `before_commit`, if given, runs inside the transaction after every
  /// row is written and before COMMIT (fault injection strikes there); an
  /// injected_failure it throws rolls the batch back as a transient error.
  result<batch_report> write_batch(
      const std::vector<domain::record_outcome>& batch,
      const std::string& run_id,
      const std::function<void()>& before_commit = {});
  /// The same for records the caller keeps elsewhere, so that their rows
  /// are not copied for the call. The pointers must stay valid throughout.
  result<batch_report> write_batch(
      const std::vector<const domain::record_outcome*>& batch,
      const std::string& run_id,
      const std::function<void()>& before_commit = {});

 private:
  struct impl;
  explicit target_store(std::unique_ptr<impl> state);
  /// Opens a new session when a read lost the connection last time.
  status reconnect_if_pending();
  std::unique_ptr<impl> impl_;
};

}  // namespace xmlshred::infra
