#include "infra/prepared_insert.hpp"

namespace xmlshred::infra {

prepared_insert::prepared_insert(soci::session& session,
                                 const std::string& sql,
                                 std::size_t column_count)
    : values_(column_count),
      indicators_(column_count, soci::i_null),
      statement_(session) {
  for (std::size_t i = 0; i < column_count; ++i) {
    statement_.exchange(soci::use(values_[i], indicators_[i]));
  }
  statement_.alloc();
  statement_.prepare(sql);
  statement_.define_and_bind();
}

long long prepared_insert::execute(const std::vector<domain::cell>& row) {
  for (std::size_t i = 0; i < values_.size(); ++i) {
    if (row[i]) {
      values_[i] = *row[i];
      indicators_[i] = soci::i_ok;
    } else {
      values_[i].clear();
      indicators_[i] = soci::i_null;
    }
  }
  statement_.execute(true /*exchange data*/);
  return statement_.get_affected_rows();
}

std::string insert_sql(const std::string& quoted_table,
                       const std::vector<std::string>& quoted_columns) {
  std::string columns;
  std::string placeholders;
  for (std::size_t i = 0; i < quoted_columns.size(); ++i) {
    const char* separator = i == 0 ? "" : ", ";
    columns += separator + quoted_columns[i];
    placeholders += separator + std::string(":p") + std::to_string(i);
  }
  return "INSERT INTO " + quoted_table + " (" + columns + ") VALUES (" +
         placeholders + ")";
}

}  // namespace xmlshred::infra
