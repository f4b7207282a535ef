#include "infra/schema_check.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include "infra/db_error_classifier.hpp"
#include "infra/db_session.hpp"
#include "infra/schema_catalog.hpp"
#include "infra/shared_row_filter.hpp"
#include "infra/sql_identifier.hpp"
#include "infra/target_catalog.hpp"

namespace xmlshred::infra {
namespace {

constexpr const char* default_postgresql_schema = "public";

// Words that end a column's type in a column definition, or that start a
// table constraint instead of a column.
const std::set<std::string> type_end_words{
    "NOT",   "NULL",   "DEFAULT",    "REFERENCES", "PRIMARY",
    "UNIQUE", "CHECK", "GENERATED", "CONSTRAINT", "COLLATE"};
const std::set<std::string> table_constraint_words{
    "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "CONSTRAINT"};

// Integer types a narrower expected type may widen into.
const std::map<std::string, int> integer_rank{
    {"smallint", 1}, {"integer", 2}, {"bigint", 3}};

/// A column as the creation plan declares it.
struct expected_column {
  std::string name;        // lower case, unquoted
  std::string type;        // as format_type() spells it (PostgreSQL)
  std::string definition;  // the plan's text, for ADD COLUMN
  bool generated = false;
};

/// A table of the creation plan.
struct expected_table {
  std::string name;  // unquoted
  std::string create_sql;
  std::vector<expected_column> columns;
};

/// A column as the database has it.
struct actual_column {
  std::string type;
  bool generated = false;
};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return text;
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(std::toupper(c));
  });
  return text;
}

