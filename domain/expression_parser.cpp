// Parsing of calculated-field expressions: a recursive-descent parser with
// SQL precedence, and the checks that make evaluation total.

#include "domain/expression.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "domain/expression_builder.hpp"
#include "domain/expression_lexer.hpp"
#include "domain/expression_program.hpp"

namespace xmlshred::domain {
namespace {

using detail::equals_ignoring_case;
using detail::max_nesting_depth;
using detail::no_node;
using detail::node;
using detail::node_kind;
using detail::parse_failure;
using detail::token;
using detail::token_kind;

/// Words with a meaning of their own; they cannot name a bare attribute.
constexpr std::array<std::string_view, 15> reserved_words{
    "AND",  "CASE", "ELSE", "EMPTY", "END",  "ESCAPE", "FALSE", "IS",
    "LIKE", "NOT",  "NULL", "OR",    "THEN", "TRUE",   "WHEN"};

bool is_reserved(std::string_view word) {
  return std::any_of(
      reserved_words.begin(), reserved_words.end(),
      [&](std::string_view r) { return equals_ignoring_case(r, word); });
}

// -- parser -----------------------------------------------------------------

struct unit_name {
  std::string_view name;
  detail::date_unit unit;
};

// The SQL Server names and abbreviations of DATEADD units.
constexpr std::array<unit_name, 23> unit_names{{
    {"year", detail::date_unit::year},
    {"yy", detail::date_unit::year},
    {"yyyy", detail::date_unit::year},
    {"quarter", detail::date_unit::quarter},
    {"qq", detail::date_unit::quarter},
    {"q", detail::date_unit::quarter},
    {"month", detail::date_unit::month},
    {"mm", detail::date_unit::month},
    {"m", detail::date_unit::month},
    {"week", detail::date_unit::week},
    {"wk", detail::date_unit::week},
    {"ww", detail::date_unit::week},
    {"day", detail::date_unit::day},
    {"dd", detail::date_unit::day},
    {"d", detail::date_unit::day},
    {"hour", detail::date_unit::hour},
    {"hh", detail::date_unit::hour},
    {"minute", detail::date_unit::minute},
    {"mi", detail::date_unit::minute},
    {"n", detail::date_unit::minute},
    {"second", detail::date_unit::second},
    {"ss", detail::date_unit::second},
    {"s", detail::date_unit::second},
}};

class parser {
 public:
  parser(std::string_view text, std::vector<token> tokens)
      : tokens_(std::move(tokens)), build_(text) {}

  detail::expression_program run() {
    const std::uint32_t root = parse_value_or_condition();
    if (peek().kind != token_kind::end) {
      fail(peek().position, "unexpected " + describe(peek()) +
                                " after the end of the expression");
    }
    return build_.finish(root);
  }

 private:
  // -- token access ---------------------------------------------------------

  const token& peek(std::size_t ahead = 0) const {
    return tokens_[std::min(next_ + ahead, tokens_.size() - 1)];
  }

  const token& take() {
    const token& current = peek();
    if (next_ < tokens_.size() - 1) {
      ++next_;
    }
    return current;
  }

  bool is_keyword(const token& t, std::string_view word) const {
    return t.kind == token_kind::word && equals_ignoring_case(t.text, word);
  }

  bool is_symbol(const token& t, std::string_view symbol) const {
    return t.kind == token_kind::symbol && t.text == symbol;
  }

  bool accept_keyword(std::string_view word) {
    if (!is_keyword(peek(), word)) {
      return false;
    }
    take();
    return true;
  }

  bool accept_symbol(std::string_view symbol) {
    if (!is_symbol(peek(), symbol)) {
      return false;
    }
    take();
    return true;
  }

  void expect_keyword(std::string_view word, std::string_view context) {
    if (!accept_keyword(word)) {
      fail(peek().position, "expected " + std::string(word) + " " +
                                std::string(context) + ", found " +
                                describe(peek()));
    }
  }

  void expect_symbol(std::string_view symbol, std::string_view context) {
    if (!accept_symbol(symbol)) {
      fail(peek().position, "expected '" + std::string(symbol) + "' " +
                                std::string(context) + ", found " +
                                describe(peek()));
    }
  }

  static std::string describe(const token& t) {
    switch (t.kind) {
      case token_kind::end: return "the end of the expression";
      case token_kind::number: return "number " + t.text;
      case token_kind::string: return "string literal";
      case token_kind::word: return "'" + t.text + "'";
      case token_kind::quoted_word: return "\"" + t.text + "\"";
      case token_kind::symbol: return "'" + t.text + "'";
    }
    return "token";
  }

