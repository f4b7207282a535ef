#include "infra/canonical_value.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace xmlshred::infra {
namespace {

/// Significant digits a double carries exactly; SQLite renders REAL
/// values with this many, so PostgreSQL numerics are rounded to match.
constexpr int significant_digits = 15;
constexpr std::size_t number_buffer_size = 64;
/// "YYYY-MM-DD" and "YYYY-MM-DD HH:MM:SS".
constexpr std::size_t date_length = 10;
constexpr std::size_t date_time_length = 19;
constexpr const char* midnight = "00:00:00";

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)); }

bool all_digits(const std::string& text, std::size_t begin, std::size_t end) {
  if (begin >= end) {
    return false;
  }
  for (auto i = begin; i < end; ++i) {
    if (!is_digit(text[i])) {
      return false;
    }
  }
  return true;
}

// "[+-]digits" without leading zeros or '+'; -0 is 0.
std::optional<std::string> canonical_integer(const std::string& text) {
  std::size_t begin = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    begin = 1;
  }
  if (!all_digits(text, begin, text.size())) {
    return std::nullopt;
  }
  const auto first = text.find_first_not_of('0', begin);
  if (first == std::string::npos) {
    return std::string("0");
  }
  return (negative ? "-" : "") + text.substr(first);
}

// Digits and exponent of printf's %e/%g output, as plain notation.
std::string plain_notation(const std::string& formatted) {
  const bool negative = formatted[0] == '-';
  const auto exponent_at = formatted.find_first_of("eE");
  const std::string mantissa = formatted.substr(negative ? 1 : 0,
      exponent_at == std::string::npos ? std::string::npos
                                       : exponent_at - (negative ? 1 : 0));
  int exponent = exponent_at == std::string::npos
                     ? 0
                     : std::atoi(formatted.c_str() + exponent_at + 1);

  // Split into all digits and the position of the decimal point.
  const auto point = mantissa.find('.');
  std::string digits = mantissa;
  int point_at = static_cast<int>(mantissa.size());
  if (point != std::string::npos) {
    digits.erase(point, 1);
    point_at = static_cast<int>(point);
  }
  point_at += exponent;

  std::string integral;
  std::string fraction;
  if (point_at <= 0) {
    integral = "0";
    fraction = std::string(static_cast<std::size_t>(-point_at), '0') + digits;
  } else if (point_at >= static_cast<int>(digits.size())) {
    integral = digits + std::string(point_at - digits.size(), '0');
  } else {
    integral = digits.substr(0, static_cast<std::size_t>(point_at));
    fraction = digits.substr(static_cast<std::size_t>(point_at));
  }

  // No leading zeros, no trailing fraction zeros, no "-0".
  const auto first = integral.find_first_not_of('0');
  integral = first == std::string::npos ? "0" : integral.substr(first);
  fraction.erase(fraction.find_last_not_of('0') + 1);
  std::string text = fraction.empty() ? integral : integral + "." + fraction;
  if (negative && text != "0") {
    text.insert(0, "-");
  }
  return text;
}

std::string escaped(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out;
}

std::optional<std::string> canonical_boolean(const std::string& text) {
  if (text == "t" || text == "true" || text == "1") {
    return std::string("1");
  }
  if (text == "f" || text == "false" || text == "0") {
    return std::string("0");
  }
  return std::nullopt;
}

// Any number rounded to the significant digits of a double; a decimal
// column holds doubles in SQLite, so its integers are rounded as well.
std::optional<std::string> canonical_decimal(const std::string& text) {
  if (text.empty() || std::isspace(static_cast<unsigned char>(text[0]))) {
    return std::nullopt;
  }
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  char buffer[number_buffer_size];
  std::snprintf(buffer, sizeof buffer, "%.*e", significant_digits - 1,
                value);
  return plain_notation(buffer);
}

}  // namespace

std::optional<std::string> canonical_number(const std::string& text) {
  if (auto integer = canonical_integer(text)) {
    return integer;
  }
  return canonical_decimal(text);
}

std::optional<std::string> canonical_timestamp(const std::string& text) {
  const bool shaped =
      text.size() >= date_time_length && all_digits(text, 0, 4) &&
      text[4] == '-' && all_digits(text, 5, 7) && text[7] == '-' &&
      all_digits(text, 8, date_length) &&
      (text[date_length] == ' ' || text[date_length] == 'T') &&
      all_digits(text, 11, 13) && text[13] == ':' &&
      all_digits(text, 14, 16) && text[16] == ':' &&
      all_digits(text, 17, date_time_length);
  if (!shaped) {
    return std::nullopt;
  }
  std::string fraction;
  if (text.size() > date_time_length) {
    if (text[date_time_length] != '.' ||
        !all_digits(text, date_time_length + 1, text.size())) {
      return std::nullopt;
    }
    fraction = text.substr(date_time_length + 1);
    fraction.erase(fraction.find_last_not_of('0') + 1);
  }

  // Midnight is the date alone: a date column (PostgreSQL) and a date
  // written as text with a zero time (SQLite) then look the same.
  const std::string date = text.substr(0, date_length);
  const std::string time =
      text.substr(date_length + 1, date_time_length - date_length - 1);
  if (time == midnight && fraction.empty()) {
    return date;
  }
  return date + " " + time + (fraction.empty() ? "" : "." + fraction);
}

std::string canonical_cell(value_class kind,
                           const std::optional<std::string>& text) {
  if (!text) {
    return canonical_null;
  }
  std::optional<std::string> normal;
  switch (kind) {
    case value_class::integer:
      normal = canonical_number(*text);
      break;
    case value_class::decimal:
      normal = canonical_decimal(*text);
      break;
    case value_class::boolean:
      normal = canonical_boolean(*text);
      break;
    case value_class::temporal:
    case value_class::text:
      normal = canonical_timestamp(*text);
      break;
  }
  return escaped(normal ? *normal : *text);
}

}  // namespace xmlshred::infra