std::string unquoted(std::string name) {
  name.erase(std::remove(name.begin(), name.end(), '"'), name.end());
  return lower(name);
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// The parts of a column list separated by commas outside parentheses.
std::vector<std::string> top_level_parts(const std::string& body) {
  std::vector<std::string> parts;
  std::string current;
  int depth = 0;
  for (char c : body) {
    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    if (c == ',' && depth == 0) {
      parts.push_back(trimmed(current));
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(trimmed(current));
  return parts;
}

// The plan's spelling of a PostgreSQL type in format_type()'s words.
std::string canonical_postgresql_type(const std::string& declared) {
  static const std::regex varchar(R"(^varchar(\(\d+\))$)");
  const auto type = lower(declared);
  std::smatch match;
  if (std::regex_match(type, match, varchar)) {
    return "character varying" + match[1].str();
  }
  if (type == "timestamp") {
    return "timestamp without time zone";
  }
  if (type == "int") {
    return "integer";
  }
  return type;
}

std::optional<expected_column> parse_column(const std::string& part,
                                            backend dialect) {
  std::istringstream words(part);
  std::string name;
  words >> name;
  if (name.empty() || table_constraint_words.count(upper(name))) {
    return std::nullopt;
  }
  expected_column column;
  column.name = unquoted(name);
  column.definition = part;
  std::string word;
  std::string type;
  while (words >> word && !type_end_words.count(upper(word))) {
    type += (type.empty() ? "" : " ") + word;
  }
  column.generated = upper(part).find(" GENERATED ") != std::string::npos;
  column.type = dialect == backend::postgresql
                    ? canonical_postgresql_type(type)
                    : lower(type);
  return column;
}

// Tables and columns the plan's CREATE TABLE statements declare.
std::vector<expected_table> expected_tables(const schema_plan& plan,
                                            backend dialect) {
  static const std::regex create_table(
      R"(^\s*CREATE TABLE IF NOT EXISTS\s+([^\s(]+)\s*\()");
  std::vector<expected_table> tables;
  for (const auto& sql : plan.statements) {
    std::smatch match;
    if (!std::regex_search(sql, match, create_table)) {
      continue;
    }
    expected_table table;
    const std::string qualified = match[1];
    table.name = unquoted(qualified.substr(qualified.rfind('.') + 1));
    table.create_sql = sql;
    const auto open = static_cast<std::size_t>(match.length(0));
    const auto close = sql.rfind(')');
    for (const auto& part :
         top_level_parts(sql.substr(open, close - open))) {
      if (auto column = parse_column(part, dialect)) {
        table.columns.push_back(std::move(*column));
      }
    }
    if (table.name != requeue_log_table) {
      tables.push_back(std::move(table));
    }
  }
  return tables;
}

// "numeric(p,s)" -> {p, s}; {0, 0} for a bare "numeric".
std::pair<int, int> numeric_precision(const std::string& type) {
  static const std::regex numeric(R"(^numeric\((\d+),(\d+)\)$)");
  std::smatch match;
  if (std::regex_match(type, match, numeric)) {
    return {std::stoi(match[1]), std::stoi(match[2])};
  }
  return {0, 0};
}

int varchar_length(const std::string& type) {
  static const std::regex varchar(R"(^character varying\((\d+)\)$)");
  std::smatch match;
  return std::regex_match(type, match, varchar) ? std::stoi(match[1]) : -1;
}

// Whether every value the plan's type holds fits the database's type, so
// a row valid for the shipped DDL is valid for this table too.
bool compatible_type(const std::string& expected, const std::string& actual) {
  if (expected == actual) {
    return true;
  }
  const auto want_rank = integer_rank.find(expected);
  const auto have_rank = integer_rank.find(actual);
  if (want_rank != integer_rank.end() && have_rank != integer_rank.end()) {
    return have_rank->second >= want_rank->second;
  }
  const int want_length = varchar_length(expected);
  if (want_length >= 0) {
    const int have_length = varchar_length(actual);
    return actual == "text" || actual == "character varying" ||
           have_length >= want_length;
  }
  if (expected.rfind("numeric", 0) == 0 && actual.rfind("numeric", 0) == 0) {
    const auto [want_p, want_s] = numeric_precision(expected);
    const auto [have_p, have_s] = numeric_precision(actual);
    return have_p == 0 ||
           (have_s >= want_s && have_p - have_s >= want_p - want_s);
  }
  return false;
}

}  // namespace

// -- grants ------------------------------------------------------------------

result<std::vector<table_grant>> run_grants(
    backend dialect, const source_table_spec& source,
    const std::vector<std::shared_ptr<const domain::contract>>& contracts) {
  auto layout = resolve_target_layout(contracts);
  if (!layout) {
    return layout.error();
  }
  auto schema = layout.value().schema;
  if (schema.empty()) {
    schema = default_postgresql_schema;
  }
  if (auto problem = identifier_problem(source.table)) {
    return db_error{db_error_kind::fatal, "source table: " + *problem};
  }
  const auto shared = shared_parents_of(contracts, layout.value().key_column);
  const auto qualified = [&](const std::string& table) {
    return qualified_table(dialect, schema, table);
  };

  // The source first, then what the contracts write, then the bookkeeping.
  std::vector<table_grant> grants{
      {quote_identifier(dialect, source.table), {"SELECT"}}};
  for (const auto& table : tables_written_by(contracts)) {
    if (auto problem = identifier_problem(table)) {
      return db_error{db_error_kind::fatal, "target table: " + *problem};
    }
    table_grant grant{qualified(table), {"INSERT"}};
    if (shared.count(table)) {
      grant.privileges.insert(grant.privileges.begin(), "SELECT");
    }
    grants.push_back(std::move(grant));
  }
  for (const char* own : {processing_log_table, runs_table}) {
    grants.push_back({qualified(own), {"SELECT", "INSERT", "UPDATE"}});
  }
  return grants;
}

result<std::vector<std::string>> grant_statements(
    const std::string& role, const source_table_spec& source,
    const std::vector<std::shared_ptr<const domain::contract>>& contracts) {
  if (auto problem = identifier_problem(role)) {
    return db_error{db_error_kind::fatal, "role: " + *problem};
  }
  auto grants = run_grants(backend::postgresql, source, contracts);
  if (!grants) {
    return grants.error();
  }
  const auto layout = resolve_target_layout(contracts);
  const auto schema = layout.value().schema.empty()
                          ? std::string(default_postgresql_schema)
                          : layout.value().schema;
  const auto grantee = quote_identifier(backend::postgresql, role);
  std::vector<std::string> statements{
      "GRANT USAGE ON SCHEMA " +
      quote_identifier(backend::postgresql, schema) + " TO " + grantee};
  for (const auto& grant : grants.value()) {
    std::string privileges;
    for (const auto& privilege : grant.privileges) {
      privileges += (privileges.empty() ? "" : ", ") + privilege;
    }
    statements.push_back("GRANT " + privileges + " ON " + grant.table +
                         " TO " + grantee);
  }
  return statements;
}

// -- readiness ---------------------------------------------------------------

namespace {

/// The checks of one run, with the sessions they ask.
class readiness_check {
 public:
  readiness_check(soci::session& source, backend source_kind,
                  soci::session& target, backend dialect, std::string schema)
      : source_(source),
        source_kind_(source_kind),
        target_(target),
        dialect_(dialect),
        schema_(std::move(schema)) {}

  std::vector<readiness_problem> problems;

  void check_schema();
  void check_table(const expected_table& table);
  void check_grant(const table_grant& grant, bool is_source);
  void check_source(const source_table_spec& spec);

  /// Whether the last checked target table exists (grants are checked on
  /// existing tables only).
  bool exists(const std::string& table) const {
    return missing_.count(table) == 0;
  }

 private:
  std::map<std::string, actual_column> columns_of(const std::string& table);
  std::string role_of(soci::session& session);
  std::string qualified(const std::string& table) const {
    return qualified_table(dialect_, schema_, table);
  }

  soci::session& source_;
  backend source_kind_;
  soci::session& target_;
  backend dialect_;
  std::string schema_;
  std::set<std::string> missing_;
  bool schema_usable_ = true;
};

std::string readiness_check::role_of(soci::session& session) {
  std::string role;
  session << "SELECT current_user", soci::into(role);
  return quote_identifier(backend::postgresql, role);
}

std::map<std::string, actual_column> readiness_check::columns_of(
    const std::string& table) {
  std::map<std::string, actual_column> columns;
  if (dialect_ == backend::sqlite) {
    auto listed = table_columns(target_, catalog_scope{dialect_, {}}, table);
    if (!listed) {
      throw std::runtime_error(listed.error().message);
    }
    for (const auto& column : listed.value()) {
      columns[lower(column.name)] = actual_column{"", column.generated};
    }
    return columns;
  }

  // pg_catalog, not information_schema: the latter hides the columns of
  // tables the role has no privilege on, which would read as missing.
  std::string name;
  std::string type;
  std::string generated;
  std::string bound_schema = lower(schema_);
  std::string bound_table = lower(table);
  soci::statement statement =
      (target_.prepare
           << "SELECT a.attname, format_type(a.atttypid, a.atttypmod),"
              " a.attgenerated::text FROM pg_attribute a"
              " JOIN pg_class c ON c.oid = a.attrelid"
              " JOIN pg_namespace n ON n.oid = c.relnamespace"
              " WHERE n.nspname = :s AND c.relname = :t AND a.attnum > 0"
              " AND NOT a.attisdropped",
       soci::into(name), soci::into(type), soci::into(generated),
       soci::use(bound_schema), soci::use(bound_table));
  statement.execute();
  while (statement.fetch()) {
    columns[name] = actual_column{type, !generated.empty()};
  }
  return columns;
}

void readiness_check::check_schema() {
  if (dialect_ != backend::postgresql) {
    return;
  }
  const auto quoted = quote_identifier(dialect_, schema_);
  long long found = 0;
  std::string bound = lower(schema_);
  target_ << "SELECT COUNT(*) FROM pg_namespace WHERE nspname = :s",
      soci::into(found), soci::use(bound);
  if (found == 0) {
    schema_usable_ = false;
    problems.push_back({"schema " + schema_ + " does not exist",
                        "CREATE SCHEMA " + quoted + ";"});
    return;
  }
  int usable = 0;
  target_ << "SELECT CASE WHEN has_schema_privilege(:s, 'USAGE')"
             " THEN 1 ELSE 0 END",
      soci::into(usable), soci::use(bound);
  if (usable == 0) {
    schema_usable_ = false;
    problems.push_back({"role may not use schema " + schema_,
                        "GRANT USAGE ON SCHEMA " + quoted + " TO " +
                            role_of(target_) + ";"});
  }
}

void readiness_check::check_table(const expected_table& table) {
  const auto columns = columns_of(table.name);
  if (columns.empty()) {
    missing_.insert(qualified(table.name));
    problems.push_back({"table " + qualified(table.name) + " does not exist",
                        table.create_sql + ";"});
    return;
  }
  for (const auto& column : table.columns) {
    const auto found = columns.find(column.name);
    if (found == columns.end()) {
      problems.push_back(
          {"column " + column.name + " of table " + qualified(table.name) +
               " does not exist",
           "ALTER TABLE " + qualified(table.name) + " ADD COLUMN " +
               column.definition + ";"});
      continue;
    }
    if (dialect_ == backend::postgresql && !column.generated &&
        !compatible_type(column.type, found->second.type)) {
      problems.push_back(
          {"column " + column.name + " of table " + qualified(table.name) +
               " is " + found->second.type + ", expected " + column.type,
           "ALTER TABLE " + qualified(table.name) + " ALTER COLUMN " +
               quote_identifier(dialect_, column.name) + " TYPE " +
               column.type + ";"});
    }
  }
}

void readiness_check::check_grant(const table_grant& grant, bool is_source) {
  const auto kind = is_source ? source_kind_ : dialect_;
  if (kind != backend::postgresql ||
      (!is_source && (!schema_usable_ || !exists(grant.table)))) {
    return;
  }
  auto& session = is_source ? source_ : target_;
  std::string table = grant.table;
  std::string lacking;
  for (const auto& privilege : grant.privileges) {
    std::string bound = privilege;
    int allowed = 0;
    session << "SELECT CASE WHEN has_table_privilege(:t, :p) THEN 1"
               " ELSE 0 END",
        soci::into(allowed), soci::use(table), soci::use(bound);
    if (allowed == 0) {
      lacking += (lacking.empty() ? "" : ", ") + privilege;
    }
  }
  if (!lacking.empty()) {
    problems.push_back({"role lacks " + lacking + " on " +
                            std::string(is_source ? "source " : "") +
                            "table " + grant.table,
                        "GRANT " + lacking + " ON " + grant.table + " TO " +
                            role_of(session) + ";"});
  }
}

void readiness_check::check_source(const source_table_spec& spec) {
  const auto table = quote_identifier(source_kind_, spec.table);
  long long found = 0;
  if (source_kind_ == backend::postgresql) {
    std::string bound = table;
    source_ << "SELECT COUNT(*) FROM (SELECT to_regclass(:t) AS t) r"
               " WHERE r.t IS NOT NULL",
        soci::into(found), soci::use(bound);
  } else {
    std::string bound = spec.table;
    source_ << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
               " AND name = :t COLLATE NOCASE",
        soci::into(found), soci::use(bound);
  }
  if (found == 0) {
    problems.push_back(
        {"source table " + spec.table + " does not exist",
         "-- load documents with `xmlshred import`, which creates it"});
  }
}

}  // namespace

result<std::vector<readiness_problem>> check_run_readiness(
    const database_url& source, const source_table_spec& source_table,
    const database_url& target,
    const std::vector<std::shared_ptr<const domain::contract>>& contracts) {
  auto layout = resolve_target_layout(contracts);
  if (!layout) {
    return layout.error();
  }
  auto plan = build_schema_plan(target.kind, contracts);
  if (!plan) {
    return plan.error();
  }
  auto grants = run_grants(target.kind, source_table, contracts);
  if (!grants) {
    return grants.error();
  }
  auto source_session = open_session(source, session_options{});
  if (!source_session) {
    return source_session.error();
  }
  auto target_session = open_session(target, session_options{});
  if (!target_session) {
    return target_session.error();
  }
  auto schema = layout.value().schema.empty()
                    ? std::string(default_postgresql_schema)
                    : layout.value().schema;
  readiness_check check(*source_session.value(), source.kind,
                        *target_session.value(), target.kind, schema);
  std::string context = "check source table " + source_table.table;
  try {
    check.check_source(source_table);
    if (check.problems.empty()) {
      check.check_grant(grants.value().front(), true /*source*/);
    }
    context = "check target schema " + schema;
    check.check_schema();
    for (const auto& table : expected_tables(plan.value(), target.kind)) {
      context = "check target table " + table.name;
      check.check_table(table);
    }
    for (std::size_t i = 1; i < grants.value().size(); ++i) {
      context = "check privileges on " + grants.value()[i].table;
      check.check_grant(grants.value()[i], false);
    }
  } catch (const std::exception& error) {
    return classify_db_exception(error, context);
  }
  return check.problems;
}

}  // namespace xmlshred::infra