  [[noreturn]] static void fail(std::size_t position, std::string message) {
    detail::fail_parse(position, std::move(message));
  }

  // -- grammar --------------------------------------------------------------

  struct depth_guard {
    explicit depth_guard(parser& p) : owner(p) {
      if (++owner.depth_ > max_nesting_depth) {
        fail(owner.peek().position, "expression nests too deeply");
      }
    }
    ~depth_guard() { --owner.depth_; }
    parser& owner;
  };

  std::uint32_t parse_value_or_condition() {
    const depth_guard guard{*this};
    return parse_or();
  }

  std::uint32_t parse_or() {
    std::uint32_t left = parse_and();
    while (is_keyword(peek(), "OR")) {
      take();
      build_.require_condition(left, "before OR");
      const std::uint32_t right =
          build_.require_condition(parse_and(), "after OR");
      left = build_.add_binary(node_kind::logical_or, 0, left, right);
    }
    return left;
  }

  std::uint32_t parse_and() {
    std::uint32_t left = parse_not();
    while (is_keyword(peek(), "AND")) {
      take();
      build_.require_condition(left, "before AND");
      const std::uint32_t right =
          build_.require_condition(parse_not(), "after AND");
      left = build_.add_binary(node_kind::logical_and, 0, left, right);
    }
    return left;
  }

  std::uint32_t parse_not() {
    if (!is_keyword(peek(), "NOT")) {
      return parse_predicate();
    }
    const std::size_t position = take().position;
    const depth_guard guard{*this};
    node n;
    n.kind = node_kind::logical_not;
    n.first = build_.require_condition(parse_not(), "after NOT");
    return build_.add_node(n, position);
  }

  std::uint32_t parse_predicate() {
    const std::uint32_t left = parse_additive();
    const token& next = peek();
    if (next.kind == token_kind::symbol) {
      if (const auto op = comparison_of(next.text)) {
        take();
        return build_.add_binary(node_kind::comparison,
                                 static_cast<std::uint8_t>(*op), left,
                                 parse_additive());
      }
    }
    if (is_keyword(next, "IS")) {
      return parse_is(left);
    }
    if (is_keyword(next, "LIKE") ||
        (is_keyword(next, "NOT") && is_keyword(peek(1), "LIKE"))) {
      return parse_like(left);
    }
    return left;
  }

  static std::optional<detail::comparison_op> comparison_of(
      std::string_view symbol) {
    using detail::comparison_op;
    if (symbol == "=") return comparison_op::equal;
    if (symbol == "<>" || symbol == "!=") return comparison_op::not_equal;
    if (symbol == "<") return comparison_op::less;
    if (symbol == "<=") return comparison_op::less_equal;
    if (symbol == ">") return comparison_op::greater;
    if (symbol == ">=") return comparison_op::greater_equal;
    return std::nullopt;
  }

  std::uint32_t parse_is(std::uint32_t operand) {
    take();  // IS
    const bool negated = accept_keyword("NOT");
    node n;
    n.op = negated ? 1 : 0;
    n.first = operand;
    if (accept_keyword("EMPTY")) {
      n.kind = node_kind::is_empty;
    } else if (accept_keyword("NULL")) {
      n.kind = node_kind::is_null;
    } else {
      fail(peek().position,
           "expected EMPTY or NULL after IS, found " + describe(peek()));
    }
    return build_.add_node(n, build_.position_of(operand));
  }

  std::uint32_t parse_like(std::uint32_t operand) {
    node n;
    n.kind = node_kind::like;
    n.op = accept_keyword("NOT") ? 1 : 0;
    take();  // LIKE
    n.first = operand;
    n.second = parse_additive();
    if (accept_keyword("ESCAPE")) {
      n.third = parse_escape();
    }
    return build_.add_node(n, build_.position_of(operand));
  }

  // The escape must be a one-character literal: checked here so evaluation
  // never meets a bad one.
  std::uint32_t parse_escape() {
    const token& t = peek();
    if (t.kind != token_kind::string || t.text.size() != 1) {
      fail(t.position, "ESCAPE needs a one-character string literal");
    }
    take();
    detail::literal lit;
    lit.kind = value_kind::text;
    lit.text = t.text;
    return build_.add_literal(std::move(lit), t.position);
  }

