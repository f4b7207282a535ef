#include "infra/target_store.hpp"

#include "infra/fault_injector.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <soci/soci.h>

#include <algorithm>
#include <ctime>
#include <numeric>
#include <stdexcept>

#include "infra/db_error_classifier.hpp"
#include "infra/db_session.hpp"
#include "infra/logging.hpp"
#include "infra/prepared_insert.hpp"
#include "infra/schema_catalog.hpp"
#include "infra/shared_row_filter.hpp"
#include "infra/sql_identifier.hpp"

namespace xmlshred::infra {
namespace {

constexpr const char* savepoint = "xmlshred_record";
constexpr std::size_t keys_per_query = 500;
constexpr const char* notes_separator = "; ";
constexpr const char* converted_status = "converted";
constexpr long long millis_per_second = 1000;
/// Rows of one table sent in one INSERT: few enough that the parameters
/// stay far below the drivers' limits (PostgreSQL: 65535).
constexpr std::size_t max_rows_per_insert = 64;

// Columns of processing_log in the order the log statement binds them.
const std::vector<std::string> log_columns{
    "status",     "category",    "message",    "attempts", "run_id",
    "contract",   "started_at",  "finished_at", "duration_ms"};

/// A row or name the caller handed in is malformed: a programming error
/// that fails the batch (fatal), not one record.
class invalid_batch : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// UTC "YYYY-MM-DD HH:MM:SS.mmm": the calendar part comes from fmt's
// strftime-style formatting of gmtime, the milliseconds are appended.
std::string utc_text(std::chrono::system_clock::time_point when) {
  const auto millis =
      std::chrono::floor<std::chrono::milliseconds>(when).time_since_epoch()
          .count();
  auto seconds = millis / millis_per_second;
  auto fraction = millis % millis_per_second;
  if (fraction < 0) {
    fraction += millis_per_second;
    --seconds;
  }
  const std::tm calendar = fmt::gmtime(static_cast<std::time_t>(seconds));
  return fmt::format("{:%Y-%m-%d %H:%M:%S}.{:03d}", calendar, fraction);
}

domain::cell optional_text(const std::string& text) {
  return text.empty() ? domain::cell() : domain::cell(text);
}

std::string joined(const std::vector<std::string>& notes) {
  std::string text;
  for (const auto& note : notes) {
    text += (text.empty() ? "" : notes_separator) + note;
  }
  return text;
}

// The outcome without its rows; the caller adds the rows it wrote.
domain::record_outcome summary_of(const domain::record_outcome& outcome) {
  domain::record_outcome summary;
  summary.key = outcome.key;
  summary.status = outcome.status;
  summary.category = outcome.category;
  summary.message = outcome.message;
  summary.attempts = outcome.attempts;
  summary.contract_name = outcome.contract_name;
  summary.notes = outcome.notes;
  summary.started_at = outcome.started_at;
  summary.duration = outcome.duration;
  return summary;
}

std::string key_list(const std::vector<domain::record_key>& keys,
                     std::size_t begin, std::size_t end) {
  std::string list;
  for (std::size_t i = begin; i < end; ++i) {
    list += (i == begin ? "" : ",") + std::to_string(keys[i]);
  }
  return list;
}

}  // namespace

struct target_store::impl {
  // Declared first so that it is destroyed last, after the statements.
  std::unique_ptr<soci::session> session;
  database_url url;
  /// A lookup lost the connection: the next lookup opens a new one.
  bool reconnect_pending = false;
  backend kind = backend::sqlite;
  target_layout layout;
  std::string log_table;   // qualified and quoted
  std::string runs_table;  // qualified and quoted
  /// What the current statement does, for error messages.
  std::string context;
  /// Tables whose rows a later record may find taken (contacts by con_id).
  std::map<std::string, shared_parent> shared_parents;
  /// Prepared inserts per (table, column list).
  std::map<std::string, std::unique_ptr<prepared_insert>> inserts;
  std::unique_ptr<prepared_insert> log_upsert;

  std::string qualified(const std::string& table) const {
    return qualified_table(kind, layout.schema, table);
  }

  void execute(const std::string& sql) { *session << sql; }

  /// Drops every prepared statement: after a failed batch the connection
  /// may be gone, and statements prepared on it with it.
  void forget_statements() {
    inserts.clear();
    log_upsert.reset();
  }

