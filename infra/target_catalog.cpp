#include "infra/target_catalog.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "infra/db_error_classifier.hpp"
#include "infra/schema_catalog.hpp"

namespace xmlshred::infra {
namespace {

constexpr const char* default_postgresql_schema = "public";

// Default expressions that evaluate to the time of the insert, lower case.
const char* const insert_time_functions[] = {
    "current_timestamp", "current_date",   "current_time",
    "localtimestamp",    "localtime",      "now()",
    "'now'",             "clock_timestamp", "statement_timestamp",
    "transaction_timestamp"};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return text;
}

bool contains(const std::string& text, const char* part) {
  return text.find(part) != std::string::npos;
}

// The n of a declared "varchar(n)" / "char(n)"; SQLite keeps the text of
// the declaration but enforces no length, so this only informs checks.
std::optional<int> declared_length(const std::string& declared) {
  const auto type = lower(declared);
  const auto open = type.find('(');
  if (!contains(type, "char") || open == std::string::npos) {
    return std::nullopt;
  }
  try {
    return std::stoi(type.substr(open + 1));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// PostgreSQL stores unquoted names folded to lower case, and xmlshred
// creates them that way (see sql_identifier.hpp).
std::string postgresql_schema(const catalog_scope& scope) {
  return lower(scope.schema.empty() ? default_postgresql_schema
                                    : scope.schema);
}

// Only AUTOINCREMENT says the database is meant to choose the key; a
// plain INTEGER PRIMARY KEY is, in xmlshred's tables, a key the contract
// supplies (app_id, con_id).
bool declares_autoincrement(soci::session& session, const std::string& table) {
  std::string sql;
  soci::indicator sql_null = soci::i_ok;
  std::string bound_table = table;
  session << "SELECT sql FROM sqlite_master WHERE type = 'table'"
             " AND name = :t",
      soci::into(sql, sql_null), soci::use(bound_table);
  return sql_null != soci::i_null && contains(lower(sql), "autoincrement");
}

std::vector<column_info> sqlite_columns(soci::session& session,
                                        const std::string& table) {
  std::vector<column_info> columns;
  std::string name;
  std::string type;
  std::string default_text;
  soci::indicator type_null = soci::i_ok;
  soci::indicator default_null = soci::i_ok;
  int pk = 0;
  int hidden = 0;
  int not_null = 0;
  std::string bound_table = table;
  soci::statement statement =
      (session.prepare << "SELECT name, type, dflt_value, pk, hidden, "
                          "\"notnull\" FROM pragma_table_xinfo(:t) "
                          "ORDER BY cid",
       soci::into(name), soci::into(type, type_null),
       soci::into(default_text, default_null), soci::into(pk),
       soci::into(hidden), soci::into(not_null), soci::use(bound_table));
  statement.execute();
  std::size_t key_columns = 0;
  while (statement.fetch()) {
    // hidden = 1 marks a virtual table's hidden column; 2 and 3 are
    // generated columns, which hold data and are kept.
    if (hidden == 1) {
      continue;
    }
    column_info column;
    column.name = name;
    const std::string declared = type_null == soci::i_null ? "" : type;
    column.kind = sqlite_value_class(declared);
    column.in_primary_key = pk > 0;
    column.insert_time_default =
        default_null != soci::i_null && is_insert_time_default(default_text);
    column.not_null = not_null != 0;
    column.has_default = default_null != soci::i_null;
    column.generated = hidden != 0;
    column.max_length = declared_length(declared);
    // A lone INTEGER PRIMARY KEY aliases the rowid: SQLite can fill it.
    column.database_assigned = pk > 0 && lower(declared) == "integer";
    key_columns += pk > 0 ? 1 : 0;
    columns.push_back(std::move(column));
  }
  if (key_columns != 1 || !declares_autoincrement(session, table)) {
    for (auto& column : columns) {
      column.database_assigned = false;
    }
  }
  return columns;
}

std::set<std::string> postgresql_primary_key(soci::session& session,
                                             const std::string& schema,
                                             const std::string& table) {
  std::set<std::string> names;
  std::string name;
  std::string bound_schema = schema;
  std::string bound_table = table;
  soci::statement statement =
      (session.prepare
           << "SELECT k.column_name FROM information_schema.table_constraints c"
              " JOIN information_schema.key_column_usage k"
              " ON k.constraint_schema = c.constraint_schema"
              " AND k.constraint_name = c.constraint_name"
              " AND k.table_name = c.table_name"
              " WHERE c.constraint_type = 'PRIMARY KEY'"
              " AND c.table_schema = :s AND c.table_name = :t",
       soci::into(name), soci::use(bound_schema), soci::use(bound_table));
  statement.execute();
  while (statement.fetch()) {
    names.insert(name);
  }
  return names;
}

std::vector<column_info> postgresql_columns(soci::session& session,
                                            const std::string& schema,
                                            const std::string& table) {
  const auto primary_key = postgresql_primary_key(session, schema, table);
  std::vector<column_info> columns;
  std::string name;
  std::string data_type;
  std::string default_text;
  std::string identity;
  std::string nullable;
  std::string generated;
  int length = 0;
  std::string bound_schema = schema;
  std::string bound_table = table;
  soci::statement statement =
      (session.prepare
           << "SELECT column_name, data_type, COALESCE(column_default, ''),"
              " COALESCE(is_identity, 'NO'), is_nullable,"
              " COALESCE(is_generated, 'NEVER'),"
              " COALESCE(character_maximum_length, 0)"
              " FROM information_schema.columns"
              " WHERE table_schema = :s AND table_name = :t"
              " ORDER BY ordinal_position",
       soci::into(name), soci::into(data_type), soci::into(default_text),
       soci::into(identity), soci::into(nullable), soci::into(generated),
       soci::into(length), soci::use(bound_schema), soci::use(bound_table));
  statement.execute();
  while (statement.fetch()) {
    column_info column;
    column.name = name;
    column.kind = postgresql_value_class(data_type);
    column.in_primary_key = primary_key.count(name) > 0;
    column.insert_time_default = is_insert_time_default(default_text);
    column.database_assigned =
        identity == "YES" || lower(default_text).rfind("nextval(", 0) == 0;
    column.not_null = nullable == "NO";
    column.has_default = !default_text.empty();
    column.generated = generated != "NEVER";
    column.max_length =
        length > 0 ? std::optional<int>(length) : std::nullopt;
    columns.push_back(std::move(column));
  }
  return columns;
}

}  // namespace

result<bool> table_exists(soci::session& session, const catalog_scope& scope,
                          const std::string& table) {
  try {
    long long found = 0;
    std::string bound_table = table;
    if (scope.kind == backend::sqlite) {
      session << "SELECT COUNT(*) FROM sqlite_master"
                 " WHERE type = 'table' AND name = :t",
          soci::into(found), soci::use(bound_table);
    } else {
      std::string schema = postgresql_schema(scope);
      bound_table = lower(table);
      session << "SELECT COUNT(*) FROM information_schema.tables"
                 " WHERE table_schema = :s AND table_name = :t",
          soci::into(found), soci::use(schema), soci::use(bound_table);
    }
    return found > 0;
  } catch (const std::exception& error) {
    return classify_db_exception(error, "look up table " + table);
  }
}

result<std::vector<column_info>> table_columns(soci::session& session,
                                               const catalog_scope& scope,
                                               const std::string& table) {
  try {
    if (scope.kind == backend::sqlite) {
      return sqlite_columns(session, table);
    }
    return postgresql_columns(session, postgresql_schema(scope),
                              lower(table));
  } catch (const std::exception& error) {
    return classify_db_exception(error, "read the columns of " + table);
  }
}

// SQLite's affinity rules, in SQLite's order of precedence; a DATE or
// TIME type name (NUMERIC affinity there) is treated as temporal.
value_class sqlite_value_class(const std::string& declared_type) {
  const auto type = lower(declared_type);
  if (contains(type, "int")) {
    return value_class::integer;
  }
  if (contains(type, "char") || contains(type, "clob") ||
      contains(type, "text") || contains(type, "blob") || type.empty()) {
    return value_class::text;
  }
  if (contains(type, "date") || contains(type, "time")) {
    return value_class::temporal;
  }
  if (contains(type, "bool")) {
    return value_class::integer;
  }
  return value_class::decimal;
}

value_class postgresql_value_class(const std::string& data_type) {
  const auto type = lower(data_type);
  if (type == "smallint" || type == "integer" || type == "bigint") {
    return value_class::integer;
  }
  if (type == "numeric" || type == "real" || type == "double precision") {
    return value_class::decimal;
  }
  if (type == "boolean") {
    return value_class::boolean;
  }
  if (type == "date" || contains(type, "timestamp") ||
      contains(type, "time ")) {
    return value_class::temporal;
  }
  return value_class::text;
}

bool is_insert_time_default(const std::string& default_text) {
  const auto text = lower(default_text);
  return std::any_of(
      std::begin(insert_time_functions), std::end(insert_time_functions),
      [&](const char* function) { return contains(text, function); });
}

std::vector<std::string> contract_tables(
    const std::vector<std::shared_ptr<const domain::contract>>& contracts) {
  std::vector<std::string> tables;
  std::set<std::string> seen{processing_log_table, runs_table,
                             requeue_log_table};
  for (const auto& c : contracts) {
    for (const auto& table : c->table_insertion_order) {
      if (seen.insert(table).second) {
        tables.push_back(table);
      }
    }
  }
  return tables;
}

bool has_column(const std::vector<column_info>& columns,
                const std::string& name) {
  const auto wanted = lower(name);
  return std::any_of(columns.begin(), columns.end(), [&](const auto& column) {
    return lower(column.name) == wanted;
  });
}

}  // namespace xmlshred::infra
