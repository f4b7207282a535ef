#include "domain/value_conversion.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace xmlshred::domain {
namespace {

/// Python-style repr switches to exponent notation outside [1e-4, 1e16).
constexpr int repr_min_exponent = -4;
constexpr int repr_max_exponent = 16;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// Length of a whitespace character starting at `text[pos]` (ASCII blanks,
/// and the UTF-8 no-break space and next-line), 0 if none.
std::size_t space_length(std::string_view text, std::size_t pos) {
  unsigned char c = static_cast<unsigned char>(text[pos]);
  if (c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f)) {
    return 1;
  }
  if (c == 0xC2 && pos + 1 < text.size()) {
    unsigned char next = static_cast<unsigned char>(text[pos + 1]);
    if (next == 0xA0 || next == 0x85) {
      return 2;
    }
  }
  return 0;
}

/// Removes leading zeros from a digit string, keeping at least one digit.
std::string strip_leading_zeros(std::string_view digits) {
  std::size_t first = digits.find_first_not_of('0');
  if (first == std::string_view::npos) {
    return "0";
  }
  return std::string(digits.substr(first));
}

// -- decimal numbers ---------------------------------------------------------

/// A decimal number split into sign, digits and power of ten:
/// value = (negative ? -1 : 1) * digits * 10^exponent.
struct decimal_parts {
  bool negative = false;
  std::string digits;
  long exponent = 0;
};

/// Parses [sign] (digits [. digits] | . digits) [(e|E) [sign] digits].
std::optional<decimal_parts> parse_decimal(std::string_view text) {
  decimal_parts parts;
  std::size_t pos = 0;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    parts.negative = text[pos] == '-';
    ++pos;
  }
  std::size_t int_digits = 0;
  while (pos < text.size() && is_digit(text[pos])) {
    parts.digits += text[pos++];
    ++int_digits;
  }
  std::size_t frac_digits = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && is_digit(text[pos])) {
      parts.digits += text[pos++];
      ++frac_digits;
    }
  }
  if (int_digits + frac_digits == 0) {
    return std::nullopt;
  }
  long exponent = 0;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    bool exponent_negative = false;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      exponent_negative = text[pos] == '-';
      ++pos;
    }
    std::size_t start = pos;
    while (pos < text.size() && is_digit(text[pos]) && pos - start < 6) {
      exponent = exponent * 10 + (text[pos++] - '0');
    }
    if (pos == start) {
      return std::nullopt;
    }
    exponent = exponent_negative ? -exponent : exponent;
  }
  if (pos != text.size()) {
    return std::nullopt;
  }
  parts.exponent = exponent - static_cast<long>(frac_digits);
  return parts;
}

/// Adds one to a digit string ("199" -> "200", "99" -> "100").
void increment_digits(std::string& digits) {
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (*it != '9') {
      ++*it;
      return;
    }
    *it = '0';
  }
  digits.insert(digits.begin(), '1');
}

/// Rounds half away from zero to `scale` fractional digits and returns the
/// number as plain text ("-12.35").
std::string quantize_half_up(decimal_parts parts, int scale) {
  long target = -static_cast<long>(scale);
  if (parts.exponent >= target) {
    parts.digits.append(static_cast<std::size_t>(parts.exponent - target), '0');
  } else {
    auto drop = static_cast<std::size_t>(target - parts.exponent);
    bool round_up = false;
    if (drop <= parts.digits.size()) {
      round_up = parts.digits[parts.digits.size() - drop] >= '5';
      parts.digits.resize(parts.digits.size() - drop);
    } else {
      parts.digits.clear();
    }
    if (parts.digits.empty()) {
      parts.digits = "0";
    }
    if (round_up) {
      increment_digits(parts.digits);
    }
  }

  // Put the decimal point `scale` digits from the right.
  std::string& d = parts.digits;
  if (d.size() <= static_cast<std::size_t>(scale)) {
    d.insert(0, static_cast<std::size_t>(scale) + 1 - d.size(), '0');
  }
  std::string text = parts.negative ? "-" : "";
  text += d.substr(0, d.size() - static_cast<std::size_t>(scale));
  if (scale > 0) {
    text += '.';
    text += d.substr(d.size() - static_cast<std::size_t>(scale));
  }
  return text;
}

bool digits_at(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) {
    return false;
  }
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (!is_digit(text[i])) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool is_blank(std::string_view text) { return trim(text).empty(); }

std::string_view trim(std::string_view text) {
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t length = space_length(text, begin);
    if (length == 0) {
      break;
    }
    begin += length;
  }
  std::size_t end = text.size();
  while (end > begin) {
    if (space_length(text, end - 1) == 1) {
      --end;
    } else if (end - begin >= 2 && space_length(text, end - 2) == 2) {
      end -= 2;
    } else {
      break;
    }
  }
  return text.substr(begin, end - begin);
}

