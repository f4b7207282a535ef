#include "infra/schema_catalog.hpp"

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <string_view>

#include "infra/embedded_schema.hpp"
#include "infra/sql_identifier.hpp"

namespace xmlshred::infra {
namespace {

constexpr std::string_view schema_placeholder = "@schema@";
constexpr std::string_view key_placeholder = "@key_column@";
constexpr std::string_view own_tables_file = "xmlshred.sql";
constexpr std::string_view identity_mapping_type = "identity_insert";

// Tables created together although no foreign key links them: the campaign
// lookup belongs with the pricing table that names campaigns (its key is
// left out, see schema/*/credit_card.sql).
const std::map<std::string, std::string> companion_tables{
    {"app_pricing_cc", "app_campaign_cc"},
};

/// One statement of a shipped schema file and the table it concerns.
struct shipped_statement {
  std::string table;
  std::vector<std::string> references;
  std::string sql;
};

std::string_view dialect_folder(backend dialect) {
  return dialect == backend::sqlite ? "sqlite/" : "postgresql/";
}

// Statements end with ';' at the end of a line; whole-line "--" comments
// are dropped so a ';' inside a comment cannot split a statement.
std::vector<std::string> split_statements(std::string_view text) {
  std::vector<std::string> statements;
  std::string current;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string line(text.substr(start, end - start));
    start = end + 1;

    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line.compare(first, 2, "--") == 0) {
      continue;
    }
    const auto last = line.find_last_not_of(" \t\r");
    line.erase(last + 1);
    if (line.back() == ';') {
      line.pop_back();
      statements.push_back(current + line);
      current.clear();
    } else {
      current += line + "\n";
    }
  }
  return statements;
}

std::string statement_table(const std::string& sql) {
  static const std::regex table_pattern(
      R"(^\s*(?:CREATE TABLE IF NOT EXISTS|INSERT INTO|CREATE (?:UNIQUE )?)"
      R"(INDEX IF NOT EXISTS \w+\s+ON)\s+(?:@schema@\.)?(\w+))");
  std::smatch match;
  if (std::regex_search(sql, match, table_pattern)) {
    return match[1];
  }
  return {};
}

std::vector<std::string> statement_references(const std::string& sql) {
  static const std::regex reference_pattern(
      R"(REFERENCES\s+(?:@schema@\.)?(\w+))");
  std::vector<std::string> references;
  for (std::sregex_iterator it(sql.begin(), sql.end(), reference_pattern),
       end;
       it != end; ++it) {
    references.push_back((*it)[1]);
  }
  return references;
}

bool is_file_of(std::string_view name, backend dialect, bool own_tables) {
  const auto folder = dialect_folder(dialect);
  if (name.substr(0, folder.size()) != folder) {
    return false;
  }
  const bool is_own = name.substr(folder.size()) == own_tables_file;
  return is_own == own_tables;
}

// The statements of the shipped contract-table files, in file order.
std::vector<shipped_statement> shipped_statements(backend dialect,
                                                  bool own_tables) {
  std::vector<shipped_statement> statements;
  for (const auto& file : embedded_sql_files()) {
    if (!is_file_of(file.name, dialect, own_tables)) {
      continue;
    }
    for (auto& sql : split_statements(file.text)) {
      shipped_statement statement;
      statement.table = statement_table(sql);
      statement.references = statement_references(sql);
      statement.sql = std::move(sql);
      statements.push_back(std::move(statement));
    }
  }
  return statements;
}

void replace_all(std::string& text, std::string_view from,
                 const std::string& to) {
  for (auto pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
}

}  // namespace

