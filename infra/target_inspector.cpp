#include "infra/target_inspector.hpp"

#include <soci/soci.h>

#include <filesystem>

#include "infra/db_error_classifier.hpp"
#include "infra/db_session.hpp"
#include "infra/sql_identifier.hpp"

namespace xmlshred::infra {
namespace {

constexpr const char* default_postgresql_schema = "public";
constexpr const char* converted_status = "converted";
/// Output column names of a row read; no contract column starts so.
constexpr const char* cell_alias = "xmlshred_cell_";

// A contract name as an SQL string literal; names are file stems, so a
// quote is possible and doubled.
std::string string_literal(const std::string& text) {
  std::string literal = "'";
  for (char c : text) {
    literal += c == '\'' ? std::string("''") : std::string(1, c);
  }
  return literal + "'";
}

std::string joined(const std::vector<std::string>& parts,
                   const std::string& separator) {
  std::string text;
  for (const auto& part : parts) {
    text += (text.empty() ? "" : separator) + part;
  }
  return text;
}

}  // namespace

struct target_inspector::impl {
  std::unique_ptr<soci::session> session;
  catalog_scope scope;
  std::string key_column;  // quoted
  std::string log_table;   // qualified and quoted

  std::string quoted(const std::string& name) const {
    return quote_identifier(scope.kind, name);
  }
  std::string table(const std::string& name) const {
    return qualified_table(scope.kind, scope.schema, name);
  }
  std::string as_text(const std::string& expression) const {
    return "CAST(" + expression + " AS TEXT)";
  }

  /// Runs `sql`, whose one column is text, counting every row and keeping
  /// the first `limit` values when `keep` is set.
  key_sample sample(const std::string& sql, std::size_t limit, bool keep) {
    key_sample found;
    std::string value;
    soci::indicator null = soci::i_ok;
    soci::statement statement =
        (session->prepare << sql, soci::into(value, null));
    statement.execute();
    while (statement.fetch()) {
      if (keep && found.examples.size() < limit) {
        found.examples.push_back(null == soci::i_null ? "NULL" : value);
      }
      ++found.count;
    }
    return found;
  }

