#pragma once

// Internal layout of a compiled expression, shared by the parser, the
// evaluator and the value helpers. Not part of the public API: include
// domain/expression.hpp instead.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/expression.hpp"

namespace xmlshred::domain::detail {

/// What a node computes; the fields of `node` it uses are listed per value.
enum class node_kind : std::uint8_t {
  literal,      ///< literals[first]
  attribute,    ///< references[first]
  negate,       ///< -first
  arithmetic,   ///< first <op> second, op is arithmetic_op
  comparison,   ///< first <op> second, op is comparison_op
  logical_and,  ///< first AND second
  logical_or,   ///< first OR second
  logical_not,  ///< NOT first
  is_empty,     ///< first IS [NOT] EMPTY, op != 0 means NOT
  is_null,      ///< first IS [NOT] NULL, op != 0 means NOT
  like,         ///< first [NOT] LIKE second [ESCAPE third], op != 0: NOT
  case_when,    ///< arms[first_arm .. +arm_count], operand first, else second
  date_of,      ///< DATE(first)
  date_add,     ///< DATEADD(op as date_unit, first, second)
};

enum class arithmetic_op : std::uint8_t { add, subtract, multiply, divide };

enum class comparison_op : std::uint8_t {
  equal,
  not_equal,
  less,
  less_equal,
  greater,
  greater_equal,
};

enum class date_unit : std::uint8_t {
  year,
  quarter,
  month,
  week,
  day,
  hour,
  minute,
  second,
};

/// Marks an absent child (no ELSE, no CASE operand, no ESCAPE).
constexpr std::uint32_t no_node = 0xFFFFFFFFu;

struct node {
  node_kind kind = node_kind::literal;
  std::uint8_t op = 0;
  std::uint32_t first = no_node;
  std::uint32_t second = no_node;
  std::uint32_t third = no_node;
  std::uint32_t first_arm = 0;
  std::uint32_t arm_count = 0;
};

/// One WHEN ... THEN ... of a CASE.
struct case_arm {
  std::uint32_t when = no_node;
  std::uint32_t then = no_node;
};

/// A constant of the expression, with the interpretations comparisons need
/// worked out once at parse time instead of on every evaluation.
struct literal {
  value_kind kind = value_kind::null_value;
  std::string text;
  double number = 0.0;
  std::int64_t microseconds = 0;
  bool boolean = false;
  /// For text literals: the number / date the text reads as, if any.
  std::optional<double> text_as_number;
  std::optional<std::int64_t> text_as_date;
};

struct expression_program {
  std::string source;
  std::vector<node> nodes;
  std::vector<case_arm> arms;
  std::vector<literal> literals;
  std::vector<attribute_ref> references;
  std::uint32_t root = no_node;
};

// -- text helpers shared by parser and evaluator ----------------------------

/// True when `text` is empty or only blanks (space, tab, CR, LF, FF, VT).
bool is_blank(std::string_view text);

/// `text` without leading and trailing blanks.
std::string_view trim_blanks(std::string_view text);

/// Reads plain decimal text: optional blanks, optional sign, digits with an
/// optional fraction ("12", "-0.5", ".5", "7."). No exponent, no inf/nan.
std::optional<double> parse_number(std::string_view text);

/// Room write_number needs for any double.
constexpr std::size_t number_text_capacity = 400;

/// Writes the shortest decimal text that reads back as `value` ("65",
/// "0.1", "-2.5"; no exponent) into `first`, which has room for
/// number_text_capacity characters; returns the length.
std::size_t write_number(double value, char* first);

/// write_number into a string.
std::string format_number(double value);

/// Orders two texts ignoring ASCII case and trailing spaces: -1, 0 or 1.
int compare_text(std::string_view a, std::string_view b);

/// True when `text` matches the LIKE `pattern` as a whole: `%` any run,
/// `_` one UTF-8 character, `escape` (unless '\0') makes the next pattern
/// character literal; ASCII case is ignored.
bool like_match(std::string_view text, std::string_view pattern, char escape);

/// "YYYY-MM-DD HH:MM:SS[.ffffff]", or "YYYY-MM-DD" when `date_only`.
std::string format_date_time(std::int64_t microseconds, bool date_only);

/// Adds `amount` units to a point in time. Month-based units keep the day
/// when it exists in the target month and otherwise use its last day.
/// std::nullopt when the result leaves years 1-9999.
std::optional<std::int64_t> add_to_date(std::int64_t microseconds,
                                        date_unit unit, std::int64_t amount);

}  // namespace xmlshred::domain::detail
