#include "infra/source_store.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <cctype>
#include <string_view>

#include "infra/db_error_classifier.hpp"
#include "infra/db_session.hpp"
#include "infra/sql_identifier.hpp"

namespace xmlshred::infra {
namespace {

// Keys are written into IN lists as decimal literals (they are integers,
// so nothing can be injected); long lists are split to stay far below the
// drivers' statement size limits.
constexpr std::size_t keys_per_query = 500;

/// Suffix of the SQLite key index's name, after the table name.
constexpr std::string_view key_index_suffix = "_key_order";

std::string key_list(const std::vector<domain::record_key>& keys,
                     std::size_t begin, std::size_t end) {
  std::string list;
  for (std::size_t i = begin; i < end; ++i) {
    list += (i == begin ? "" : ",") + std::to_string(keys[i]);
  }
  return list;
}

/// SQLite compares identifiers without regard to ASCII case.
bool sqlite_names_equal(const std::string& a, const std::string& b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

struct source_store::impl {
  std::unique_ptr<soci::session> session;
  database_url url;
  backend kind = backend::sqlite;
  source_table_spec spec;
  std::string table;       // quoted
  std::string key_column;  // quoted
  std::string xml_column;  // quoted

  /// The key listing query, chosen on first use (see choose_keys_query).
  std::string keys_query;

  // The import statement, prepared on first use and bound to these.
  long long import_key = 0;
  std::string import_xml;
  std::unique_ptr<soci::statement> import_statement;

  std::string context(const std::string& operation) const {
    return operation + " " + spec.table;
  }

  /// Opens a new session when a lost connection dropped the last one.
  /// Only reads reconnect: an import's transaction dies with its session.
  status reconnect_if_lost() {
    if (session) {
      return done{};
    }
    auto reopened = open_session(url, session_options{});
    if (!reopened) {
      return reopened.error();
    }
    session = std::move(reopened.value());
    return done{};
  }

  /// Whether the SQLite key index exists on this table and covers the key
  /// column alone. A same-named index of the user's, on other columns or
  /// another table, is not used. Names are plain identifiers (checked in
  /// open), so they can stand in the SQL text.
  bool has_key_index() {
    std::vector<std::string> columns(2);
    *session << "SELECT i.name FROM pragma_index_list('" + spec.table +
                    "') AS l JOIN pragma_index_info(l.name) AS i "
                    "WHERE l.name = '" + key_index_name(spec) + "'",
        soci::into(columns);
    return columns.size() == 1 &&
           sqlite_names_equal(columns.front(), spec.key_column);
  }

  /// Lists keys through the key index when SQLite has it. Walking the
  /// table instead reads a page per document, since each leaf page holds
  /// the start of a large document. SQLite 3.40 picks the covering index
  /// by itself; INDEXED BY keeps that plan whatever the version or the
  /// statistics say.
  void choose_keys_query() {
    std::string from = table;
    if (kind == backend::sqlite && has_key_index()) {
      from += " INDEXED BY " + quote_identifier(kind, key_index_name(spec));
    }
    keys_query = "SELECT " + key_column + " FROM " + from + " WHERE " +
                 key_column + " > :after ORDER BY " + key_column +
                 " LIMIT :n";
  }

  /// The classified error of a read; a transient one (the connection is
  /// gone) drops the session so that the next read reconnects.
  db_error read_failed(const std::exception& error,
                       const std::string& operation) {
    auto failure = classify_db_exception(error, context(operation));
    if (failure.kind == db_error_kind::transient) {
      import_statement.reset();
      session.reset();
    }
    return failure;
  }
};

source_store::source_store(std::unique_ptr<impl> state)
    : impl_(std::move(state)) {}

source_store::~source_store() = default;

result<std::unique_ptr<source_store>> source_store::open(
    const database_url& url, source_table_spec spec) {
  // Names come from the contract: refuse anything that is not a plain
  // identifier instead of trying to escape it.
  for (const auto* name : {&spec.table, &spec.key_column, &spec.xml_column}) {
    if (auto problem = identifier_problem(*name)) {
      return db_error{db_error_kind::fatal, "source table: " + *problem};
    }
  }
  auto session = open_session(url, session_options{});
  if (!session) {
    return session.error();
  }
  auto state = std::make_unique<impl>();
  state->session = std::move(session.value());
  state->url = url;
  state->kind = url.kind;
  state->table = quote_identifier(url.kind, spec.table);
  state->key_column = quote_identifier(url.kind, spec.key_column);
  state->xml_column = quote_identifier(url.kind, spec.xml_column);
  state->spec = std::move(spec);
  return std::unique_ptr<source_store>(new source_store(std::move(state)));
}

std::string source_store::key_index_name(const source_table_spec& spec) {
  return spec.table + std::string(key_index_suffix);
}

status source_store::ensure_table() {
  const bool sqlite = impl_->kind == backend::sqlite;
  const std::string sql = "CREATE TABLE IF NOT EXISTS " + impl_->table +
                          " (" + impl_->key_column +
                          (sqlite ? " INTEGER" : " bigint") +
                          " PRIMARY KEY, " + impl_->xml_column +
                          (sqlite ? " TEXT" : " text") + " NOT NULL)";
  try {
    *impl_->session << sql;

    // PostgreSQL's primary key is already an index apart from the rows.
    if (sqlite) {
      *impl_->session << "CREATE INDEX IF NOT EXISTS " +
                             quote_identifier(impl_->kind,
                                              key_index_name(impl_->spec)) +
                             " ON " + impl_->table + " (" +
                             impl_->key_column + ")";
    }
    return done{};
  } catch (const std::exception& error) {
    return classify_db_exception(error, impl_->context("create table"));
  }
}

result<import_outcome> source_store::import_document(domain::record_key key,
                                                     std::string_view xml) {
  try {
    // Prepared once: a bulk import runs this for every document.
    if (!impl_->import_statement) {
      auto statement = std::make_unique<soci::statement>(*impl_->session);
      statement->exchange(soci::use(impl_->import_key));
      statement->exchange(soci::use(impl_->import_xml));
      statement->alloc();
      statement->prepare("INSERT INTO " + impl_->table + " (" +
                         impl_->key_column + ", " + impl_->xml_column +
                         ") VALUES (:k, :x) ON CONFLICT (" +
                         impl_->key_column + ") DO NOTHING");
      statement->define_and_bind();
      impl_->import_statement = std::move(statement);
    }
    impl_->import_key = key;
    impl_->import_xml.assign(xml.data(), xml.size());
    impl_->import_statement->execute(true /*exchange data*/);
    return impl_->import_statement->get_affected_rows() > 0
               ? import_outcome::inserted
               : import_outcome::already_present;
  } catch (const std::exception& error) {
    impl_->import_statement.reset();
    return classify_db_exception(
        error, impl_->context("import key " + std::to_string(key) + " into"));
  }
}

status source_store::begin_import() {
  try {
    *impl_->session << "BEGIN";
    return done{};
  } catch (const std::exception& error) {
    return classify_db_exception(error, impl_->context("begin import into"));
  }
}

status source_store::commit_import() {
  try {
    *impl_->session << "COMMIT";
    return done{};
  } catch (const std::exception& error) {
    rollback_quietly(*impl_->session);
    return classify_db_exception(error, impl_->context("commit import into"));
  }
}

result<std::vector<domain::record_key>> source_store::keys_after(
    domain::record_key after, std::size_t limit) {
  if (limit == 0) {
    return std::vector<domain::record_key>{};
  }
  if (auto connected = impl_->reconnect_if_lost(); !connected) {
    return connected.error();
  }
  try {
    if (impl_->keys_query.empty()) {
      impl_->choose_keys_query();
    }

    // SOCI shrinks the bulk vector to the rows actually fetched.
    std::vector<long long> fetched(limit);
    long long after_key = after;
    long long row_limit = static_cast<long long>(limit);
    *impl_->session << impl_->keys_query, soci::into(fetched),
        soci::use(after_key), soci::use(row_limit);
    return std::vector<domain::record_key>(fetched.begin(), fetched.end());
  } catch (const std::exception& error) {
    return impl_->read_failed(error, "read keys of");
  }
}

result<std::vector<domain::source_record>> source_store::fetch(
    const std::vector<domain::record_key>& keys) {
  std::vector<domain::source_record> records;
  if (auto connected = impl_->reconnect_if_lost(); !connected) {
    return connected.error();
  }
  try {
    for (std::size_t begin = 0; begin < keys.size();
         begin += keys_per_query) {
      const auto end = std::min(keys.size(), begin + keys_per_query);
      long long key = 0;
      std::string xml;
      soci::indicator xml_indicator = soci::i_ok;
      soci::statement statement =
          (impl_->session->prepare
               << "SELECT " + impl_->key_column + ", " + impl_->xml_column +
                      " FROM " + impl_->table + " WHERE " +
                      impl_->key_column + " IN (" +
                      key_list(keys, begin, end) + ")",
           soci::into(key), soci::into(xml, xml_indicator));
      statement.execute();

      // A NULL document reads as empty text: the pipeline rejects it as an
      // empty document instead of failing the whole fetch.
      while (statement.fetch()) {
        domain::source_record record;
        record.key = key;
        record.xml = xml_indicator == soci::i_null ? std::string() : xml;
        records.push_back(std::move(record));
      }
    }
  } catch (const std::exception& error) {
    return impl_->read_failed(error, "fetch documents of");
  }
  std::sort(records.begin(), records.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  return records;
}

result<std::size_t> source_store::count() {
  if (auto connected = impl_->reconnect_if_lost(); !connected) {
    return connected.error();
  }
  try {
    long long rows = 0;
    *impl_->session << "SELECT COUNT(*) FROM " + impl_->table,
        soci::into(rows);
    return static_cast<std::size_t>(rows);
  } catch (const std::exception& error) {
    return impl_->read_failed(error, "count rows of");
  }
}

}  // namespace xmlshred::infra
