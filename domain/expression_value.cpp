// Values of expressions: construction, number and date text, rendering for
// target columns, date arithmetic.

#include "domain/expression.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "domain/expression_program.hpp"

namespace xmlshred::domain {
namespace {

constexpr std::int64_t micros_per_second = 1'000'000;
constexpr std::int64_t seconds_per_day = 86'400;
constexpr std::int64_t micros_per_day = micros_per_second * seconds_per_day;
constexpr std::int64_t micros_per_minute = 60 * micros_per_second;
constexpr std::int64_t micros_per_hour = 60 * micros_per_minute;
constexpr int days_per_week = 7;
constexpr int months_per_year = 12;
constexpr int months_per_quarter = 3;
constexpr int min_year = 1;
constexpr int max_year = 9999;
constexpr int hours_per_half_day = 12;
constexpr int max_fraction_digits = 6;
/// Beyond 2^53 doubles skip integers; such values render in fixed notation.
constexpr double max_exact_integer = 9007199254740992.0;
/// Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar.
constexpr std::int64_t days_to_epoch = 719'468;
constexpr std::int64_t days_per_era = 146'097;
constexpr std::int64_t years_per_era = 400;

bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  constexpr std::array<int, 12> lengths{31, 28, 31, 30, 31, 30,
                                        31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap_year(year)) {
    return 29;
  }
  return lengths[static_cast<std::size_t>(month - 1)];
}

// Counts days with years starting in March, so the leap day is the last day
// of its year and month lengths follow a fixed 153-day rhythm.
constexpr std::int64_t days_from_civil(int year, int month, int day) {
  const std::int64_t y = year - (month <= 2 ? 1 : 0);
  const std::int64_t era =
      (y >= 0 ? y : y - (years_per_era - 1)) / years_per_era;
  const std::int64_t year_of_era = y - era * years_per_era;
  const std::int64_t shifted_month = month > 2 ? month - 3 : month + 9;
  const std::int64_t day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * days_per_era + day_of_era - days_to_epoch;
}

void civil_from_days(std::int64_t days, civil_date_time& out) {
  const std::int64_t z = days + days_to_epoch;
  const std::int64_t era = (z >= 0 ? z : z - (days_per_era - 1)) / days_per_era;
  const std::int64_t day_of_era = z - era * days_per_era;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 -
       day_of_era / (days_per_era - 1)) /
      365;
  const std::int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t shifted_month = (5 * day_of_year + 2) / 153;
  out.day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  out.month = static_cast<int>(shifted_month < 10 ? shifted_month + 3
                                                  : shifted_month - 9);
  out.year = static_cast<int>(year_of_era + era * years_per_era +
                              (out.month <= 2 ? 1 : 0));
}

std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
  std::int64_t quotient = value / divisor;
  if (value % divisor != 0 && value < 0) {
    --quotient;
  }
  return quotient;
}

civil_date_time to_civil(std::int64_t microseconds) {
  civil_date_time out;
  const std::int64_t days = floor_div(microseconds, micros_per_day);
  std::int64_t rest = microseconds - days * micros_per_day;
  civil_from_days(days, out);
  out.hour = static_cast<int>(rest / micros_per_hour);
  rest %= micros_per_hour;
  out.minute = static_cast<int>(rest / micros_per_minute);
  rest %= micros_per_minute;
  out.second = static_cast<int>(rest / micros_per_second);
  out.microsecond = static_cast<int>(rest % micros_per_second);
  return out;
}

std::int64_t from_civil(const civil_date_time& at) {
  return days_from_civil(at.year, at.month, at.day) * micros_per_day +
         at.hour * micros_per_hour + at.minute * micros_per_minute +
         at.second * micros_per_second + at.microsecond;
}

bool is_valid(const civil_date_time& at) {
  return at.year >= min_year && at.year <= max_year && at.month >= 1 &&
         at.month <= months_per_year && at.day >= 1 &&
         at.day <= days_in_month(at.year, at.month) && at.hour >= 0 &&
         at.hour < 24 && at.minute >= 0 && at.minute < 60 && at.second >= 0 &&
         at.second < 60;
}

// -- date text reader --------------------------------------------------------

/// A cursor over date text; every reader advances only on success.
class date_reader {
 public:
  explicit date_reader(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ == text_.size(); }

  bool skip(char expected) {
    if (pos_ < text_.size() && text_[pos_] == expected) {
      ++pos_;
      return true;
    }
    return false;
  }

  void skip_spaces() {
    while (pos_ < text_.size() && text_[pos_] == ' ') {
      ++pos_;
    }
  }

  /// Reads between `min_digits` and `max_digits` digits.
  bool digits(std::size_t min_digits, std::size_t max_digits, int& out) {
    std::size_t count = 0;
    int value = 0;
    while (pos_ + count < text_.size() && count < max_digits &&
           is_digit(text_[pos_ + count])) {
      value = value * 10 + (text_[pos_ + count] - '0');
      ++count;
    }
    if (count < min_digits) {
      return false;
    }
    pos_ += count;
    out = value;
    return true;
  }

