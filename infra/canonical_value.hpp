#pragma once

#include <optional>
#include <string>

#include "infra/target_catalog.hpp"

namespace xmlshred::infra {

/// The text a NULL cell is rendered as.
inline constexpr const char* canonical_null = "\\N";

/// One cell in the form `xmlshred dump` writes, the same for SQLite and
/// PostgreSQL when the stored values are the same (docs/verification.md):
/// - NULL is `\N`;
/// - an integer column's values are plain decimal digits with a '-' when
///   negative, no '+', no leading zeros;
/// - a decimal column's values (and a non-integral value in an integer
///   column) are rounded to 15 significant digits (what a double holds
///   exactly) and written in plain decimal notation without an exponent
///   or trailing fraction zeros, so 5, 5.0 and 5.00 are all "5";
/// - booleans are 1 and 0;
/// - a date-time "YYYY-MM-DD?HH:MM:SS[.fff]" (in any column) gets a space
///   between date and time and loses trailing fraction zeros; at exactly
///   midnight it is the date alone;
/// - then '\\', tab, newline and carriage return are escaped as `\\`,
///   `\t`, `\n`, `\r`, so a cell never spans lines or fields.
/// `text` is the value as the database casts it to text. Pure, thread-safe.
std::string canonical_cell(value_class kind,
                           const std::optional<std::string>& text);

/// `text` as a canonical number (rules above), or nullopt when it is not a
/// number. Pure.
std::optional<std::string> canonical_number(const std::string& text);

/// `text` as a canonical date-time, or nullopt when it has another shape.
std::optional<std::string> canonical_timestamp(const std::string& text);

}  // namespace xmlshred::infra
