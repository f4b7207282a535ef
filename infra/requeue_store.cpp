#include "infra/requeue_store.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <soci/soci.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "infra/db_error_classifier.hpp"
#include "infra/db_session.hpp"
#include "infra/prepared_insert.hpp"
#include "infra/schema_catalog.hpp"
#include "infra/sql_identifier.hpp"

namespace xmlshred::infra {
namespace {

constexpr const char* default_postgresql_schema = "public";
/// Keys are written into IN lists as integer literals (nothing can be
/// injected); long lists are split to stay below statement size limits.
constexpr std::size_t keys_per_statement = 500;
constexpr const char* keys_placeholder = "@keys@";
constexpr long long millis_per_second = 1000;

// Columns of requeue_log in the order the audit statement binds them; the
// key column comes third (its name depends on the contracts).
const std::vector<std::string> audit_columns_before_key{"requeued_at",
                                                        "selector"};
const std::vector<std::string> audit_columns_after_key{
    "previous_status", "previous_category", "previous_message",
    "previous_run_id"};

std::string utc_now_text() {
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const std::tm calendar =
      fmt::gmtime(static_cast<std::time_t>(millis / millis_per_second));
  return fmt::format("{:%Y-%m-%d %H:%M:%S}.{:03d}", calendar,
                     millis % millis_per_second);
}

std::string key_list(const std::vector<domain::record_key>& keys,
                     std::size_t begin, std::size_t end) {
  std::string list;
  for (std::size_t i = begin; i < end; ++i) {
    list += (i == begin ? "" : ",") + std::to_string(keys[i]);
  }
  return list;
}

std::string with_keys(std::string predicate, const std::string& keys) {
  for (auto at = predicate.find(keys_placeholder); at != std::string::npos;
       at = predicate.find(keys_placeholder, at + keys.size())) {
    predicate.replace(at, std::string(keys_placeholder).size(), keys);
  }
  return predicate;
}

std::optional<std::string> optional_text(const std::string& text,
                                         soci::indicator null) {
  return null == soci::i_null ? std::nullopt
                              : std::optional<std::string>(text);
}

}  // namespace

std::string requeue_selector::describe() const {
  switch (kind) {
    case by::keys:
      return "key";
    case by::category:
      return "category=" + value;
    case by::record_status:
      return "status=" + value;
  }
  return "key";
}

struct requeue_store::impl {
  std::unique_ptr<soci::session> session;
  database_url url;
  std::vector<std::shared_ptr<const domain::contract>> contracts;
  catalog_scope scope;
  std::string key_column;  // as the contracts name it
  std::string log_table;   // qualified and quoted
  /// Tables in deletion order with the WHERE clause (keys_placeholder for
  /// the key list) that picks a record's rows.
  std::vector<std::pair<std::string, std::string>> deletions;
  std::vector<std::string> unlinked;

