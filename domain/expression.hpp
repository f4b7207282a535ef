#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "domain/contract.hpp"

namespace xmlshred::domain {

// -- identifiers ------------------------------------------------------------

/// One attribute an expression reads, as written in the expression text:
/// `attr` (bare) or `element.attr` (qualified). docs/expressions.md says how
/// a mapper should resolve each form against the document.
struct attribute_ref {
  /// Element name for `element.attr`; empty for a bare `attr`, which means
  /// the element the mapping's xml_path points at.
  std::string element;
  std::string attribute;
  /// Position of this reference in compiled_expression::references(); a
  /// resolver may use it to index tables it prepared up front.
  std::size_t index = 0;
};

// -- values -----------------------------------------------------------------

/// What an expression value holds.
enum class value_kind {
  /// SQL NULL: a missing attribute, a CASE without a matching arm, an
  /// unknown comparison, a failed conversion.
  null_value,
  text,
  /// A double; integers up to 2^53 are exact.
  number,
  /// The outcome of a condition used as a value (renders "1" / "0").
  boolean,
  /// A point in time with microsecond precision, no time zone.
  date_time,
};

/// A date and time broken into fields, as read from or written to text.
struct civil_date_time {
  int year = 1900;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int microsecond = 0;
};

/// The result of an evaluation. Owns its text; cheap to copy for short
/// texts. Immutable once made.
class expression_value {
 public:
  /// NULL.
  expression_value() = default;

  static expression_value text(std::string value);
  static expression_value number(double value);
  static expression_value boolean(bool value);
  /// `microseconds` counts from 1970-01-01 00:00:00 (negative before).
  static expression_value date_time(std::int64_t microseconds);

  value_kind kind() const { return kind_; }
  bool is_null() const { return kind_ == value_kind::null_value; }

  /// Preconditions: kind() is the matching kind.
  const std::string& as_text() const { return text_; }
  double as_number() const { return number_; }
  bool as_boolean() const { return boolean_; }
  std::int64_t as_microseconds() const { return microseconds_; }
  civil_date_time as_civil() const;

 private:
  value_kind kind_ = value_kind::null_value;
  std::string text_;
  double number_ = 0.0;
  bool boolean_ = false;
  std::int64_t microseconds_ = 0;
};

/// The text a column of type `target` should receive for `value`, before the
/// mapper's own data_type conversion; std::nullopt for NULL.
/// - text: unchanged (no trimming, no truncation);
/// - number: integer targets (int, smallint, tinyint, bigint) get the value
///   truncated toward zero in decimal ("65"); bit gets "1" for non-zero,
///   "0" for zero; every other target gets the shortest text that reads back
///   as the same double ("65", "2500.0833333333335");
/// - date_time: "YYYY-MM-DD" for date targets, otherwise
///   "YYYY-MM-DD HH:MM:SS" plus ".ffffff" when there are microseconds;
/// - boolean: "1" or "0".
/// Thread-safe.
[[nodiscard]] std::optional<std::string> render_value(
    const expression_value& value, data_type target);

/// Reads the date formats expressions accept (docs/expressions.md): ISO-like
/// `YYYY-M-D[ H:M[:S[.f]]]` (also with `T`) and US `M/D/YYYY[ H:M[:S[.f]]
/// [AM|PM]]`, surrounding blanks ignored. Returns microseconds since
/// 1970-01-01, or std::nullopt for anything else or an impossible date.
[[nodiscard]] std::optional<std::int64_t> parse_date_time(
    std::string_view text);

// -- compiled expressions ---------------------------------------------------

namespace detail {
struct expression_program;
}

/// A parsed, checked expression, made by parse_expression. Immutable;
/// copies share the same program, so storing one per mapping is cheap. Safe
/// to evaluate from several threads at once.
class compiled_expression {
 public:
  /// Used by parse_expression; `program` must not be null.
  explicit compiled_expression(
      std::shared_ptr<const detail::expression_program> program);

  /// The expression text it was parsed from.
  const std::string& source() const;

  /// Every distinct attribute the expression reads, in order of first
  /// appearance; attribute_ref::index is the position in this list.
  const std::vector<attribute_ref>& references() const;

  /// The compiled form, for the evaluator.
  const detail::expression_program& program() const { return *program_; }

 private:
  std::shared_ptr<const detail::expression_program> program_;
};

/// Why an expression text was refused.
struct expression_error {
  /// 0-based character (byte) offset in the text where the problem is.
  std::size_t position = 0;
  /// What is wrong, naming the offending token; never a document value.
  std::string message;
};

/// The outcome of parse_expression: exactly one of the two is set.
struct expression_parse_result {
  std::optional<compiled_expression> expression;
  std::optional<expression_error> error;

  bool ok() const { return expression.has_value(); }
};

/// Parses and checks `text` (syntax, function names and arities, DATEADD
/// units, date literals, conditions where conditions are required). Call
/// once per mapping at contract load. Thread-safe.
[[nodiscard]] expression_parse_result parse_expression(std::string_view text);

// -- evaluation -------------------------------------------------------------

/// Supplies attribute values during one evaluation.
class attribute_resolver {
 public:
  virtual ~attribute_resolver() = default;

  /// The value of `ref` in the current document context, or std::nullopt
  /// when the attribute (or its element) is missing. The returned view must
  /// stay valid until evaluate() returns. Called at most once per reference
  /// per evaluation for the first 32 references; must not throw.
  virtual std::optional<std::string_view> resolve(
      const attribute_ref& ref) const = 0;
};

/// Evaluates `expression` against the attribute values `resolver` supplies,
/// calling it only from the calling thread. Never fails: values that cannot
/// be converted become NULL as docs/expressions.md describes. Const and
/// thread-safe. Allocates only to return a text result longer than the
/// small-string buffer, or when LIKE is applied to a date value.
[[nodiscard]] expression_value evaluate(const compiled_expression& expression,
                                        const attribute_resolver& resolver);

/// Adapts any callable `std::optional<std::string_view>(const
/// attribute_ref&)` to attribute_resolver without allocating.
template <class Lookup>
class lookup_resolver final : public attribute_resolver {
 public:
  explicit lookup_resolver(Lookup lookup) : lookup_(std::move(lookup)) {}

  std::optional<std::string_view> resolve(
      const attribute_ref& ref) const override {
    return lookup_(ref);
  }

 private:
  Lookup lookup_;
};

/// evaluate() with a callable lookup instead of a resolver object.
template <class Lookup>
[[nodiscard]] expression_value evaluate_with(
    const compiled_expression& expression, Lookup&& lookup) {
  const lookup_resolver<std::decay_t<Lookup>> resolver{
      std::forward<Lookup>(lookup)};
  return evaluate(expression, resolver);
}

}  // namespace xmlshred::domain
