#pragma once

#include <exception>
#include <string_view>

#include "infra/result.hpp"

namespace xmlshred::infra {

/// The one place that decides how a database failure is handled:
/// - transient: SQLite busy/locked; PostgreSQL connection loss (class 08,
///   shutdowns), serialization failure 40001, deadlock 40P01;
/// - record: a constraint (SQLite CONSTRAINT, PostgreSQL class 23) or a
///   value the column refuses (SQLite MISMATCH/TOOBIG/RANGE, PostgreSQL
///   class 22: type, length, range);
/// - fatal: everything else.
/// The message is "<context>: <driver's first line>" with SOCI's statement
/// context, PostgreSQL's DETAIL lines and quoted input echoes cut off and
/// URL passwords masked, so it carries no bound value. `context` names the
/// operation and table, e.g. "insert into app_base". Thread-safe.
db_error classify_db_exception(const std::exception& error,
                               std::string_view context);

}  // namespace xmlshred::infra
