#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/record.hpp"
#include "infra/database_url.hpp"
#include "infra/result.hpp"
#include "infra/schema_catalog.hpp"
#include "infra/target_catalog.hpp"

namespace xmlshred::infra {

/// What a check query found: how many, and the first few identifiers
/// (record keys or key columns such as con_id, never other values).
struct key_sample {
  std::size_t count = 0;
  /// Ascending, at most the limit the query was given.
  std::vector<std::string> examples;
};

/// Number of processing_log rows with one status and category.
struct outcome_count {
  std::string status;
  std::optional<std::string> category;
  std::size_t count = 0;
};

/// One row as read for a dump: each cell as the database casts it to
/// text, std::nullopt for NULL.
using text_row = std::vector<std::optional<std::string>>;

/// Read-only queries against a target database: catalog, consistency
/// checks and ordered row streams, written once for SQLite and PostgreSQL.
/// Owns one session: use from one thread. Every method catches database
/// errors and returns them classified.
class target_inspector {
 public:
  /// Opens the target at `url`; nothing is created (for sqlite a missing
  /// file is an error). `layout` gives the key column and schema.
  [[nodiscard]] static result<std::unique_ptr<target_inspector>> open(
      const database_url& url, const target_layout& layout);
  ~target_inspector();

  /// The backend and schema the queries use.
  const catalog_scope& scope() const;

  [[nodiscard]] result<bool> has_table(const std::string& table);
  [[nodiscard]] result<std::vector<column_info>> columns(
      const std::string& table);
  [[nodiscard]] result<std::size_t> count_rows(const std::string& table);

  /// Up to `limit` distinct processing_log keys greater than `after`,
  /// ascending (keyset paging, as the source is read).
  [[nodiscard]] result<std::vector<domain::record_key>> logged_keys_after(
      domain::record_key after, std::size_t limit);
  /// processing_log rows per status and category.
  [[nodiscard]] result<std::vector<outcome_count>> outcome_counts();

  /// Keys with more than one processing_log row.
  [[nodiscard]] result<key_sample> duplicate_log_keys(std::size_t limit);
  /// Keys logged `converted` without a row in `root_table`; with
  /// `contracts` non-empty, only log rows of those contracts count.
  [[nodiscard]] result<key_sample> converted_without_row(
      const std::string& root_table, const std::vector<std::string>& contracts,
      std::size_t limit);
  /// Keys of `root_table` rows without a `converted` processing_log row.
  [[nodiscard]] result<key_sample> rows_without_converted_log(
      const std::string& root_table, std::size_t limit);
  /// Rows of `child` whose non-NULL `column` matches no `parent` row on the
  /// same column; the examples are values of `column` (a key column).
  [[nodiscard]] result<key_sample> orphan_rows(const std::string& child,
                                               const std::string& column,
                                               const std::string& parent,
                                               std::size_t limit);
  /// Groups of identical rows over `columns` (all of them, for a table
  /// without a primary key). Examples are values of `example_column`, or
  /// none when it is empty; `example_column` must be one of `columns`.
  [[nodiscard]] result<key_sample> duplicate_rows(
      const std::string& table, const std::vector<std::string>& columns,
      const std::string& example_column, std::size_t limit);

  /// Calls `visit` for every row of `table` with `columns` cast to text,
  /// ordered by those columns left to right, NULL first, text by bytes, so
  /// the order is the same on both backends. `visit` must not call back
  /// into this inspector.
  [[nodiscard]] status read_rows(
      const std::string& table, const std::vector<column_info>& columns,
      const std::function<void(const text_row&)>& visit);

 private:
  struct impl;
  explicit target_inspector(std::unique_ptr<impl> state);
  std::unique_ptr<impl> impl_;
};

}  // namespace xmlshred::infra