  /// Reads a fraction of a second after the dot, keeping microseconds.
  bool fraction(int& microseconds) {
    std::size_t count = 0;
    int value = 0;
    while (pos_ + count < text_.size() && is_digit(text_[pos_ + count])) {
      if (count < max_fraction_digits) {
        value = value * 10 + (text_[pos_ + count] - '0');
      }
      ++count;
    }
    if (count == 0) {
      return false;
    }
    for (std::size_t i = count; i < max_fraction_digits; ++i) {
      value *= 10;
    }
    pos_ += count;
    microseconds = value;
    return true;
  }

  /// Reads "AM" or "PM" in any case; sets `pm`.
  bool meridiem(bool& pm) {
    if (text_.size() - pos_ < 2) {
      return false;
    }
    const char first = to_upper(text_[pos_]);
    if ((first != 'A' && first != 'P') || to_upper(text_[pos_ + 1]) != 'M') {
      return false;
    }
    pm = first == 'P';
    pos_ += 2;
    return true;
  }

 private:
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }
  static char to_upper(char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

/// H:M[:S[.f]] after the date part.
bool read_time(date_reader& in, civil_date_time& at) {
  if (!in.digits(1, 2, at.hour) || !in.skip(':') ||
      !in.digits(1, 2, at.minute)) {
    return false;
  }
  if (!in.skip(':')) {
    return true;
  }
  if (!in.digits(1, 2, at.second)) {
    return false;
  }
  return !in.skip('.') || in.fraction(at.microsecond);
}

bool read_iso(std::string_view text, civil_date_time& at) {
  date_reader in{text};
  if (!in.digits(4, 4, at.year) || !in.skip('-') ||
      !in.digits(1, 2, at.month) || !in.skip('-') || !in.digits(1, 2, at.day)) {
    return false;
  }
  if (in.at_end()) {
    return true;
  }
  if (!in.skip('T') && !in.skip(' ')) {
    return false;
  }
  return read_time(in, at) && in.at_end();
}

// US order, as the origination system writes receive dates; an optional
// 12-hour clock marker follows the time.
bool read_us(std::string_view text, civil_date_time& at) {
  date_reader in{text};
  if (!in.digits(1, 2, at.month) || !in.skip('/') || !in.digits(1, 2, at.day) ||
      !in.skip('/') || !in.digits(4, 4, at.year)) {
    return false;
  }
  if (in.at_end()) {
    return true;
  }
  if (!in.skip(' ') || !read_time(in, at)) {
    return false;
  }
  in.skip_spaces();
  bool pm = false;
  if (in.meridiem(pm)) {
    if (at.hour < 1 || at.hour > hours_per_half_day) {
      return false;
    }
    at.hour = at.hour % hours_per_half_day + (pm ? hours_per_half_day : 0);
  }
  return in.at_end();
}

}  // namespace

// -- expression_value ---------------------------------------------------------

expression_value expression_value::text(std::string value) {
  expression_value out;
  out.kind_ = value_kind::text;
  out.text_ = std::move(value);
  return out;
}

expression_value expression_value::number(double value) {
  expression_value out;
  out.kind_ = value_kind::number;
  out.number_ = value;
  return out;
}

expression_value expression_value::boolean(bool value) {
  expression_value out;
  out.kind_ = value_kind::boolean;
  out.boolean_ = value;
  return out;
}

expression_value expression_value::date_time(std::int64_t microseconds) {
  expression_value out;
  out.kind_ = value_kind::date_time;
  out.microseconds_ = microseconds;
  return out;
}

civil_date_time expression_value::as_civil() const {
  return to_civil(microseconds_);
}

std::optional<std::int64_t> parse_date_time(std::string_view text) {
  const std::string_view trimmed = detail::trim_blanks(text);
  civil_date_time at;
  if (!read_iso(trimmed, at)) {
    at = civil_date_time{};
    if (!read_us(trimmed, at)) {
      return std::nullopt;
    }
  }
  if (!is_valid(at)) {
    return std::nullopt;
  }
  return from_civil(at);
}

std::optional<std::string> render_value(const expression_value& value,
                                        data_type target) {
  switch (value.kind()) {
    case value_kind::null_value: return std::nullopt;
    case value_kind::text: return value.as_text();
    case value_kind::boolean:
      return std::string{value.as_boolean() ? "1" : "0"};
    case value_kind::date_time:
      return detail::format_date_time(value.as_microseconds(),
                                      target == data_type::date_type);
    case value_kind::number: break;
  }

  // Numbers: integer columns take the SQL cast (truncation toward zero).
  const double number = value.as_number();
  switch (target) {
    case data_type::int_type:
    case data_type::smallint_type:
    case data_type::tinyint_type:
    case data_type::bigint_type:
      return detail::format_number(std::trunc(number));
    case data_type::bit_type: return std::string{number != 0.0 ? "1" : "0"};
    default: return detail::format_number(number);
  }
}