  std::uint32_t parse_additive() {
    std::uint32_t left = parse_multiplicative();
    while (is_symbol(peek(), "+") || is_symbol(peek(), "-")) {
      const auto op = take().text == "+" ? detail::arithmetic_op::add
                                         : detail::arithmetic_op::subtract;
      build_.require_value(left, "in arithmetic");
      const std::uint32_t right =
          build_.require_value(parse_multiplicative(), "in arithmetic");
      left = build_.add_binary(node_kind::arithmetic,
                               static_cast<std::uint8_t>(op), left, right);
    }
    return left;
  }

  std::uint32_t parse_multiplicative() {
    std::uint32_t left = parse_unary();
    while (is_symbol(peek(), "*") || is_symbol(peek(), "/")) {
      const auto op = take().text == "*" ? detail::arithmetic_op::multiply
                                         : detail::arithmetic_op::divide;
      build_.require_value(left, "in arithmetic");
      const std::uint32_t right =
          build_.require_value(parse_unary(), "in arithmetic");
      left = build_.add_binary(node_kind::arithmetic,
                               static_cast<std::uint8_t>(op), left, right);
    }
    return left;
  }

  std::uint32_t parse_unary() {
    if (!is_symbol(peek(), "-") && !is_symbol(peek(), "+")) {
      return parse_primary();
    }
    const token& sign = take();
    const bool negative = sign.text == "-";
    const std::size_t position = sign.position;
    const depth_guard guard{*this};
    const std::uint32_t operand =
        build_.require_value(parse_unary(), "after a sign");
    if (!negative) {
      return operand;
    }
    node n;
    n.kind = node_kind::negate;
    n.first = operand;
    return build_.add_node(n, position);
  }

  std::uint32_t parse_primary() {
    const token& t = peek();
    switch (t.kind) {
      case token_kind::number: return parse_number_literal();
      case token_kind::string: return parse_string_literal();
      case token_kind::quoted_word: return parse_identifier();
      case token_kind::word: return parse_word();
      case token_kind::symbol:
        if (is_symbol(t, "(")) {
          return parse_parenthesized();
        }
        break;
      case token_kind::end: break;
    }
    fail(t.position, "expected a value, found " + describe(t));
  }

  std::uint32_t parse_parenthesized() {
    take();  // (
    const std::uint32_t inner = parse_value_or_condition();
    expect_symbol(")", "to close the parenthesis");
    return inner;
  }

  std::uint32_t parse_number_literal() {
    const token& t = take();
    detail::literal lit;
    lit.kind = value_kind::number;
    lit.number = detail::parse_number(t.text).value_or(0.0);
    return build_.add_literal(std::move(lit), t.position);
  }

  std::uint32_t parse_string_literal() {
    const token& t = take();
    return build_.add_literal(text_literal(t.text), t.position);
  }

  static detail::literal text_literal(const std::string& text) {
    detail::literal lit;
    lit.kind = value_kind::text;
    lit.text = text;
    lit.text_as_number = detail::parse_number(text);
    lit.text_as_date = parse_date_time(text);
    return lit;
  }

  std::uint32_t parse_word() {
    const token& t = peek();
    if (is_keyword(t, "CASE")) {
      return parse_case();
    }
    if (is_keyword(t, "NULL") || is_keyword(t, "TRUE") ||
        is_keyword(t, "FALSE")) {
      take();
      detail::literal lit;
      lit.kind =
          is_keyword(t, "NULL") ? value_kind::null_value : value_kind::boolean;
      lit.boolean = is_keyword(t, "TRUE");
      return build_.add_literal(std::move(lit), t.position);
    }
    if (is_symbol(peek(1), "(")) {
      return parse_call();
    }
    if (is_keyword(t, "DATE") && peek(1).kind == token_kind::string) {
      take();
      return parse_date_literal(take());
    }
    if (is_reserved(t.text)) {
      fail(t.position, "expected a value, found " + describe(t));
    }
    return parse_identifier();
  }

  std::uint32_t parse_date_literal(const token& text) {
    const auto at = parse_date_time(text.text);
    if (!at) {
      fail(text.position, "not a valid date: '" + text.text + "'");
    }
    detail::literal lit;
    lit.kind = value_kind::date_time;
    lit.microseconds = *at;
    return build_.add_literal(std::move(lit), text.position);
  }