  prepared_insert& insert_for(const domain::table_rows& rows, bool if_absent,
                              std::size_t row_count);
  void insert_together(const domain::table_rows& rows,
                       domain::table_rows& inserted);
  prepared_insert& log_statement();
  void insert_planned(const planned_rows& planned,
                      domain::record_outcome& written);
  void insert_rows(const std::vector<planned_rows>& plan,
                   domain::record_outcome& written,
                   std::map<std::string, std::size_t>& counts);
  void insert_log(const domain::record_outcome& outcome,
                  const std::string& run_id);
  domain::record_outcome write_record(
      const domain::record_outcome& outcome, const std::string& run_id,
      std::map<std::string, std::size_t>& rows_per_table);
  void create_schema(
      const std::vector<std::shared_ptr<const domain::contract>>& contracts);

  /// Classifies a failed read of the processing log's keys. The reader
  /// keeps its store across failures: a transient one reconnects next time.
  db_error failed_key_read(const std::exception& error) {
    auto failure = classify_db_exception(
        error, std::string("read keys of ") + processing_log_table);
    reconnect_pending = failure.kind == db_error_kind::transient;
    return failure;
  }
};

prepared_insert& target_store::impl::insert_for(
    const domain::table_rows& rows, bool if_absent, std::size_t row_count) {
  std::string cache_key = (if_absent ? "?" : "") +
                          std::to_string(row_count) + "*" + rows.table;
  for (const auto& column : rows.columns) {
    cache_key += "\n" + column;
  }
  auto& cached = inserts[cache_key];
  if (cached) {
    return *cached;
  }

  // Names come from the contract; refuse rather than escape odd ones.
  if (auto problem = identifier_problem(rows.table)) {
    throw invalid_batch("table: " + *problem);
  }
  std::vector<std::string> quoted_columns;
  for (const auto& column : rows.columns) {
    if (auto problem = identifier_problem(column)) {
      throw invalid_batch("table " + rows.table + ": column " + *problem);
    }
    quoted_columns.push_back(quote_identifier(kind, column));
  }
  auto sql = insert_sql(qualified(rows.table), quoted_columns);

  // Further rows as further VALUES tuples, numbered on from the first.
  const auto width = quoted_columns.size();
  for (std::size_t row = 1; row < row_count; ++row) {
    sql += ", (";
    for (std::size_t column = 0; column < width; ++column) {
      sql += (column == 0 ? ":p" : ", :p") +
             std::to_string(row * width + column);
    }
    sql += ")";
  }
  if (if_absent) {
    sql += " ON CONFLICT DO NOTHING";
  }
  cached = std::make_unique<prepared_insert>(*session, sql,
                                             width * row_count);
  return *cached;
}

// Several rows of one table in one statement per max_rows_per_insert: one
// round trip instead of one per row. All rows of a record are inserted or
// the record fails, so nothing is lost by not knowing which row a refusal
// came from; rows that may be skipped (if_absent) never come here.
void target_store::impl::insert_together(const domain::table_rows& rows,
                                         domain::table_rows& inserted) {
  for (std::size_t begin = 0; begin < rows.rows.size();
       begin += max_rows_per_insert) {
    const auto end = std::min(rows.rows.size(), begin + max_rows_per_insert);
    std::vector<domain::cell> values;
    values.reserve((end - begin) * rows.columns.size());
    for (auto row = begin; row < end; ++row) {
      values.insert(values.end(), rows.rows[row].begin(),
                    rows.rows[row].end());
    }
    insert_for(rows, false /*if_absent*/, end - begin).execute(values);
    inserted.rows.insert(inserted.rows.end(), rows.rows.begin() + begin,
                         rows.rows.begin() + end);
  }
}

// An upsert, so that reprocessing a rejected or failed key replaces its
// old entry, while a converted entry (whose rows exist) is never
// overwritten.
prepared_insert& target_store::impl::log_statement() {
  if (log_upsert) {
    return *log_upsert;
  }
  const std::string key = quote_identifier(kind, layout.key_column);
  std::vector<std::string> quoted{key};
  std::string updates;
  for (const auto& column : log_columns) {
    const auto quoted_column = quote_identifier(kind, column);
    quoted.push_back(quoted_column);
    updates += (updates.empty() ? "" : ", ") + quoted_column +
               " = excluded." + quoted_column;
  }
  std::string sql = insert_sql(log_table, quoted);
  sql.insert(sql.find(" ("), " AS logged");
  sql += " ON CONFLICT (" + key + ") DO UPDATE SET " + updates +
         " WHERE logged.status <> '" + converted_status + "'";
  log_upsert =
      std::make_unique<prepared_insert>(*session, sql, quoted.size());
  return *log_upsert;
}

// Inserts one planned block and appends what was inserted to `written`.
void target_store::impl::insert_planned(const planned_rows& planned,
                                        domain::record_outcome& written) {
  const auto& rows = planned.rows;
  context = "insert into " + rows.table;
  domain::table_rows inserted{rows.table, rows.columns, {}};
  for (const auto& row : rows.rows) {
    if (row.size() != rows.columns.size()) {
      throw invalid_batch("key " + std::to_string(written.key) +
                          ": a row has " + std::to_string(row.size()) +
                          " cells for " +
                          std::to_string(rows.columns.size()) + " columns");
    }
  }
  if (!planned.if_absent && rows.rows.size() > 1) {
    insert_together(rows, inserted);
  } else {
    auto& statement = insert_for(rows, planned.if_absent, 1);
    for (const auto& row : rows.rows) {
      if (statement.execute(row) > 0) {
        inserted.rows.push_back(row);
      }
    }
  }
  const auto skipped = rows.rows.size() - inserted.rows.size();
  if (skipped > 0) {
    written.notes.push_back(rows.table + ": " + std::to_string(skipped) +
                            " row(s) skipped, already present");
  }
  auto& tables = written.tables;
  if (!tables.empty() && tables.back().table == rows.table &&
      tables.back().columns == rows.columns) {
    auto& previous = tables.back().rows;
    previous.insert(previous.end(), inserted.rows.begin(),
                    inserted.rows.end());
  } else if (!inserted.rows.empty()) {
    tables.push_back(std::move(inserted));
  }
}

void target_store::impl::insert_rows(
    const std::vector<planned_rows>& plan, domain::record_outcome& written,
    std::map<std::string, std::size_t>& counts) {
  for (const auto& planned : plan) {
    if (planned.rows.rows.empty()) {
      continue;
    }
    const auto before = written.row_count();
    insert_planned(planned, written);
    counts[planned.rows.table] += written.row_count() - before;
  }
}

void target_store::impl::insert_log(const domain::record_outcome& outcome,
                                    const std::string& run_id) {
  context = std::string("insert into ") + processing_log_table;
  const bool converted = outcome.status == domain::record_status::converted;
  const bool has_start =
      outcome.started_at != std::chrono::system_clock::time_point{};
  const auto duration_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(outcome.duration)
          .count();
  std::vector<domain::cell> row{
      std::to_string(outcome.key),
      std::string(domain::to_string(outcome.status)),
      outcome.category ? domain::cell(std::string(
                             domain::to_string(*outcome.category)))
                       : domain::cell(),
      optional_text(converted ? joined(outcome.notes) : outcome.message),
      std::to_string(outcome.attempts),
      run_id,
      optional_text(outcome.contract_name),
      has_start ? domain::cell(utc_text(outcome.started_at)) : domain::cell(),
      utc_text(std::chrono::system_clock::now()),
      std::to_string(duration_ms)};
  log_statement().execute(row);
}

// One record inside the batch transaction; returns its final outcome with
// the rows inserted. A record-kind error (the database refused a row) undoes
// this record only and logs it failed; anything else propagates and fails
// the batch.
domain::record_outcome target_store::impl::write_record(
    const domain::record_outcome& outcome, const std::string& run_id,
    std::map<std::string, std::size_t>& rows_per_table) {
  execute(std::string("SAVEPOINT ") + savepoint);
  auto written = summary_of(outcome);
  std::map<std::string, std::size_t> counts;
  try {
    // A contact whose con_id another record already wrote is skipped; its
    // addresses and employments attach only where that type is still free
    // (as the reference does), and the record still converts.
    if (outcome.status == domain::record_status::converted) {
      context = "look up shared keys";
      const auto plan =
          plan_record_rows(*session, kind, layout.schema, shared_parents,
                           outcome.tables, written.notes);
      insert_rows(plan, written, counts);
    }
    insert_log(written, run_id);
    execute(std::string("RELEASE SAVEPOINT ") + savepoint);
  } catch (const soci::soci_error& error) {
    const auto refused = classify_db_exception(error, context);
    if (refused.kind != db_error_kind::record) {
      throw;
    }
    execute(std::string("ROLLBACK TO SAVEPOINT ") + savepoint);
    execute(std::string("RELEASE SAVEPOINT ") + savepoint);

    auto failed = summary_of(outcome);
    failed.status = domain::record_status::failed;
    failed.category = domain::failure_category::constraint;
    failed.message = refused.message;
    insert_log(failed, run_id);
    return failed;
  }
  for (const auto& [table, rows] : counts) {
    rows_per_table[table] += rows;
  }
  return written;
}

void target_store::impl::create_schema(
    const std::vector<std::shared_ptr<const domain::contract>>& contracts) {
  context = "create schema";
  auto plan = build_schema_plan(kind, contracts);
  if (!plan) {
    throw invalid_batch(plan.error().message);
  }
  for (const auto& warning : plan.value().warnings) {
    logger("target")->warn("schema: {}", warning);
  }

  // One transaction: a failure leaves no half-created schema behind.
  execute("BEGIN");
  try {
    for (const auto& sql : plan.value().statements) {
      execute(sql);
    }
    execute("COMMIT");
  } catch (...) {
    rollback_quietly(*session);
    throw;
  }
}

target_store::target_store(std::unique_ptr<impl> state)
    : impl_(std::move(state)) {}

target_store::~target_store() = default;

result<std::unique_ptr<target_store>> target_store::open(
    const database_url& url,
    const std::vector<std::shared_ptr<const domain::contract>>& contracts,
    bool create_schema) {
  target_options options;
  options.create_schema = create_schema;
  return open(url, contracts, options);
}

result<std::unique_ptr<target_store>> target_store::open(
    const database_url& url,
    const std::vector<std::shared_ptr<const domain::contract>>& contracts,
    const target_options& options) {
  auto layout = resolve_target_layout(contracts);
  if (!layout) {
    return layout.error();
  }
  auto session = open_session(url, session_options{options.busy_timeout});
  if (!session) {
    return session.error();
  }

  auto state = std::make_unique<impl>();
  state->session = std::move(session.value());
  state->url = url;
  state->kind = url.kind;
  state->layout = std::move(layout.value());
  if (url.kind == backend::postgresql && state->layout.schema.empty()) {
    state->layout.schema = "public";
  }
  state->shared_parents =
      shared_parents_of(contracts, state->layout.key_column);
  for (const auto& [table, shared] : state->shared_parents) {
    for (const auto* name : {&table, &shared.key_column}) {
      if (auto problem = identifier_problem(*name)) {
        return db_error{db_error_kind::fatal, "relationship: " + *problem};
      }
    }
  }
  state->log_table = state->qualified(processing_log_table);
  state->runs_table = state->qualified(runs_table);
  try {
    if (options.create_schema) {
      state->create_schema(contracts);
    }
  } catch (const std::exception& error) {
    return classify_db_exception(error, state->context);
  }
  return std::unique_ptr<target_store>(new target_store(std::move(state)));
}

result<batch_report> target_store::write_batch(
    const std::vector<domain::record_outcome>& batch,
    const std::string& run_id, const std::function<void()>& before_commit) {
  std::vector<const domain::record_outcome*> records;
  records.reserve(batch.size());
  for (const auto& outcome : batch) {
    records.push_back(&outcome);
  }
  return write_batch(records, run_id, before_commit);
}

result<batch_report> target_store::write_batch(
    const std::vector<const domain::record_outcome*>& batch,
    const std::string& run_id, const std::function<void()>& before_commit) {
  batch_report report;
  auto& state = *impl_;
  try {
    // IMMEDIATE takes SQLite's write lock up front, so a busy database
    // fails here, before any work, rather than at the first insert.
    state.context = "begin batch";
    state.execute(state.kind == backend::sqlite ? "BEGIN IMMEDIATE"
                                                : "BEGIN");
    // Ascending key order, whatever order the records arrived in: which
    // record keeps a shared contact then matches a keyset-ordered run.
    std::vector<std::size_t> order(batch.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) {
      return batch[a]->key < batch[b]->key;
    });
    report.written.resize(batch.size());
    for (auto index : order) {
      report.written[index] =
          state.write_record(*batch[index], run_id, report.rows_per_table);
    }
    if (before_commit) {
      before_commit();
    }
    state.context = "commit batch";
    state.execute("COMMIT");
    return report;
  } catch (const injected_failure& injected) {
    rollback_quietly(*state.session);
    state.forget_statements();
    return db_error{db_error_kind::transient, injected.what()};
  } catch (const std::exception& error) {
    auto failure = classify_db_exception(error, state.context);
    rollback_quietly(*state.session);
    state.forget_statements();

    // A record error that escapes write_record means even the failure
    // could not be logged: not the fault of one record.
    if (failure.kind == db_error_kind::record) {
      failure.kind = db_error_kind::fatal;
    }
    return failure;
  }
}

