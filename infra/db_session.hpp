#pragma once

#include <chrono>
#include <memory>

#include "infra/database_url.hpp"
#include "infra/result.hpp"

namespace soci {
class session;
}

namespace xmlshred::infra {

/// Settings applied to every new connection.
struct session_options {
  /// How long SQLite waits for another connection's lock before reporting
  /// busy (a transient error). Ignored for PostgreSQL.
  std::chrono::milliseconds busy_timeout{5000};
};

/// Opens a SOCI session for `url`. SQLite connections get WAL journaling,
/// synchronous=NORMAL, foreign keys on and the busy timeout; the file is
/// created when missing. Errors are classified (connection problems are
/// transient). The session belongs to the caller; use it from one thread.
[[nodiscard]] result<std::unique_ptr<soci::session>> open_session(
    const database_url& url, const session_options& options);

/// Rolls back any open transaction on `session`, ignoring failures: used on
/// error paths where the original error is what the caller reports.
void rollback_quietly(soci::session& session);

}  // namespace xmlshred::infra