  // `attr`, `element.attr`, either part possibly "quoted".
  std::uint32_t parse_identifier() {
    const token& first = take();
    if (!accept_symbol(".")) {
      return build_.add_reference({}, first.text, first.position);
    }
    const token& second = take();
    if (second.kind != token_kind::word &&
        second.kind != token_kind::quoted_word) {
      fail(second.position, "expected an attribute name after '" + first.text +
                                ".', found " + describe(second));
    }
    if (is_symbol(peek(), ".")) {
      fail(peek().position, "a name has at most two parts: element.attribute");
    }
    return build_.add_reference(first.text, second.text, first.position);
  }

  std::uint32_t parse_case() {
    const std::size_t position = take().position;
    node n;
    n.kind = node_kind::case_when;
    if (!is_keyword(peek(), "WHEN")) {
      n.first =
          build_.require_value(parse_value_or_condition(), "as CASE operand");
    }
    std::vector<detail::case_arm> arms;
    while (accept_keyword("WHEN")) {
      detail::case_arm arm;
      arm.when = parse_value_or_condition();
      if (n.first == no_node) {
        build_.require_condition(arm.when, "after WHEN");
      }
      expect_keyword("THEN", "after the WHEN condition");
      arm.then = parse_value_or_condition();
      arms.push_back(arm);
    }
    if (arms.empty()) {
      fail(peek().position,
           "expected WHEN after CASE, found " + describe(peek()));
    }
    if (accept_keyword("ELSE")) {
      n.second = parse_value_or_condition();
    }
    expect_keyword("END", "to close CASE");

    n.first_arm = build_.add_arms(arms);
    n.arm_count = static_cast<std::uint32_t>(arms.size());
    return build_.add_node(n, position);
  }

  std::uint32_t parse_call() {
    const token& name = take();
    take();  // (
    if (equals_ignoring_case(name.text, "DATE")) {
      return parse_date_call(name);
    }
    if (equals_ignoring_case(name.text, "DATEADD")) {
      return parse_dateadd_call(name);
    }
    fail(name.position, "unknown function '" + name.text + "'");
  }

  std::uint32_t parse_date_call(const token& name) {
    // A literal argument is checked and folded now.
    if (peek().kind == token_kind::string && is_symbol(peek(1), ")")) {
      const token& text = take();
      take();  // )
      return parse_date_literal(text);
    }
    node n;
    n.kind = node_kind::date_of;
    n.first =
        build_.require_value(parse_value_or_condition(), "as DATE argument");
    expect_symbol(")", "to close DATE(");
    return build_.add_node(n, name.position);
  }

  std::uint32_t parse_dateadd_call(const token& name) {
    node n;
    n.kind = node_kind::date_add;
    n.op = static_cast<std::uint8_t>(parse_date_unit());
    expect_symbol(",", "after the DATEADD unit");
    n.first =
        build_.require_value(parse_value_or_condition(), "as DATEADD amount");
    expect_symbol(",", "after the DATEADD amount");
    n.second =
        build_.require_value(parse_value_or_condition(), "as DATEADD date");
    expect_symbol(")", "to close DATEADD(");
    return build_.add_node(n, name.position);
  }

  detail::date_unit parse_date_unit() {
    const token& t = peek();
    if (t.kind == token_kind::word || t.kind == token_kind::string) {
      for (const unit_name& candidate : unit_names) {
        if (equals_ignoring_case(candidate.name, t.text)) {
          take();
          return candidate.unit;
        }
      }
    }
    fail(t.position, "unknown DATEADD unit " + describe(t) +
                         " (year, quarter, month, week, day, hour, minute, "
                         "second or their abbreviations)");
  }

  std::vector<token> tokens_;
  std::size_t next_ = 0;
  int depth_ = 0;
  detail::program_builder build_;
};

}  // namespace

compiled_expression::compiled_expression(
    std::shared_ptr<const detail::expression_program> program)
    : program_(std::move(program)) {}

const std::string& compiled_expression::source() const {
  return program_->source;
}

const std::vector<attribute_ref>& compiled_expression::references() const {
  return program_->references;
}

expression_parse_result parse_expression(std::string_view text) {
  expression_parse_result result;
  std::vector<token> tokens;
  if (auto error = detail::tokenize(text, tokens)) {
    result.error = std::move(error);
    return result;
  }
  if (tokens.size() == 1) {
    result.error = expression_error{0, "the expression is empty"};
    return result;
  }
  try {
    parser p{text, std::move(tokens)};
    result.expression.emplace(
        std::make_shared<const detail::expression_program>(p.run()));
  } catch (const parse_failure& failure) {
    result.error = failure.error;
  }
  return result;
}

}  // namespace xmlshred::domain
