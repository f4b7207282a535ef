#include "domain/value_conversion.hpp"

#include <array>
#include <cstdio>
#include <string>
#include <vector>

// Timestamp parsing for to_datetime_text: the layouts the source system
// accepts, matched the way its strptime-based conversion splits them.

namespace xmlshred::domain {
namespace {

constexpr int micro_digits = 6;
constexpr int max_second = 59;
constexpr int hours_half_day = 12;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_blank_char(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

int number_at(std::string_view text, std::size_t pos, std::size_t width) {
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    value = value * 10 + (text[i] - '0');
  }
  return value;
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


/// Fields a timestamp pattern fills in.
struct timestamp_fields {
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int micro = 0;
  int half_day = -1;  // -1: 24-hour clock, 0: AM, 1: PM
};

/// One element of a timestamp pattern. Numeric fields try their allowed
/// widths in the same order as the strptime regular expressions, so an
/// ambiguous text splits the way the reference conversion splits it.
enum class token { year, month, day, hour, hour12, minute, second, fraction,
                   am_pm, blank, literal };

struct pattern_item {
  token kind;
  char literal = 0;
};

using pattern = std::vector<pattern_item>;

/// Widths a numeric token may take at `pos`, most preferred first, with
/// the range each width allows.
std::vector<std::size_t> numeric_widths(token kind, std::string_view text,
                                        std::size_t pos) {
  std::vector<std::size_t> widths;
  auto two_ok = [&](int low, int high) {
    return digits_at(text, pos, 2) && number_at(text, pos, 2) >= low &&
           number_at(text, pos, 2) <= high;
  };
  auto one_ok = [&](int low) {
    return digits_at(text, pos, 1) && number_at(text, pos, 1) >= low;
  };
  switch (kind) {
    case token::year:
      if (digits_at(text, pos, 4)) widths.push_back(4);
      break;
    case token::month:
    case token::hour12:
      if (two_ok(1, 12)) widths.push_back(2);
      if (one_ok(1)) widths.push_back(1);
      break;
    case token::day:
      if (two_ok(1, 31)) widths.push_back(2);
      if (one_ok(1)) widths.push_back(1);
      break;
    case token::hour:
      if (two_ok(0, 23)) widths.push_back(2);
      if (one_ok(0)) widths.push_back(1);
      break;
    case token::minute:
      if (two_ok(0, 59)) widths.push_back(2);
      if (one_ok(0)) widths.push_back(1);
      break;
    case token::second:
      if (two_ok(0, 61)) widths.push_back(2);
      if (one_ok(0)) widths.push_back(1);
      break;
    case token::fraction:
      for (std::size_t w = micro_digits; w >= 1; --w) {
        if (digits_at(text, pos, w)) widths.push_back(w);
      }
      break;
    default:
      break;
  }
  return widths;
}

void store_field(token kind, std::string_view text, std::size_t pos,
                 std::size_t width, timestamp_fields& out) {
  int value = number_at(text, pos, width);
  switch (kind) {
    case token::year: out.year = value; break;
    case token::month: out.month = value; break;
    case token::day: out.day = value; break;
    case token::hour:
    case token::hour12: out.hour = value; break;
    case token::minute: out.minute = value; break;
    case token::second: out.second = value; break;
    case token::fraction:
      for (std::size_t i = width; i < micro_digits; ++i) {
        value *= 10;
      }
      out.micro = value;
      break;
    default: break;
  }
}

/// Backtracking match of the whole text against a pattern.
bool match_from(const pattern& items, std::size_t item, std::string_view text,
                std::size_t pos, timestamp_fields& out) {
  if (item == items.size()) {
    return pos == text.size();
  }
  const pattern_item& current = items[item];
  switch (current.kind) {
    case token::literal:
      return pos < text.size() && text[pos] == current.literal &&
             match_from(items, item + 1, text, pos + 1, out);
    case token::blank: {
      std::size_t end = pos;
      while (end < text.size() && is_blank_char(text[end])) {
        ++end;
      }
      for (; end > pos; --end) {
        if (match_from(items, item + 1, text, end, out)) {
          return true;
        }
      }
      return false;
    }
    case token::am_pm: {
      if (pos + 2 > text.size()) {
        return false;
      }
      char first = static_cast<char>(text[pos] | 0x20);
      char second = static_cast<char>(text[pos + 1] | 0x20);
      if ((first != 'a' && first != 'p') || second != 'm') {
        return false;
      }
      out.half_day = first == 'p' ? 1 : 0;
      return match_from(items, item + 1, text, pos + 2, out);
    }
    default:
      for (std::size_t width : numeric_widths(current.kind, text, pos)) {
        store_field(current.kind, text, pos, width, out);
        if (match_from(items, item + 1, text, pos + width, out)) {
          return true;
        }
      }
      return false;
  }
}

/// Builds a pattern from a strptime-like spec: Y m d H I M S f p are
/// fields, a space is one or more blanks, anything else is literal.
pattern make_pattern(std::string_view spec) {
  pattern items;
  for (char c : spec) {
    switch (c) {
      case 'Y': items.push_back({token::year}); break;
      case 'm': items.push_back({token::month}); break;
      case 'd': items.push_back({token::day}); break;
      case 'H': items.push_back({token::hour}); break;
      case 'I': items.push_back({token::hour12}); break;
      case 'M': items.push_back({token::minute}); break;
      case 'S': items.push_back({token::second}); break;
      case 'f': items.push_back({token::fraction}); break;
      case 'p': items.push_back({token::am_pm}); break;
      case ' ': items.push_back({token::blank}); break;
      default: items.push_back({token::literal, c}); break;
    }
  }
  return items;
}

/// The accepted layouts, tried in order.
const std::vector<pattern>& timestamp_patterns() {
  static const std::vector<pattern> patterns{
      make_pattern("Y-m-d H:M:S.f"), make_pattern("Y-m-d H:M:S"),
      make_pattern("Y-m-d"),         make_pattern("m/d/Y"),
      make_pattern("m/d/Y H:M:S"),   make_pattern("m/d/Y I:M:S p"),
      make_pattern("Y-m-dTH:M:S.f"), make_pattern("Y-m-dTH:M:S"),
      make_pattern("Y-m-dTH:M"),
  };
  return patterns;
}

bool leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/// Calendar and clock validity, after the pattern matched.
bool valid_timestamp(timestamp_fields& f) {
  static constexpr std::array<int, 12> month_days{31, 28, 31, 30, 31, 30,
                                                  31, 31, 30, 31, 30, 31};
  if (f.year < 1 || f.month < 1 || f.month > 12 || f.day < 1) {
    return false;
  }
  int days = month_days[static_cast<std::size_t>(f.month - 1)] +
             (f.month == 2 && leap_year(f.year) ? 1 : 0);
  if (f.day > days) {
    return false;
  }
  if (f.half_day >= 0) {
    f.hour = f.hour % hours_half_day + (f.half_day == 1 ? hours_half_day : 0);
  }
  return f.hour <= 23 && f.minute <= 59 && f.second <= max_second;
}

/// Seconds written as 60..99 in "Y-M-D H:M:SS[.f]" are clamped to 59, and
/// anything after that prefix is dropped, the way the source system's
/// clean-up step treats them.
std::string clamp_seconds(std::string_view text) {
  // Y(4) - M(1,2) - D(1,2) space H(1,2) : M(1,2) : SS [. digits]
  std::size_t pos = 0;
  auto digits = [&](std::size_t low, std::size_t high) {
    std::size_t start = pos;
    while (pos < text.size() && is_digit(text[pos]) && pos - start < high) {
      ++pos;
    }
    return pos - start >= low;
  };
  auto literal = [&](char c) {
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  };
  bool prefix = digits(4, 4) && literal('-') && digits(1, 2) &&
                literal('-') && digits(1, 2) && literal(' ') &&
                digits(1, 2) && literal(':') && digits(1, 2) && literal(':');
  if (!prefix || !digits_at(text, pos, 2)) {
    return std::string(text);
  }
  std::size_t seconds_at = pos;
  int seconds = number_at(text, pos, 2);
  pos += 2;
  std::size_t end = pos;
  if (pos + 1 < text.size() && text[pos] == '.' && is_digit(text[pos + 1])) {
    end = pos + 1;
    while (end < text.size() && is_digit(text[end])) {
      ++end;
    }
  }
  std::string cleaned(text.substr(0, seconds_at));
  cleaned += seconds > max_second ? "59" : std::string(text.substr(seconds_at, 2));
  cleaned += text.substr(pos, end - pos);
  return cleaned;
}

std::string format_timestamp(const timestamp_fields& f) {
  char buffer[40];
  int length = std::snprintf(buffer, sizeof buffer,
                             "%04d-%02d-%02d %02d:%02d:%02d", f.year,
                             f.month, f.day, f.hour, f.minute, f.second);
  std::string text(buffer, static_cast<std::size_t>(length));
  if (f.micro != 0) {
    length = std::snprintf(buffer, sizeof buffer, ".%06d", f.micro);
    text.append(buffer, static_cast<std::size_t>(length));
  }
  return text;
}

}  // namespace

std::optional<std::string> to_datetime_text(std::string_view text) {
  std::string cleaned = clamp_seconds(text);
  for (const pattern& layout : timestamp_patterns()) {
    timestamp_fields fields;
    if (match_from(layout, 0, cleaned, 0, fields)) {
      // A layout that matches but names an impossible date is a failed
      // conversion, as with strptime; later layouts are still tried.
      if (valid_timestamp(fields)) {
        return format_timestamp(fields);
      }
    }
  }
  return std::nullopt;
}

}  // namespace xmlshred::domain