namespace detail {

bool is_blank(std::string_view text) { return trim_blanks(text).empty(); }

std::string_view trim_blanks(std::string_view text) {
  constexpr std::string_view blanks = " \t\r\n\f\v";
  const std::size_t begin = text.find_first_not_of(blanks);
  if (begin == std::string_view::npos) {
    return {};
  }
  const std::size_t end = text.find_last_not_of(blanks);
  return text.substr(begin, end - begin + 1);
}

std::optional<double> parse_number(std::string_view text) {
  std::string_view body = trim_blanks(text);
  bool negative = false;
  if (!body.empty() && (body.front() == '+' || body.front() == '-')) {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }

  // Only digits and one dot: from_chars alone would also take inf and nan.
  std::size_t digit_count = 0;
  std::size_t dot_count = 0;
  for (const char c : body) {
    if (c >= '0' && c <= '9') {
      ++digit_count;
    } else if (c == '.') {
      ++dot_count;
    } else {
      return std::nullopt;
    }
  }
  if (digit_count == 0 || dot_count > 1) {
    return std::nullopt;
  }

  double value = 0.0;
  const char* end = body.data() + body.size();
  const auto [ptr, error] =
      std::from_chars(body.data(), end, value, std::chars_format::fixed);
  if (error != std::errc{} || ptr != end) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

std::size_t write_number(double value, char* first) {
  if (value == 0.0) {
    *first = '0';  // also for -0
    return 1;
  }
  char* const last = first + number_text_capacity;
  std::to_chars_result written{};
  if (std::trunc(value) == value && std::fabs(value) <= max_exact_integer) {
    written = std::to_chars(first, last, static_cast<std::int64_t>(value));
  } else {
    written = std::to_chars(first, last, value, std::chars_format::fixed);
  }
  return static_cast<std::size_t>(written.ptr - first);
}

std::string format_number(double value) {
  std::array<char, number_text_capacity> buffer{};
  return std::string(buffer.data(), write_number(value, buffer.data()));
}

std::string format_date_time(std::int64_t microseconds, bool date_only) {
  const civil_date_time at = to_civil(microseconds);
  constexpr std::size_t longest = 32;
  std::array<char, longest> buffer{};
  int length = 0;
  if (date_only) {
    length = std::snprintf(buffer.data(), buffer.size(), "%04d-%02d-%02d",
                           at.year, at.month, at.day);
  } else if (at.microsecond == 0) {
    length = std::snprintf(buffer.data(), buffer.size(),
                           "%04d-%02d-%02d %02d:%02d:%02d", at.year, at.month,
                           at.day, at.hour, at.minute, at.second);
  } else {
    length =
        std::snprintf(buffer.data(), buffer.size(),
                      "%04d-%02d-%02d %02d:%02d:%02d.%06d", at.year, at.month,
                      at.day, at.hour, at.minute, at.second, at.microsecond);
  }
  return std::string(buffer.data(), static_cast<std::size_t>(length));
}

std::optional<std::int64_t> add_to_date(std::int64_t microseconds,
                                        date_unit unit, std::int64_t amount) {
  // Fixed-length units: plain microsecond arithmetic.
  std::int64_t step = 0;
  switch (unit) {
    case date_unit::week: step = days_per_week * micros_per_day; break;
    case date_unit::day: step = micros_per_day; break;
    case date_unit::hour: step = micros_per_hour; break;
    case date_unit::minute: step = micros_per_minute; break;
    case date_unit::second: step = micros_per_second; break;
    default: break;
  }
  // Amounts beyond the whole supported calendar would overflow; they can
  // only land outside years 1-9999 anyway.
  constexpr std::int64_t max_months = (max_year + 1) * months_per_year;
  constexpr std::int64_t max_span =
      days_from_civil(max_year + 1, 1, 1) * micros_per_day;
  civil_date_time at;
  if (step != 0) {
    if (amount > max_span / step || amount < -(max_span / step)) {
      return std::nullopt;
    }
    at = to_civil(microseconds + amount * step);
  } else {
    if (amount > max_months || amount < -max_months) {
      return std::nullopt;
    }
    // Calendar units: move the month, then clamp the day to its length.
    const std::int64_t months =
        amount * (unit == date_unit::year      ? months_per_year
                  : unit == date_unit::quarter ? months_per_quarter
                                               : 1);
    at = to_civil(microseconds);
    const std::int64_t month_index =
        at.year * std::int64_t{months_per_year} + (at.month - 1) + months;
    const std::int64_t year = floor_div(month_index, months_per_year);
    if (year < min_year || year > max_year) {
      return std::nullopt;
    }
    at.year = static_cast<int>(year);
    at.month = static_cast<int>(month_index - year * months_per_year) + 1;
    at.day = std::min(at.day, days_in_month(at.year, at.month));
  }
  if (at.year < min_year || at.year > max_year) {
    return std::nullopt;
  }
  return from_civil(at);
}

}  // namespace detail
}  // namespace xmlshred::domain