  std::string quoted(const std::string& name) const {
    return quote_identifier(scope.kind, name);
  }
  std::string table(const std::string& name) const {
    return qualified_table(scope.kind, scope.schema, name);
  }
  /// SQLite's IMMEDIATE takes the write lock up front, so the selection
  /// cannot change between reading and deleting it.
  void begin() {
    *session << (scope.kind == backend::sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
  }

  void plan_deletions();
  std::optional<std::string> predicate(
      const std::string& table,
      const std::map<std::string, std::vector<column_info>>& columns,
      std::size_t depth) const;
  std::vector<requeued_record> select(const requeue_selector& selector);
  std::vector<requeued_record> read_log(const std::string& where,
                                        const std::string* value);
  std::vector<requeued_record> select_by_keys(
      const std::vector<domain::record_key>& keys);
  std::size_t apply(const std::string& table, const std::string& where,
                    bool dry_run);
  void delete_rows(const std::vector<domain::record_key>& keys,
                   requeue_report& report, std::string& context);
  void ensure_audit_table();
  void write_audit(const std::vector<requeued_record>& records,
                   const std::string& selector);
};

// The rows of `table` that belong to the records whose keys replace the
// placeholder: by the key column, or through a relationship to a parent
// table that can be tied to the keys (contacts' addresses by con_id).
std::optional<std::string> requeue_store::impl::predicate(
    const std::string& table,
    const std::map<std::string, std::vector<column_info>>& columns,
    std::size_t depth) const {
  const auto found = columns.find(table);
  if (found == columns.end() || depth > columns.size()) {
    return std::nullopt;
  }
  if (has_column(found->second, key_column)) {
    return quoted(key_column) + " IN (" + keys_placeholder + ")";
  }
  for (const auto& c : contracts) {
    for (const auto& link : c->relationships) {
      const auto parent = columns.find(link.parent_table);
      if (link.child_table != table || parent == columns.end() ||
          !has_column(found->second, link.foreign_key_column) ||
          !has_column(parent->second, link.foreign_key_column)) {
        continue;
      }
      if (auto upper = predicate(link.parent_table, columns, depth + 1)) {
        const auto fk = quoted(link.foreign_key_column);
        return fk + " IN (SELECT " + fk + " FROM " +
               this->table(link.parent_table) + " WHERE " + *upper + ")";
      }
    }
  }
  return std::nullopt;
}

// Children before parents: a child's rows are found through its parent's,
// and foreign keys refuse the other order. Reverse insertion order, with
// each table's relationship children placed before it.
void requeue_store::impl::plan_deletions() {
  std::map<std::string, std::vector<column_info>> columns;
  const auto tables = contract_tables(contracts);
  for (const auto& name : tables) {
    auto info = table_columns(*session, scope, name);
    if (!info) {
      throw soci::soci_error(info.error().message);
    }
    if (!info.value().empty()) {
      columns.emplace(name, std::move(info.value()));
    }
  }
  std::set<std::string> visited;
  std::function<void(const std::string&)> visit = [&](const std::string& t) {
    if (!columns.count(t) || !visited.insert(t).second) {
      return;
    }
    for (const auto& c : contracts) {
      for (const auto& link : c->relationships) {
        if (link.parent_table == t) {
          visit(link.child_table);
        }
      }
    }
    if (auto where = predicate(t, columns, 0)) {
      deletions.emplace_back(t, *where);
    } else {
      unlinked.push_back(t);
    }
  };
  for (auto it = tables.rbegin(); it != tables.rend(); ++it) {
    visit(*it);
  }
}

// The log rows matching `where`, ascending by key; `value`, when given,
// is bound to the placeholder :v.
std::vector<requeued_record> requeue_store::impl::read_log(
    const std::string& where, const std::string* value) {
  std::vector<requeued_record> records;
  long long key = 0;
  std::string logged_status, category, message, run_id;
  soci::indicator category_null = soci::i_ok;
  soci::indicator message_null = soci::i_ok;
  soci::indicator run_null = soci::i_ok;
  std::string bound = value ? *value : std::string();
  soci::statement statement(*session);
  statement.exchange(soci::into(key));
  statement.exchange(soci::into(logged_status));
  statement.exchange(soci::into(category, category_null));
  statement.exchange(soci::into(message, message_null));
  statement.exchange(soci::into(run_id, run_null));
  if (value) {
    statement.exchange(soci::use(bound));
  }
  statement.alloc();
  statement.prepare("SELECT " + quoted(key_column) +
                    ", status, category, message, run_id FROM " + log_table +
                    " WHERE " + where + " ORDER BY " + quoted(key_column));
  statement.define_and_bind();
  statement.execute();
  while (statement.fetch()) {
    records.push_back({key, logged_status,
                       optional_text(category, category_null),
                       optional_text(message, message_null),
                       optional_text(run_id, run_null)});
  }
  return records;
}

// Every given key, with its log row when it has one.
std::vector<requeued_record> requeue_store::impl::select_by_keys(
    const std::vector<domain::record_key>& keys) {
  std::map<domain::record_key, requeued_record> logged;
  for (std::size_t begin = 0; begin < keys.size();
       begin += keys_per_statement) {
    const auto end = std::min(keys.size(), begin + keys_per_statement);
    for (auto& record : read_log(quoted(key_column) + " IN (" +
                                     key_list(keys, begin, end) + ")",
                                 nullptr)) {
      logged[record.key] = std::move(record);
    }
  }
  std::vector<requeued_record> records;
  for (const auto key : keys) {
    const auto found = logged.find(key);
    records.push_back(found != logged.end()
                          ? found->second
                          : requeued_record{key, {}, {}, {}, {}});
  }
  return records;
}

std::vector<requeued_record> requeue_store::impl::select(
    const requeue_selector& selector) {
  if (selector.kind == requeue_selector::by::keys) {
    auto keys = selector.keys;
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return select_by_keys(keys);
  }
  const std::string column =
      selector.kind == requeue_selector::by::category ? "category" : "status";
  return read_log(column + " = :v", &selector.value);
}

std::size_t requeue_store::impl::apply(const std::string& name,
                                       const std::string& where,
                                       bool dry_run) {
  if (dry_run) {
    long long rows = 0;
    *session << "SELECT COUNT(*) FROM " + table(name) + " WHERE " + where,
        soci::into(rows);
    return static_cast<std::size_t>(rows);
  }
  soci::statement statement =
      (session->prepare << "DELETE FROM " + table(name) + " WHERE " + where);
  statement.execute(true);
  return static_cast<std::size_t>(statement.get_affected_rows());
}

// requeue_log's statements come from the shipped schema, like every other
// table xmlshred creates.
void requeue_store::impl::ensure_audit_table() {
  auto plan = build_schema_plan(scope.kind, contracts);
  if (!plan) {
    throw soci::soci_error(plan.error().message);
  }
  for (const auto& sql : plan.value().statements) {
    if (sql.find(requeue_log_table) != std::string::npos) {
      *session << sql;
    }
  }
}

void requeue_store::impl::write_audit(
    const std::vector<requeued_record>& records,
    const std::string& selector) {
  std::vector<std::string> quoted_columns;
  for (const auto& column : audit_columns_before_key) {
    quoted_columns.push_back(quoted(column));
  }
  quoted_columns.push_back(quoted(key_column));
  for (const auto& column : audit_columns_after_key) {
    quoted_columns.push_back(quoted(column));
  }
  prepared_insert insert(*session,
                         insert_sql(table(requeue_log_table), quoted_columns),
                         quoted_columns.size());
  const auto now = utc_now_text();
  for (const auto& record : records) {
    insert.execute({now, selector, std::to_string(record.key), record.status,
                    record.category, record.message, record.run_id});
  }
}

// Every table in deletion order, then processing_log; `context` names the
// statement under way for error messages.
void requeue_store::impl::delete_rows(
    const std::vector<domain::record_key>& keys, requeue_report& report,
    std::string& context) {
  auto targets = deletions;
  targets.emplace_back(processing_log_table,
                       quoted(key_column) + " IN (" + keys_placeholder + ")");
  for (const auto& [name, where] : targets) {
    context = (report.dry_run ? "count rows of " : "delete rows of ") + name;
    std::size_t rows = 0;
    for (std::size_t begin = 0; begin < keys.size();
         begin += keys_per_statement) {
      const auto end = std::min(keys.size(), begin + keys_per_statement);
      rows += apply(name, with_keys(where, key_list(keys, begin, end)),
                    report.dry_run);
    }
    report.rows_deleted.emplace_back(name, rows);
  }
}

requeue_store::requeue_store(std::unique_ptr<impl> state)
    : impl_(std::move(state)) {}

requeue_store::~requeue_store() = default;

result<std::unique_ptr<requeue_store>> requeue_store::open(
    const database_url& url,
    const std::vector<std::shared_ptr<const domain::contract>>& contracts) {
  auto layout = resolve_target_layout(contracts);
  if (!layout) {
    return layout.error();
  }
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
  state->url = url;
  state->contracts = contracts;
  state->scope = {url.kind, layout.value().schema};
  if (url.kind == backend::postgresql && state->scope.schema.empty()) {
    state->scope.schema = default_postgresql_schema;
  }
  state->key_column = layout.value().key_column;
  state->log_table = state->table(processing_log_table);
  try {
    state->plan_deletions();
  } catch (const std::exception& error) {
    return classify_db_exception(error, "plan the requeue");
  }
  return std::unique_ptr<requeue_store>(new requeue_store(std::move(state)));
}

result<requeue_report> requeue_store::requeue(
    const requeue_selector& selector, bool dry_run) {
  auto& state = *impl_;
  requeue_report report;
  report.dry_run = dry_run;
  report.unlinked_tables = state.unlinked;
  std::string context = "select records in " +
                        std::string(processing_log_table);
  try {
    if (!dry_run) {
      state.begin();
    }
    report.records = state.select(selector);
    std::vector<domain::record_key> keys;
    for (const auto& record : report.records) {
      keys.push_back(record.key);
    }

    context.clear();
    state.delete_rows(keys, report, context);
    if (dry_run) {
      return report;
    }

    context = std::string("write ") + requeue_log_table;
    state.ensure_audit_table();
    state.write_audit(report.records, selector.describe());
    context = "commit the requeue";
    *state.session << "COMMIT";
    return report;
  } catch (const std::exception& error) {
    auto failure = classify_db_exception(error, context);
    if (!dry_run) {
      rollback_quietly(*state.session);
    }
    return failure;
  }
}

}  // namespace xmlshred::infra