status target_store::reconnect_if_pending() {
  if (!impl_->reconnect_pending) {
    return done{};
  }
  auto reopened = open_session(impl_->url, session_options{});
  if (!reopened) {
    return reopened.error();
  }
  impl_->forget_statements();
  impl_->session = std::move(reopened.value());
  impl_->reconnect_pending = false;
  return done{};
}

result<std::vector<domain::record_key>> target_store::logged_keys_between(
    domain::record_key first, domain::record_key last) {
  if (first > last) {
    return std::vector<domain::record_key>{};
  }
  if (auto connected = reconnect_if_pending(); !connected) {
    return connected.error();
  }
  const std::string key = quote_identifier(impl_->kind,
                                           impl_->layout.key_column);
  try {
    std::vector<domain::record_key> logged;
    long long found = 0;
    long long low = first;
    long long high = last;
    soci::statement statement =
        (impl_->session->prepare
             << "SELECT " + key + " FROM " + impl_->log_table + " WHERE " +
                    key + " BETWEEN :low AND :high ORDER BY " + key,
         soci::into(found), soci::use(low), soci::use(high));
    statement.execute();
    while (statement.fetch()) {
      logged.push_back(found);
    }
    return logged;
  } catch (const std::exception& error) {
    return impl_->failed_key_read(error);
  }
}

