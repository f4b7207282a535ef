#include "infra/db_session.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

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
      session = std::make_unique<soci::session>(*soci::factory_postgresql(),
                                                url.connect_string);
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