namespace {

// -- table selection ---------------------------------------------------------

// `table` and, transitively, every shipped table it references or needs
// alongside it.
void add_with_parents(const std::string& table,
                      const std::map<std::string, std::set<std::string>>& refs,
                      std::set<std::string>& selected) {
  if (!selected.insert(table).second) {
    return;
  }
  const auto companion = companion_tables.find(table);
  if (companion != companion_tables.end() && refs.count(companion->second)) {
    add_with_parents(companion->second, refs, selected);
  }
  const auto found = refs.find(table);
  if (found == refs.end()) {
    return;
  }
  for (const auto& parent : found->second) {
    if (parent != table && refs.count(parent)) {
      add_with_parents(parent, refs, selected);
    }
  }
}

// -- generated DDL -----------------------------------------------------------

std::string sqlite_column_type(domain::data_type type) {
  switch (type) {
    case domain::data_type::int_type:
    case domain::data_type::smallint_type:
    case domain::data_type::tinyint_type:
    case domain::data_type::bigint_type:
    case domain::data_type::bit_type:
      return "INTEGER";
    case domain::data_type::decimal_type:
      return "REAL";
    default:
      return "TEXT";
  }
}

std::string postgresql_column_type(const domain::mapping_spec& mapping) {
  switch (mapping.type) {
    case domain::data_type::int_type:
      return "integer";
    case domain::data_type::smallint_type:
    case domain::data_type::tinyint_type:
    case domain::data_type::bit_type:
      return "smallint";
    case domain::data_type::bigint_type:
      return "bigint";
    case domain::data_type::decimal_type:
      return "numeric";
    case domain::data_type::datetime_type:
      return "timestamp";
    case domain::data_type::date_type:
      return "date";
    case domain::data_type::string_type:
      break;
  }
  if (mapping.data_length && *mapping.data_length > 0) {
    return "varchar(" + std::to_string(*mapping.data_length) + ")";
  }
  return "text";
}

// The first mapping of each named column of `table`, in contract order.
std::vector<const domain::mapping_spec*> mapped_columns(
    const std::string& table,
    const std::vector<std::shared_ptr<const domain::contract>>& contracts) {
  std::vector<const domain::mapping_spec*> columns;
  std::set<std::string> seen;
  for (const auto& c : contracts) {
    for (const auto& mapping : c->mappings) {
      if (mapping.target_table == table && !mapping.target_column.empty() &&
          seen.insert(mapping.target_column).second) {
        columns.push_back(&mapping);
      }
    }
  }
  return columns;
}

// CREATE TABLE for a table without shipped DDL; empty when no mapping
// names a column of it (key-value mapping types only).
result<std::string> generated_table_sql(
    backend dialect, const std::string& table,
    const std::vector<std::shared_ptr<const domain::contract>>& contracts) {
  const auto columns = mapped_columns(table, contracts);
  if (columns.empty()) {
    return std::string();
  }
  std::string sql = "CREATE TABLE IF NOT EXISTS " +
                    std::string(dialect == backend::sqlite
                                    ? ""
                                    : std::string(schema_placeholder) + ".") +
                    quote_identifier(dialect, table) + " (";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const auto& mapping = *columns[i];
    if (auto problem = identifier_problem(mapping.target_column)) {
      return db_error{db_error_kind::fatal,
                      "table " + table + ": column " + *problem};
    }
    sql += (i == 0 ? "\n  " : ",\n  ") +
           quote_identifier(dialect, mapping.target_column) + " " +
           (dialect == backend::sqlite ? sqlite_column_type(mapping.type)
                                       : postgresql_column_type(mapping));
  }
  sql += dialect == backend::sqlite ? "\n) STRICT" : "\n)";
  return sql;
}

}  // namespace

// -- public ------------------------------------------------------------------

std::string contract_key_column(const domain::contract& c) {
  const domain::mapping_spec* best = nullptr;
  std::size_t best_rank = c.table_insertion_order.size();
  for (const auto& mapping : c.mappings) {
    const auto& types = mapping.mapping_types;
    if (std::find(types.begin(), types.end(), identity_mapping_type) ==
        types.end()) {
      continue;
    }
    const auto& order = c.table_insertion_order;
    const auto rank = static_cast<std::size_t>(
        std::find(order.begin(), order.end(), mapping.target_table) -
        order.begin());
    if (best == nullptr || rank < best_rank) {
      best = &mapping;
      best_rank = rank;
    }
  }
  return best == nullptr ? std::string() : best->target_column;
}