result<std::unordered_set<domain::record_key>> target_store::logged_keys(
    const std::vector<domain::record_key>& keys) {
  std::unordered_set<domain::record_key> logged;
  const std::string key = quote_identifier(impl_->kind,
                                           impl_->layout.key_column);
  if (auto connected = reconnect_if_pending(); !connected) {
    return connected.error();
  }
  try {
    for (std::size_t begin = 0; begin < keys.size();
         begin += keys_per_query) {
      const auto end = std::min(keys.size(), begin + keys_per_query);
      long long found = 0;
      soci::statement statement =
          (impl_->session->prepare
               << "SELECT " + key + " FROM " + impl_->log_table + " WHERE " +
                      key + " IN (" + key_list(keys, begin, end) + ")",
           soci::into(found));
      statement.execute();
      while (statement.fetch()) {
        logged.insert(found);
      }
    }
    return logged;
  } catch (const std::exception& error) {
    return impl_->failed_key_read(error);
  }
}

status target_store::begin_run(const std::string& run_id,
                               const std::string& settings) {
  try {
    std::string started = utc_text(std::chrono::system_clock::now());
    std::string run = run_id;
    std::string summary = settings;
    *impl_->session << "INSERT INTO " + impl_->runs_table +
                           " (run_id, started_at, settings)"
                           " VALUES (:r, :s, :j)",
        soci::use(run), soci::use(started), soci::use(summary);
    return done{};
  } catch (const std::exception& error) {
    return classify_db_exception(error, "insert run " + run_id + " into " +
                                            std::string(runs_table));
  }
}

status target_store::finish_run(const std::string& run_id,
                                const run_totals& totals, int exit_code) {
  std::vector<domain::cell> values{
      utc_text(std::chrono::system_clock::now()),
      std::to_string(totals.read),
      std::to_string(totals.converted),
      std::to_string(totals.rejected),
      std::to_string(totals.failed),
      std::to_string(exit_code),
      run_id};
  try {
    prepared_insert update(
        *impl_->session,
        "UPDATE " + impl_->runs_table +
            " SET finished_at = :p0, read_count = :p1,"
            " converted_count = :p2, rejected_count = :p3,"
            " failed_count = :p4, exit_code = :p5 WHERE run_id = :p6",
        values.size());
    update.execute(values);
    return done{};
  } catch (const std::exception& error) {
    return classify_db_exception(error, "update run " + run_id + " in " +
                                            std::string(runs_table));
  }
}

}  // namespace xmlshred::infra
