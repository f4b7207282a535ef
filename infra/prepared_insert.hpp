#pragma once

#include <soci/soci.h>

#include <string>
#include <vector>

#include "domain/record.hpp"

namespace xmlshred::infra {

/// One INSERT statement prepared once and executed per row. Every column is
/// bound as text or NULL: the canonical cell text is what the database
/// converts (SQLite by column affinity, PostgreSQL by the column type).
/// Borrows `session`, which must outlive it. Not thread-safe. Methods throw
/// soci::soci_error; the owner catches and classifies.
class prepared_insert {
 public:
  /// Prepares `sql`, which must have exactly `column_count` placeholders.
  prepared_insert(soci::session& session, const std::string& sql,
                  std::size_t column_count);

  prepared_insert(const prepared_insert&) = delete;
  prepared_insert& operator=(const prepared_insert&) = delete;

  /// Binds `row` (one cell per column, std::nullopt for NULL) and runs it;
  /// returns the number of rows it changed (0 when an ON CONFLICT DO
  /// NOTHING clause skipped it). Precondition: row.size() equals the column
  /// count.
  long long execute(const std::vector<domain::cell>& row);

 private:
  // The statement holds references to these; they are sized once in the
  // constructor and never reallocated.
  std::vector<std::string> values_;
  std::vector<soci::indicator> indicators_;
  soci::statement statement_;
};

/// "INSERT INTO <table> (<c1>, ...) VALUES (:p0, ...)" for already quoted
/// names.
std::string insert_sql(const std::string& quoted_table,
                       const std::vector<std::string>& quoted_columns);

}  // namespace xmlshred::infra
