#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/contract.hpp"
#include "domain/record.hpp"
#include "infra/database_url.hpp"
#include "infra/result.hpp"
#include "infra/target_catalog.hpp"

namespace xmlshred::infra {

/// Which records a requeue takes.
struct requeue_selector {
  enum class by { keys, category, record_status };
  by kind = by::keys;
  /// For by::keys: the keys, whatever their log row says (or without one).
  std::vector<domain::record_key> keys;
  /// For by::category / by::record_status: the value processing_log must hold.
  std::string value;

  /// How the audit trail names the selection: "key", "category=crash",
  /// "status=failed".
  std::string describe() const;
};

/// A record taken by a requeue and what its processing-log row said
/// before it was deleted (all empty when it had none).
struct requeued_record {
  domain::record_key key = 0;
  std::optional<std::string> status;
  std::optional<std::string> category;
  std::optional<std::string> message;
  std::optional<std::string> run_id;
};

/// What a requeue did, or with dry_run would do.
struct requeue_report {
  bool dry_run = false;
  /// Ascending by key.
  std::vector<requeued_record> records;
  /// Rows deleted (or that would be) per table, in deletion order:
  /// children before parents, processing_log last.
  std::vector<std::pair<std::string, std::size_t>> rows_deleted;
  /// Contract tables in the target that neither hold the key column nor
  /// reach a table that does through the contracts' relationships: their
  /// rows cannot be tied to a record and are left as they are.
  std::vector<std::string> unlinked_tables;
};

/// Makes records eligible for the next run: deletes their rows from the
/// contract tables and their processing-log rows, and records each in
/// requeue_log, all in one transaction. Owns one session: use from one
/// thread. No exception escapes; errors come back classified.
class requeue_store {
 public:
  /// Opens an existing target (a missing SQLite file is an error) and
  /// works out, from the contracts' table_insertion_order and
  /// relationships and the target's catalog, how each table's rows are
  /// tied to a key and in which order they are deleted.
  [[nodiscard]] static result<std::unique_ptr<requeue_store>> open(
      const database_url& url,
      const std::vector<std::shared_ptr<const domain::contract>>& contracts);
  ~requeue_store();

  /// Requeues the selected records. With `dry_run` nothing is written (not
  /// even requeue_log is created): the report counts what would be
  /// deleted. Otherwise requeue_log is created when missing and the whole
  /// requeue commits or rolls back as one.
  [[nodiscard]] result<requeue_report> requeue(
      const requeue_selector& selector, bool dry_run);

 private:
  struct impl;
  explicit requeue_store(std::unique_ptr<impl> state);
  std::unique_ptr<impl> impl_;
};

}  // namespace xmlshred::infra
