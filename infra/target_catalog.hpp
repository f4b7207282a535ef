#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/contract.hpp"
#include "infra/database_url.hpp"
#include "infra/result.hpp"

namespace soci {
class session;
}

namespace xmlshred::infra {

/// xmlshred's audit table of requeued records (see `xmlshred requeue`).
inline constexpr const char* requeue_log_table = "requeue_log";

/// How a column's values are compared and rendered, from its declared type.
enum class value_class {
  /// Whole numbers (SQLite INTEGER affinity; smallint, integer, bigint).
  integer,
  /// Other numbers (SQLite REAL/NUMERIC affinity; numeric, real, double).
  decimal,
  /// PostgreSQL boolean.
  boolean,
  /// Dates and times with a date/time declared type.
  temporal,
  /// Everything else.
  text,
};

/// One column of a target table, as the database describes it.
struct column_info {
  /// The name as the database spells it.
  std::string name;
  value_class kind = value_class::text;
  bool in_primary_key = false;
  /// The database chooses the value itself: a PostgreSQL identity or
  /// serial column, or a SQLite INTEGER PRIMARY KEY AUTOINCREMENT.
  bool database_assigned = false;
  /// The column's default is the insert time (CURRENT_TIMESTAMP, now()).
  bool insert_time_default = false;
  /// Declared NOT NULL (a primary key column is not implied).
  bool not_null = false;
  /// The column has a default expression of any kind.
  bool has_default = false;
  /// Computed by the database from other columns; never inserted.
  bool generated = false;
  /// Maximum length in characters of a character column (varchar(n),
  /// char(n)); nullopt when unlimited or not a character column.
  std::optional<int> max_length;
};

/// Where the catalog queries look: the backend and, for PostgreSQL, the
/// schema (empty means "public").
struct catalog_scope {
  backend kind = backend::sqlite;
  std::string schema;
};

/// Whether `table` exists in `scope`. Borrows `session` for the call; not
/// thread-safe. Errors are classified, never thrown.
[[nodiscard]] result<bool> table_exists(soci::session& session,
                                        const catalog_scope& scope,
                                        const std::string& table);

/// The columns of `table` in declaration order, generated columns
/// included. Empty when the table does not exist. Same rules as above.
[[nodiscard]] result<std::vector<column_info>> table_columns(
    soci::session& session, const catalog_scope& scope,
    const std::string& table);

/// The value class SQLite's type-affinity rules give a declared type, with
/// DATE/TIME names as temporal. Pure; exposed for tests.
value_class sqlite_value_class(const std::string& declared_type);

/// The value class of a PostgreSQL information_schema data_type. Pure.
value_class postgresql_value_class(const std::string& data_type);

/// Whether a column default (as the catalog prints it) is the insert time.
bool is_insert_time_default(const std::string& default_text);

/// The tables the operator commands look at: each contract's
/// table_insertion_order in turn, without repeats and without xmlshred's
/// own tables (processing_log, runs, requeue_log).
std::vector<std::string> contract_tables(
    const std::vector<std::shared_ptr<const domain::contract>>& contracts);

/// True when `columns` has a column named `name` (ASCII case-insensitive,
/// as both databases compare unquoted names).
bool has_column(const std::vector<column_info>& columns,
                const std::string& name);

}  // namespace xmlshred::infra
