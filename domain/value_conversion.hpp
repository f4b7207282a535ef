#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace xmlshred::domain {

/// Text conversions from attribute values to the canonical column text the
/// writer binds (see domain/record.hpp). All functions are pure and
/// thread-safe; none keeps or reports the value it was given.

/// True when `text` is empty or only whitespace: such a value counts as
/// missing everywhere in the mapper.
bool is_blank(std::string_view text);

/// `text` without leading and trailing whitespace.
std::string_view trim(std::string_view text);

/// Strict integer: optional '-' then digits, surrounding blanks allowed.
/// "007" -> "7". nullopt otherwise.
[[nodiscard]] std::optional<std::string> to_integer_text(std::string_view text);

/// Lenient integer for mappings without mapping types: digits are taken as
/// they are; otherwise the first number in the text (with its decimal part)
/// is rounded half up ("36.5" -> "37", "Up to $40" -> "40").
[[nodiscard]] std::optional<std::string> to_integer_text_lenient(
    std::string_view text);

/// A decimal number ("2400.00", "1e3") rounded half up to a whole number;
/// nullopt for anything else.
[[nodiscard]] std::optional<std::string> to_rounded_integer_text(
    std::string_view text);

/// Decimal number rounded half up to `scale` digits, written as the
/// shortest text that reads back as the same double ("450.0", "0.09589").
/// Accepts an optional sign, a decimal point and an exponent.
[[nodiscard]] std::optional<std::string> to_decimal_text(std::string_view text,
                                                         int scale);

/// Date or timestamp as "YYYY-MM-DD HH:MM:SS[.ffffff]". Accepted:
/// Y-M-D [H:M:S[.f]], M/D/YYYY [H:M:S [AM|PM]], Y-M-DTH:M[:S[.f]].
/// Seconds above 59 in the Y-M-D form are clamped to 59. Impossible dates
/// (month 13, February 30) give nullopt.
[[nodiscard]] std::optional<std::string> to_datetime_text(
    std::string_view text);

/// Only the ASCII digits of `text`.
std::string digits_only(std::string_view text);

/// The number formed by all digits of `text`, without leading zeros
/// ("(555) 010-2030" -> "5550102030"); nullopt without any digit.
[[nodiscard]] std::optional<std::string> digits_as_integer(
    std::string_view text);

/// The first `max_chars` characters (UTF-8 code points) of `text`.
std::string_view truncate_chars(std::string_view text, std::size_t max_chars);

/// The shortest decimal text that reads back as `value`, written the way
/// Python's repr() writes floats ("450.0", "1e+16", "1.5e-05").
std::string shortest_double_text(double value);

}  // namespace xmlshred::domain
