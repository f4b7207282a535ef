#include "infra/db_session.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <libpq-fe.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "infra/db_error_classifier.hpp"

namespace xmlshred::infra {
namespace {

// WAL lets readers (the source, a monitoring shell) proceed while a batch
// is written; NORMAL sync is durable at checkpoints and safe with WAL.
void configure_sqlite(soci::session& session,
                      const session_options& options) {
  std::string journal_mode;
  session << "PRAGMA journal_mode=WAL", soci::into(journal_mode);
  session << "PRAGMA synchronous=NORMAL";
  session << "PRAGMA foreign_keys=ON";
  session << "PRAGMA busy_timeout=" +
                 std::to_string(options.busy_timeout.count());
}

// libpq's keyword='value' form with quotes and backslashes escaped.
std::string quoted_keyword_value(const char* keyword, const char* value) {
  std::string text = std::string(keyword) + "='";
  for (const char* c = value; *c != '\0'; ++c) {
    if (*c == '\'' || *c == '\\') {
      text += '\\';
    }
    text += *c;
  }
  return text + "'";
}

// SOCI re-reads the connect string as space-separated name=value pairs
// before handing it to libpq, which breaks a URI (its database name comes
// out as "db="). libpq itself parses the URI here, by its own rules, and
// the result is passed on in keyword form; what the URI leaves out still
// comes from the PG* environment variables when libpq connects.
std::string libpq_keywords(const std::string& uri) {
  char* problem = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(uri.c_str(), &problem), &PQconninfoFree);
  if (!options) {
    const std::string reason =
        problem != nullptr ? problem : "cannot parse the URL";
    PQfreemem(problem);
    throw std::invalid_argument(mask_url_secrets(reason));
  }
  std::string keywords;
  for (const auto* option = options.get(); option->keyword != nullptr;
       ++option) {
    if (option->val != nullptr) {
      keywords += (keywords.empty() ? "" : " ") +
                  quoted_keyword_value(option->keyword, option->val);
    }
  }
  return keywords;
}

}  // namespace

result<std::unique_ptr<soci::session>> open_session(
    const database_url& url, const session_options& options) {
  try {
    std::unique_ptr<soci::session> session;
    if (url.kind == backend::sqlite) {
      session = std::make_unique<soci::session>(*soci::factory_sqlite3(),
                                                url.connect_string);
      configure_sqlite(*session, options);
    } else {
      session = std::make_unique<soci::session>(
          *soci::factory_postgresql(), libpq_keywords(url.connect_string));
      // CREATE ... IF NOT EXISTS reports each skipped object as a NOTICE,
      // which libpq prints to stderr: keep only warnings and errors.
      *session << "SET client_min_messages = warning";
    }
    return session;
  } catch (const std::exception& error) {
    return classify_db_exception(error, "open " + url.masked);
  }
}

void rollback_quietly(soci::session& session) {
  try {
    session << "ROLLBACK";
  } catch (const std::exception&) {
    // Deliberately ignored: there may be no open transaction, or the
    // connection may be gone; the caller reports the error that led here.
  }
}

}  // namespace xmlshred::infra
