// Evaluation of compiled expressions: SQL NULL propagation, three-valued
// logic, mixed number / text / date comparison.

#include "domain/expression.hpp"

#include <algorithm>
#include <array>
#include <bitset>
#include <cmath>
#include <string>

#include "domain/expression_program.hpp"

namespace xmlshred::domain {
namespace {

using detail::arithmetic_op;
using detail::comparison_op;
using detail::literal;
using detail::no_node;
using detail::node;
using detail::node_kind;

/// References beyond this many are resolved on every use instead of once.
constexpr std::size_t max_cached_references = 32;
constexpr std::size_t number_text_size = detail::number_text_capacity;

/// How an attribute's text reads as a number and as a date, worked out on
/// first need: one attribute is often compared many times (a date tested in
/// every arm of a CASE).
struct text_readings {
  bool number_known = false;
  bool date_known = false;
  std::optional<double> number;
  std::optional<std::int64_t> date;
};

/// An intermediate value. Text views point into the program's literals or
/// into strings the resolver returned; both outlive the evaluation.
struct scratch {
  value_kind kind = value_kind::null_value;
  std::string_view text;
  double number = 0.0;
  std::int64_t microseconds = 0;
  bool boolean = false;
  /// Set for text literals, whose number and date readings are precomputed.
  const literal* source = nullptr;
  /// Set for cached attribute texts; filled in by number_of / date_of.
  text_readings* readings = nullptr;
};

enum class truth { is_false, is_true, unknown };

scratch make_boolean(truth value) {
  scratch out;
  if (value != truth::unknown) {
    out.kind = value_kind::boolean;
    out.boolean = value == truth::is_true;
  }
  return out;
}

scratch make_number(double value) {
  scratch out;
  if (std::isfinite(value)) {
    out.kind = value_kind::number;
    out.number = value;
  }
  return out;
}

scratch make_date(std::optional<std::int64_t> microseconds) {
  scratch out;
  if (microseconds) {
    out.kind = value_kind::date_time;
    out.microseconds = *microseconds;
  }
  return out;
}

truth truth_of(const scratch& value) {
  if (value.kind != value_kind::boolean) {
    return truth::unknown;
  }
  return value.boolean ? truth::is_true : truth::is_false;
}

// -- conversions --------------------------------------------------------------

/// The number a value stands for in arithmetic and numeric comparison.
std::optional<double> number_of(const scratch& value) {
  switch (value.kind) {
    case value_kind::number: return value.number;
    case value_kind::boolean: return value.boolean ? 1.0 : 0.0;
    case value_kind::text:
      if (value.source != nullptr) {
        return value.source->text_as_number;
      }
      if (value.readings == nullptr) {
        return detail::parse_number(value.text);
      }
      if (!value.readings->number_known) {
        value.readings->number = detail::parse_number(value.text);
        value.readings->number_known = true;
      }
      return value.readings->number;
    default: return std::nullopt;
  }
}

/// The point in time a value stands for in date comparison and DATEADD.
std::optional<std::int64_t> date_of(const scratch& value) {
  switch (value.kind) {
    case value_kind::date_time: return value.microseconds;
    case value_kind::text:
      if (value.source != nullptr) {
        return value.source->text_as_date;
      }
      if (value.readings == nullptr) {
        return parse_date_time(value.text);
      }
      if (!value.readings->date_known) {
        value.readings->date = parse_date_time(value.text);
        value.readings->date_known = true;
      }
      return value.readings->date;
    default: return std::nullopt;
  }
}

/// Text of a non-NULL value for string comparison and LIKE; numbers and
/// booleans are written into `buffer`, dates into `owned`.
std::string_view text_of(const scratch& value,
                         std::array<char, number_text_size>& buffer,
                         std::string& owned) {
  switch (value.kind) {
    case value_kind::text: return value.text;
    case value_kind::boolean: return value.boolean ? "1" : "0";
    case value_kind::date_time:
      owned = detail::format_date_time(value.microseconds, false);
      return owned;
    default: break;
  }
  return std::string_view(buffer.data(),
                          detail::write_number(value.number, buffer.data()));
}

template <class T>
int order(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

/// Orders two values: dates if either is a date, numbers if both read as
/// numbers, dates if both texts read as dates, text otherwise. std::nullopt
/// when either is NULL or a date side cannot be read as a date.
std::optional<int> compare_values(const scratch& a, const scratch& b) {
  if (a.kind == value_kind::null_value || b.kind == value_kind::null_value) {
    return std::nullopt;
  }
  if (a.kind == value_kind::date_time || b.kind == value_kind::date_time) {
    const auto x = date_of(a);
    const auto y = date_of(b);
    if (!x || !y) {
      return std::nullopt;
    }
    return order(*x, *y);
  }
  const auto x = number_of(a);
  const auto y = number_of(b);
  if (x && y) {
    return order(*x, *y);
  }
  if (a.kind == value_kind::text && b.kind == value_kind::text) {
    const auto date_x = date_of(a);
    const auto date_y = date_of(b);
    if (date_x && date_y) {
      return order(*date_x, *date_y);
    }
  }
  std::array<char, number_text_size> buffer_a{};
  std::array<char, number_text_size> buffer_b{};
  std::string owned_a;
  std::string owned_b;
  return detail::compare_text(text_of(a, buffer_a, owned_a),
                              text_of(b, buffer_b, owned_b));
}

bool satisfies(comparison_op op, int ordering) {
  switch (op) {
    case comparison_op::equal: return ordering == 0;
    case comparison_op::not_equal: return ordering != 0;
    case comparison_op::less: return ordering < 0;
    case comparison_op::less_equal: return ordering <= 0;
    case comparison_op::greater: return ordering > 0;
    case comparison_op::greater_equal: return ordering >= 0;
  }
  return false;
}

// -- evaluator ----------------------------------------------------------------

/// One evaluation: walks the program, resolving each reference at most once.
class evaluator {
 public:
  evaluator(const detail::expression_program& program,
            const attribute_resolver& resolver)
      : program_(program), resolver_(resolver) {}

  scratch eval(std::uint32_t index) {
    const node& n = program_.nodes[index];
    switch (n.kind) {
      case node_kind::literal: return literal_value(n.first);
      case node_kind::attribute: return attribute_value(n.first);
      case node_kind::negate: return negate(n);
      case node_kind::arithmetic: return arithmetic(n);
      case node_kind::comparison: return comparison(n);
      case node_kind::logical_and: return logical_and(n);
      case node_kind::logical_or: return logical_or(n);
      case node_kind::logical_not: return logical_not(n);
      case node_kind::is_empty: return is_empty(n);
      case node_kind::is_null: return is_null(n);
      case node_kind::like: return like(n);
      case node_kind::case_when: return case_when(n);
      case node_kind::date_of: return make_date(date_of(eval(n.first)));
      case node_kind::date_add: return date_add(n);
    }
    return {};
  }

 private:
  scratch literal_value(std::uint32_t index) const {
    const literal& lit = program_.literals[index];
    scratch out;
    out.kind = lit.kind;
    out.text = lit.text;
    out.number = lit.number;
    out.microseconds = lit.microseconds;
    out.boolean = lit.boolean;
    out.source = lit.kind == value_kind::text ? &lit : nullptr;
    return out;
  }

  scratch attribute_value(std::uint32_t index) {
    std::optional<std::string_view> found;
    text_readings* readings = nullptr;
    if (index < max_cached_references) {
      if (!resolved_[index]) {
        cache_[index] = resolver_.resolve(program_.references[index]);
        resolved_[index] = true;
      }
      found = cache_[index];
      readings = &readings_[index];
    } else {
      found = resolver_.resolve(program_.references[index]);
    }
    scratch out;
    if (found) {
      out.kind = value_kind::text;
      out.text = *found;
      out.readings = readings;
    }
    return out;
  }

  /// A number for arithmetic: blank or non-numeric text counts as NULL.
  std::optional<double> operand(std::uint32_t index) {
    const scratch value = eval(index);
    if (value.kind != value_kind::number && value.kind != value_kind::text) {
      return std::nullopt;
    }
    return number_of(value);
  }

  scratch negate(const node& n) {
    const auto value = operand(n.first);
    return value ? make_number(-*value) : scratch{};
  }

  scratch arithmetic(const node& n) {
    const auto left = operand(n.first);
    const auto right = operand(n.second);
    if (!left || !right) {
      return {};
    }
    switch (static_cast<arithmetic_op>(n.op)) {
      case arithmetic_op::add: return make_number(*left + *right);
      case arithmetic_op::subtract: return make_number(*left - *right);
      case arithmetic_op::multiply: return make_number(*left * *right);
      case arithmetic_op::divide:
        if (*right == 0.0) {
          return {};  // division by zero is NULL, not an error
        }
        return make_number(*left / *right);
    }
    return {};
  }

  scratch comparison(const node& n) {
    const auto ordering = compare_values(eval(n.first), eval(n.second));
    if (!ordering) {
      return {};
    }
    const bool holds = satisfies(static_cast<comparison_op>(n.op), *ordering);
    return make_boolean(holds ? truth::is_true : truth::is_false);
  }

  // Kleene logic: FALSE decides AND and TRUE decides OR even when the other
  // side is unknown; otherwise unknown wins.
  scratch logical_and(const node& n) {
    const truth left = truth_of(eval(n.first));
    if (left == truth::is_false) {
      return make_boolean(truth::is_false);
    }
    const truth right = truth_of(eval(n.second));
    if (right == truth::is_false) {
      return make_boolean(truth::is_false);
    }
    const bool both_true = left == truth::is_true && right == truth::is_true;
    return make_boolean(both_true ? truth::is_true : truth::unknown);
  }

  scratch logical_or(const node& n) {
    const truth left = truth_of(eval(n.first));
    if (left == truth::is_true) {
      return make_boolean(truth::is_true);
    }
    const truth right = truth_of(eval(n.second));
    if (right == truth::is_true) {
      return make_boolean(truth::is_true);
    }
    const bool both_false = left == truth::is_false && right == truth::is_false;
    return make_boolean(both_false ? truth::is_false : truth::unknown);
  }

  scratch logical_not(const node& n) {
    switch (truth_of(eval(n.first))) {
      case truth::is_true: return make_boolean(truth::is_false);
      case truth::is_false: return make_boolean(truth::is_true);
      case truth::unknown: break;
    }
    return {};
  }

  scratch is_empty(const node& n) {
    const scratch value = eval(n.first);
    const bool empty =
        value.kind == value_kind::null_value ||
        (value.kind == value_kind::text && detail::is_blank(value.text));
    return make_boolean(empty != (n.op != 0) ? truth::is_true
                                             : truth::is_false);
  }

  scratch is_null(const node& n) {
    const bool null = eval(n.first).kind == value_kind::null_value;
    return make_boolean(null != (n.op != 0) ? truth::is_true : truth::is_false);
  }

  scratch like(const node& n) {
    const scratch value = eval(n.first);
    const scratch pattern = eval(n.second);
    if (value.kind == value_kind::null_value ||
        pattern.kind == value_kind::null_value) {
      return {};
    }
    const char escape =
        n.third == no_node
            ? '\0'
            : program_.literals[program_.nodes[n.third].first].text.front();
    std::array<char, number_text_size> value_buffer{};
    std::array<char, number_text_size> pattern_buffer{};
    std::string value_owned;
    std::string pattern_owned;
    const bool found = detail::like_match(
        text_of(value, value_buffer, value_owned),
        text_of(pattern, pattern_buffer, pattern_owned), escape);
    return make_boolean(found != (n.op != 0) ? truth::is_true
                                             : truth::is_false);
  }

  scratch case_when(const node& n) {
    scratch subject;
    if (n.first != no_node) {
      subject = eval(n.first);
    }
    for (std::uint32_t i = 0; i < n.arm_count; ++i) {
      const detail::case_arm& arm = program_.arms[n.first_arm + i];
      const scratch when = eval(arm.when);
      const bool taken = n.first == no_node
                             ? truth_of(when) == truth::is_true
                             : compare_values(subject, when) == 0;
      if (taken) {
        return eval(arm.then);
      }
    }
    return n.second == no_node ? scratch{} : eval(n.second);
  }

  // DATEADD drops a fraction of the amount, as SQL Server does.
  scratch date_add(const node& n) {
    const auto amount = operand(n.first);
    const auto start = date_of(eval(n.second));
    if (!amount || !start) {
      return {};
    }
    const double whole = std::trunc(*amount);
    constexpr double max_amount = 9.0e15;
    if (std::fabs(whole) > max_amount) {
      return {};
    }
    return make_date(detail::add_to_date(*start,
                                         static_cast<detail::date_unit>(n.op),
                                         static_cast<std::int64_t>(whole)));
  }

  const detail::expression_program& program_;
  const attribute_resolver& resolver_;
  std::array<std::optional<std::string_view>, max_cached_references> cache_{};
  std::bitset<max_cached_references> resolved_;
  std::array<text_readings, max_cached_references> readings_{};
};

expression_value to_value(const scratch& value) {
  switch (value.kind) {
    case value_kind::null_value: return {};
    case value_kind::text:
      return expression_value::text(std::string(value.text));
    case value_kind::number: return expression_value::number(value.number);
    case value_kind::boolean: return expression_value::boolean(value.boolean);
    case value_kind::date_time:
      return expression_value::date_time(value.microseconds);
  }
  return {};
}

}  // namespace

expression_value evaluate(const compiled_expression& expression,
                          const attribute_resolver& resolver) {
  const detail::expression_program& program = expression.program();
  evaluator walker{program, resolver};
  return to_value(walker.eval(program.root));
}

}  // namespace xmlshred::domain