result<target_layout> resolve_target_layout(
    const std::vector<std::shared_ptr<const domain::contract>>& contracts) {
  if (contracts.empty()) {
    return db_error{db_error_kind::fatal, "no contract loaded"};
  }
  target_layout layout;
  for (const auto& c : contracts) {
    const auto key = contract_key_column(*c);
    if (key.empty()) {
      return db_error{db_error_kind::fatal,
                      "contract " + c->name + ": no identity_insert mapping"};
    }
    if (layout.key_column.empty()) {
      layout.key_column = key;
      layout.schema = c->target_schema;
    } else if (key != layout.key_column ||
               c->target_schema != layout.schema) {
      return db_error{db_error_kind::fatal,
                      "contract " + c->name +
                          ": key column or target_schema differs from "
                          "contract " + contracts.front()->name +
                          "; contracts of one run share one target"};
    }
  }
  if (auto problem = identifier_problem(layout.key_column)) {
    return db_error{db_error_kind::fatal, "key column: " + *problem};
  }
  if (!layout.schema.empty()) {
    if (auto problem = identifier_problem(layout.schema)) {
      return db_error{db_error_kind::fatal, "target_schema: " + *problem};
    }
  }
  return layout;
}

std::vector<std::string> tables_written_by(
    const std::vector<std::shared_ptr<const domain::contract>>& contracts) {
  std::vector<std::string> tables;
  std::set<std::string> seen{processing_log_table, runs_table};
  auto add = [&](const std::string& table) {
    if (!table.empty() && seen.insert(table).second) {
      tables.push_back(table);
    }
  };
  for (const auto& c : contracts) {
    for (const auto& table : c->table_insertion_order) {
      add(table);
    }
  }
  for (const auto& c : contracts) {
    for (const auto& mapping : c->mappings) {
      add(mapping.target_table);
    }
  }
  return tables;
}

namespace {

// Shipped statements of every table needed by `tables`, parents first.
std::vector<std::string> shipped_plan(backend dialect,
                                      const std::vector<std::string>& tables,
                                      std::vector<std::string>& unshipped) {
  const auto statements = shipped_statements(dialect, false /*own*/);
  std::map<std::string, std::set<std::string>> refs;
  for (const auto& statement : statements) {
    auto& parents = refs[statement.table];
    parents.insert(statement.references.begin(), statement.references.end());
  }

  std::set<std::string> selected;
  for (const auto& table : tables) {
    if (refs.count(table)) {
      add_with_parents(table, refs, selected);
    } else {
      unshipped.push_back(table);
    }
  }

  // The files list parents before children, so file order is a valid
  // creation order for any selection.
  std::vector<std::string> plan;
  for (const auto& statement : statements) {
    if (selected.count(statement.table)) {
      plan.push_back(statement.sql);
    }
  }
  return plan;
}

// Replaces the placeholders and, for PostgreSQL, creates the schema first.
void finish_plan(backend dialect, const target_layout& layout,
                 std::vector<std::string>& statements) {
  const std::string schema =
      layout.schema.empty() ? std::string("public") : layout.schema;
  const std::string quoted_schema = quote_identifier(dialect, schema);
  const std::string quoted_key = quote_identifier(dialect, layout.key_column);
  for (auto& sql : statements) {
    replace_all(sql, schema_placeholder, quoted_schema);
    replace_all(sql, key_placeholder, quoted_key);
  }
  if (dialect == backend::postgresql) {
    statements.insert(statements.begin(),
                      "CREATE SCHEMA IF NOT EXISTS " + quoted_schema);
  }
}

}  // namespace

result<schema_plan> build_schema_plan(
    backend dialect,
    const std::vector<std::shared_ptr<const domain::contract>>& contracts) {
  auto layout = resolve_target_layout(contracts);
  if (!layout) {
    return layout.error();
  }

  // Shipped tables with their parents, then generated ones.
  schema_plan plan;
  std::vector<std::string> unshipped;
  plan.statements =
      shipped_plan(dialect, tables_written_by(contracts), unshipped);
  for (const auto& table : unshipped) {
    if (auto problem = identifier_problem(table)) {
      return db_error{db_error_kind::fatal, "target table: " + *problem};
    }
    auto sql = generated_table_sql(dialect, table, contracts);
    if (!sql) {
      return sql.error();
    }
    if (sql.value().empty()) {
      plan.warnings.push_back(
          "table " + table +
          " has no shipped DDL and no named columns to generate it from; "
          "create it before the run");
      continue;
    }
    plan.statements.push_back(std::move(sql.value()));
  }

  // xmlshred's own tables last: nothing references them.
  for (auto& statement : shipped_statements(dialect, true /*own*/)) {
    plan.statements.push_back(std::move(statement.sql));
  }
  finish_plan(dialect, layout.value(), plan.statements);
  return plan;
}

}  // namespace xmlshred::infra
