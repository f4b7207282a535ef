#pragma once

#include <string>
#include <utility>
#include <variant>

namespace xmlshred::infra {

/// How a database error should be handled by the caller.
enum class db_error_kind {
  /// Worth retrying the same work later: busy/locked, connection lost,
  /// serialization failure, deadlock.
  transient,
  /// Caused by the data of one record: constraint, type, length.
  record,
  /// Anything else: bad schema, missing privilege, bad URL. Retrying the
  /// same work will fail again.
  fatal,
};

/// An error from the database layer. The message names the table or
/// statement and the driver's complaint, never bound values.
struct db_error {
  db_error_kind kind = db_error_kind::fatal;
  std::string message;
};

/// A value or a db_error. infra never lets a database exception escape:
/// every fallible call returns one of these.
template <class T>
class [[nodiscard]] result {
 public:
  result(T value) : state_(std::move(value)) {}
  result(db_error error) : state_(std::move(error)) {}

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<T>(state_); }
  const T& value() const { return std::get<T>(state_); }
  const db_error& error() const { return std::get<db_error>(state_); }

 private:
  std::variant<T, db_error> state_;
};

/// Stand-in value type for operations that return nothing on success.
struct done {};
using status = result<done>;

}  // namespace xmlshred::infra