  /// An ORDER BY term giving the same order on both backends.
  std::string order_term(const column_info& column) const {
    std::string term = quoted(column.name);
    if (scope.kind == backend::sqlite) {
      term += " COLLATE BINARY";
    } else if (column.kind == value_class::text) {
      term += " COLLATE \"C\"";
    }
    return term + " NULLS FIRST";
  }
};

target_inspector::target_inspector(std::unique_ptr<impl> state)
    : impl_(std::move(state)) {}

target_inspector::~target_inspector() = default;

result<std::unique_ptr<target_inspector>> target_inspector::open(
    const database_url& url, const target_layout& layout) {
  // Opening a SQLite file creates it; a check of a mistyped path must say
  // so instead of reporting an empty target.
  std::error_code ignored;
  if (url.kind == backend::sqlite &&
      !std::filesystem::exists(url.sqlite_path, ignored)) {
    return db_error{db_error_kind::fatal,
                    "open " + url.masked + ": no such file"};
  }
  auto session = open_session(url, session_options{});
  if (!session) {
    return session.error();
  }
  auto state = std::make_unique<impl>();
  state->session = std::move(session.value());
  state->scope.kind = url.kind;
  state->scope.schema = layout.schema;
  if (url.kind == backend::postgresql && state->scope.schema.empty()) {
    state->scope.schema = default_postgresql_schema;
  }
  state->key_column = state->quoted(layout.key_column);
  state->log_table = state->table(processing_log_table);
  return std::unique_ptr<target_inspector>(
      new target_inspector(std::move(state)));
}

const catalog_scope& target_inspector::scope() const { return impl_->scope; }

result<bool> target_inspector::has_table(const std::string& table) {
  return table_exists(*impl_->session, impl_->scope, table);
}

result<std::vector<column_info>> target_inspector::columns(
    const std::string& table) {
  return table_columns(*impl_->session, impl_->scope, table);
}

result<std::size_t> target_inspector::count_rows(const std::string& table) {
  try {
    long long rows = 0;
    *impl_->session << "SELECT COUNT(*) FROM " + impl_->table(table),
        soci::into(rows);
    return static_cast<std::size_t>(rows);
  } catch (const std::exception& error) {
    return classify_db_exception(error, "count rows of " + table);
  }
}

result<std::vector<domain::record_key>> target_inspector::logged_keys_after(
    domain::record_key after, std::size_t limit) {
  if (limit == 0) {
    return std::vector<domain::record_key>{};
  }
  try {
    // SOCI shrinks the bulk vector to the rows actually fetched.
    std::vector<long long> fetched(limit);
    long long after_key = after;
    long long row_limit = static_cast<long long>(limit);
    const auto& key = impl_->key_column;
    *impl_->session << "SELECT DISTINCT " + key + " FROM " +
                           impl_->log_table + " WHERE " + key +
                           " > :after ORDER BY " + key + " LIMIT :n",
        soci::into(fetched), soci::use(after_key), soci::use(row_limit);
    return std::vector<domain::record_key>(fetched.begin(), fetched.end());
  } catch (const std::exception& error) {
    return classify_db_exception(
        error, std::string("read keys of ") + processing_log_table);
  }
}

result<std::vector<outcome_count>> target_inspector::outcome_counts() {
  try {
    std::vector<outcome_count> counts;
    std::string logged_status;
    std::string category;
    soci::indicator category_null = soci::i_ok;
    long long rows = 0;
    soci::statement statement =
        (impl_->session->prepare
             << "SELECT status, category, COUNT(*) FROM " + impl_->log_table +
                    " GROUP BY status, category",
         soci::into(logged_status), soci::into(category, category_null),
         soci::into(rows));
    statement.execute();
    while (statement.fetch()) {
      outcome_count count;
      count.status = logged_status;
      if (category_null != soci::i_null) {
        count.category = category;
      }
      count.count = static_cast<std::size_t>(rows);
      counts.push_back(std::move(count));
    }
    return counts;
  } catch (const std::exception& error) {
    return classify_db_exception(
        error, std::string("count outcomes in ") + processing_log_table);
  }
}

result<key_sample> target_inspector::duplicate_log_keys(std::size_t limit) {
  const auto& key = impl_->key_column;
  try {
    return impl_->sample("SELECT " + impl_->as_text(key) + " FROM " +
                             impl_->log_table + " GROUP BY " + key +
                             " HAVING COUNT(*) > 1 ORDER BY " + key,
                         limit, true);
  } catch (const std::exception& error) {
    return classify_db_exception(
        error, std::string("find duplicate keys in ") + processing_log_table);
  }
}

result<key_sample> target_inspector::converted_without_row(
    const std::string& root_table, const std::vector<std::string>& contracts,
    std::size_t limit) {
  const auto& key = impl_->key_column;
  std::string sql = "SELECT " + impl_->as_text("l." + key) + " FROM " +
                    impl_->log_table + " l WHERE l.status = '" +
                    converted_status + "' AND NOT EXISTS (SELECT 1 FROM " +
                    impl_->table(root_table) + " r WHERE r." + key +
                    " = l." + key + ")";
  if (!contracts.empty()) {
    std::vector<std::string> literals;
    for (const auto& name : contracts) {
      literals.push_back(string_literal(name));
    }
    sql += " AND l.contract IN (" + joined(literals, ", ") + ")";
  }
  try {
    return impl_->sample(sql + " ORDER BY l." + key, limit, true);
  } catch (const std::exception& error) {
    return classify_db_exception(
        error, "find converted keys without a row in " + root_table);
  }
}

result<key_sample> target_inspector::rows_without_converted_log(
    const std::string& root_table, std::size_t limit) {
  const auto& key = impl_->key_column;
  const std::string sql =
      "SELECT " + impl_->as_text("r." + key) + " FROM " +
      impl_->table(root_table) + " r WHERE NOT EXISTS (SELECT 1 FROM " +
      impl_->log_table + " l WHERE l." + key + " = r." + key +
      " AND l.status = '" + converted_status + "') ORDER BY r." + key;
  try {
    return impl_->sample(sql, limit, true);
  } catch (const std::exception& error) {
    return classify_db_exception(
        error, "find rows of " + root_table + " without a converted log row");
  }
}

result<key_sample> target_inspector::orphan_rows(const std::string& child,
                                                 const std::string& column,
                                                 const std::string& parent,
                                                 std::size_t limit) {
  const auto c = impl_->quoted(column);
  const std::string sql =
      "SELECT " + impl_->as_text("c." + c) + " FROM " + impl_->table(child) +
      " c WHERE c." + c + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " +
      impl_->table(parent) + " p WHERE p." + c + " = c." + c +
      ") ORDER BY c." + c;
  try {
    return impl_->sample(sql, limit, true);
  } catch (const std::exception& error) {
    return classify_db_exception(error, "find rows of " + child +
                                            " without a parent in " + parent);
  }
}

result<key_sample> target_inspector::duplicate_rows(
    const std::string& table, const std::vector<std::string>& columns,
    const std::string& example_column, std::size_t limit) {
  std::vector<std::string> quoted;
  for (const auto& column : columns) {
    quoted.push_back(impl_->quoted(column));
  }
  const bool keep = !example_column.empty();
  const std::string shown =
      keep ? impl_->as_text(impl_->quoted(example_column)) : "''";
  const std::string sql = "SELECT " + shown + " FROM " + impl_->table(table) +
                          " GROUP BY " + joined(quoted, ", ") +
                          " HAVING COUNT(*) > 1 ORDER BY 1";
  try {
    return impl_->sample(sql, limit, keep);
  } catch (const std::exception& error) {
    return classify_db_exception(error, "find duplicate rows in " + table);
  }
}

status target_inspector::read_rows(
    const std::string& table, const std::vector<column_info>& columns,
    const std::function<void(const text_row&)>& visit) {
  if (columns.empty()) {
    return done{};
  }
  std::vector<std::string> selected;
  std::vector<std::string> order;
  // The aliases keep ORDER BY on the stored values: PostgreSQL would
  // otherwise take a name there for the text output column it labels.
  for (std::size_t i = 0; i < columns.size(); ++i) {
    selected.push_back(impl_->as_text(impl_->quoted(columns[i].name)) +
                       " AS " + cell_alias + std::to_string(i));
    order.push_back(impl_->order_term(columns[i]));
  }
  const std::string sql = "SELECT " + joined(selected, ", ") + " FROM " +
                          impl_->table(table) + " ORDER BY " +
                          joined(order, ", ");
  try {
    // The statement binds to these; they are sized once, never moved.
    std::vector<std::string> values(columns.size());
    std::vector<soci::indicator> nulls(columns.size(), soci::i_ok);
    soci::statement statement(*impl_->session);
    for (std::size_t i = 0; i < columns.size(); ++i) {
      statement.exchange(soci::into(values[i], nulls[i]));
    }
    statement.alloc();
    statement.prepare(sql);
    statement.define_and_bind();
    statement.execute();

    text_row row(columns.size());
    while (statement.fetch()) {
      for (std::size_t i = 0; i < columns.size(); ++i) {
        row[i] = nulls[i] == soci::i_null
                     ? std::nullopt
                     : std::optional<std::string>(values[i]);
      }
      visit(row);
    }
    return done{};
  } catch (const std::exception& error) {
    return classify_db_exception(error, "read rows of " + table);
  }
}

}  // namespace xmlshred::infra