std::optional<std::string> to_integer_text(std::string_view text) {
  text = trim(text);
  bool negative = !text.empty() && text.front() == '-';
  std::string_view digits = negative ? text.substr(1) : text;
  if (digits.empty() || !digits_at(digits, 0, digits.size())) {
    return std::nullopt;
  }
  std::string value = strip_leading_zeros(digits);
  return negative && value != "0" ? "-" + value : value;
}

std::optional<std::string> to_integer_text_lenient(std::string_view text) {
  std::string_view trimmed = trim(text);
  if (!trimmed.empty() && digits_at(trimmed, 0, trimmed.size())) {
    return strip_leading_zeros(trimmed);
  }

  // The first run of digits, with a fractional part when a '.' and more
  // digits follow it directly; signs are not part of the run.
  std::size_t start = 0;
  while (start < text.size() && !is_digit(text[start])) {
    ++start;
  }
  if (start == text.size()) {
    return std::nullopt;
  }
  std::size_t end = start;
  while (end < text.size() && is_digit(text[end])) {
    ++end;
  }
  if (end + 1 < text.size() && text[end] == '.' && is_digit(text[end + 1])) {
    ++end;
    while (end < text.size() && is_digit(text[end])) {
      ++end;
    }
  }
  auto parts = parse_decimal(text.substr(start, end - start));
  if (!parts) {
    return std::nullopt;
  }
  return strip_leading_zeros(quantize_half_up(*parts, 0));
}

std::optional<std::string> to_rounded_integer_text(std::string_view text) {
  auto parts = parse_decimal(trim(text));
  if (!parts) {
    return std::nullopt;
  }
  std::string rounded = quantize_half_up(*parts, 0);
  bool negative = !rounded.empty() && rounded.front() == '-';
  std::string digits =
      strip_leading_zeros(std::string_view(rounded).substr(negative ? 1 : 0));
  return negative && digits != "0" ? "-" + digits : digits;
}

std::optional<std::string> to_decimal_text(std::string_view text, int scale) {
  auto parts = parse_decimal(trim(text));
  if (!parts || scale < 0) {
    return std::nullopt;
  }
  std::string rounded = quantize_half_up(*parts, scale);
  double value = std::strtod(rounded.c_str(), nullptr);
  if (!std::isfinite(value)) {
    return std::nullopt;
  }
  return shortest_double_text(value);
}

std::string digits_only(std::string_view text) {
  std::string digits;
  digits.reserve(text.size());
  for (char c : text) {
    if (is_digit(c)) {
      digits += c;
    }
  }
  return digits;
}

std::optional<std::string> digits_as_integer(std::string_view text) {
  std::string digits = digits_only(text);
  if (digits.empty()) {
    return std::nullopt;
  }
  return strip_leading_zeros(digits);
}

std::string_view truncate_chars(std::string_view text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    // Count lead bytes only; continuation bytes look like 10xxxxxx.
    if ((static_cast<unsigned char>(text[pos]) & 0xC0) != 0x80) {
      if (chars == max_chars) {
        return text.substr(0, pos);
      }
      ++chars;
    }
  }
  return text;
}

std::string shortest_double_text(double value) {
  if (value == 0.0) {
    return std::signbit(value) ? "-0.0" : "0.0";
  }

  // Shortest round-trip digits and their decimal exponent.
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value,
                              std::chars_format::scientific);
  std::string_view sci(buffer, static_cast<std::size_t>(result.ptr - buffer));
  bool negative = sci.front() == '-';
  if (negative) {
    sci.remove_prefix(1);
  }
  std::size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') {
      digits += c;
    }
  }
  int exponent = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());

  std::string text = negative ? "-" : "";
  if (exponent < repr_min_exponent || exponent >= repr_max_exponent) {
    text += digits.substr(0, 1);
    if (digits.size() > 1) {
      text += "." + digits.substr(1);
    }
    char exp_text[16];
    std::snprintf(exp_text, sizeof exp_text, "e%c%02d",
                  exponent < 0 ? '-' : '+', std::abs(exponent));
    return text + exp_text;
  }
  if (exponent < 0) {
    text += "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0');
    return text + digits;
  }
  auto int_len = static_cast<std::size_t>(exponent) + 1;
  if (digits.size() <= int_len) {
    digits.append(int_len - digits.size(), '0');
    return text + digits + ".0";
  }
  return text + digits.substr(0, int_len) + "." + digits.substr(int_len);
}

}  // namespace xmlshred::domain
