#include "infra/db_error_classifier.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <string>

#include "infra/database_url.hpp"

namespace xmlshred::infra {
namespace {

// SQLite primary result codes (the low byte of an extended code).
constexpr int sqlite_primary_mask = 0xff;
constexpr int sqlite_busy = 5;
constexpr int sqlite_locked = 6;
constexpr int sqlite_toobig = 18;
constexpr int sqlite_constraint = 19;
constexpr int sqlite_mismatch = 20;
constexpr int sqlite_range = 25;

db_error_kind sqlite_kind(int code) {
  switch (code & sqlite_primary_mask) {
    case sqlite_busy:
    case sqlite_locked:
      return db_error_kind::transient;
    case sqlite_toobig:
    case sqlite_constraint:
    case sqlite_mismatch:
    case sqlite_range:
      return db_error_kind::record;
    default:
      return db_error_kind::fatal;
  }
}

bool is_transient_sqlstate(const std::string& state) {
  static const std::string transient_states[] = {
      "40001",  // serialization_failure
      "40P01",  // deadlock_detected
      "57P01",  // admin_shutdown
      "57P02",  // crash_shutdown
      "57P03",  // cannot_connect_now
      "53300",  // too_many_connections
  };
  if (state.rfind("08", 0) == 0) {  // connection exceptions
    return true;
  }
  for (const auto& transient : transient_states) {
    if (state == transient) {
      return true;
    }
  }
  return false;
}

// libpq reports a connection that died under a statement (a terminated
// backend, a restarted server, a cut network) without a SQLSTATE, and SOCI
// then cannot tell it from any other failure: recognise libpq's wording.
bool is_lost_connection_text(const std::string& text) {
  static const char* const lost_connection_texts[] = {
      "server closed the connection unexpectedly",
      "terminating connection",
      "no connection to the server",
      "connection to server was lost",
      "could not receive data from server",
      "could not send data to server",
      "SSL connection has been closed unexpectedly",
      "Connection failed.",  // SOCI, when libpq reports CONNECTION_BAD
  };
  for (const char* lost : lost_connection_texts) {
    if (text.find(lost) != std::string::npos) {
      return true;
    }
  }
  return false;
}

db_error_kind postgresql_kind(const soci::postgresql_soci_error& error) {
  const std::string state = error.sqlstate();
  if (is_transient_sqlstate(state) ||
      is_lost_connection_text(error.get_error_message())) {
    return db_error_kind::transient;
  }
  if (state.rfind("23", 0) == 0 || state.rfind("22", 0) == 0) {
    return db_error_kind::record;
  }
  if (error.get_error_category() == soci::soci_error::connection_error) {
    return db_error_kind::transient;
  }
  return db_error_kind::fatal;
}

db_error_kind generic_kind(const soci::soci_error& error) {
  if (is_lost_connection_text(error.get_error_message())) {
    return db_error_kind::transient;
  }
  switch (error.get_error_category()) {
    case soci::soci_error::connection_error:
      return db_error_kind::transient;
    case soci::soci_error::constraint_violation:
      return db_error_kind::record;
    default:
      return db_error_kind::fatal;
  }
}

// Drivers may echo input: PostgreSQL adds "DETAIL: Key (app_id)=(42)" on a
// second line and quotes bad input after a colon ('invalid input syntax
// for type integer: "x"'). Keep the first line, cut any quoted echo, and
// drop SOCI's "backend::function: " and "Cannot execute query..." lead-ins
// up to libpq's "ERROR:  ".
std::string scrub_driver_message(std::string text) {
  // SOCI's "Cannot establish connection" says nothing by itself; libpq's
  // reason (server, user or database names, never data) follows on the
  // next line.
  const std::string no_connection = "Cannot establish connection";
  if (text.rfind(no_connection, 0) == 0) {
    const auto reason = text.find('\n');
    if (reason != std::string::npos) {
      text.replace(reason, 1, " ");
    }
  }
  const auto line_end = text.find('\n');
  if (line_end != std::string::npos) {
    text.erase(line_end);
  }
  const auto prefix_end = text.find(": ");
  if (prefix_end != std::string::npos && text.find("::") < prefix_end &&
      text.substr(0, prefix_end).find(' ') == std::string::npos) {
    text.erase(0, prefix_end + 2);
  }
  const auto echo = text.find(": \"");
  if (echo != std::string::npos) {
    text.erase(echo);
  }
  const std::string libpq_prefix = "ERROR:  ";
  const auto libpq_start = text.find(libpq_prefix);
  if (libpq_start != std::string::npos) {
    text.erase(0, libpq_start + libpq_prefix.size());
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) {
    text.pop_back();
  }
  return mask_url_secrets(text);
}

}  // namespace

db_error classify_db_exception(const std::exception& error,
                               std::string_view context) {
  db_error result;
  std::string driver_text;
  if (const auto* sqlite = dynamic_cast<const soci::sqlite3_soci_error*>(
          &error)) {
    result.kind = sqlite_kind(sqlite->result());
    driver_text = sqlite->get_error_message();
  } else if (const auto* pg =
                 dynamic_cast<const soci::postgresql_soci_error*>(&error)) {
    result.kind = postgresql_kind(*pg);
    driver_text = pg->get_error_message();
  } else if (const auto* soci_err =
                 dynamic_cast<const soci::soci_error*>(&error)) {
    result.kind = generic_kind(*soci_err);
    driver_text = soci_err->get_error_message();
  } else {
    result.kind = db_error_kind::fatal;
    driver_text = error.what();
  }
  result.message =
      std::string(context) + ": " + scrub_driver_message(driver_text);
  return result;
}

}  // namespace xmlshred::infra
