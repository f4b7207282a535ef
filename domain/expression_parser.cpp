// Parsing of calculated-field expressions: tokens, a recursive-descent
// parser with SQL precedence, and the checks that make evaluation total.

#include "domain/expression.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <utility>

#include "domain/expression_program.hpp"

namespace xmlshred::domain {
namespace {

using detail::node;
using detail::node_kind;
using detail::no_node;

/// Nesting deeper than this is refused: parsing and evaluation recurse once
/// per level, and no sensible contract comes near it.
constexpr int max_nesting_depth = 256;
/// Words with a meaning of their own; they cannot name a bare attribute.
constexpr std::array<std::string_view, 15> reserved_words{
    "AND",  "CASE", "ELSE",   "EMPTY", "END",   "ESCAPE", "FALSE", "IS",
    "LIKE", "NOT",  "NULL",   "OR",    "THEN",  "TRUE",   "WHEN"};

// -- tokens -----------------------------------------------------------------

enum class token_kind { end, number, string, word, quoted_word, symbol };

struct token {
  token_kind kind = token_kind::end;
  std::size_t position = 0;
  /// Words and symbols as written; strings unescaped; numbers as written.
  std::string text;
};

bool is_word_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_';
}

bool is_word_char(char c) {
  return is_word_start(c) || std::isdigit(static_cast<unsigned char>(c)) != 0;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) ==
                  std::toupper(static_cast<unsigned char>(y));
         });
}

bool is_reserved(std::string_view word) {
  return std::any_of(reserved_words.begin(), reserved_words.end(),
                     [&](std::string_view r) {
                       return equals_ignoring_case(r, word);
                     });
}

/// Splits expression text into tokens, or reports the first bad character.
class lexer {
 public:
  explicit lexer(std::string_view text) : text_(text) {}

  std::optional<expression_error> run(std::vector<token>& out) {
    while (true) {
      skip_blanks();
      if (pos_ >= text_.size()) {
        out.push_back(token{token_kind::end, text_.size(), {}});
        return std::nullopt;
      }
      token next;
      if (auto error = read(next)) {
        return error;
      }
      out.push_back(std::move(next));
    }
  }

 private:
  void skip_blanks() {
    while (pos_ < text_.size() &&
           std::isspace(static_cast<unsigned char>(text_[pos_])) != 0) {
      ++pos_;
    }
  }

  std::optional<expression_error> read(token& out) {
    const char c = text_[pos_];
    out.position = pos_;
    if (is_digit(c) || (c == '.' && pos_ + 1 < text_.size() &&
                        is_digit(text_[pos_ + 1]))) {
      return read_number(out);
    }
    if (c == '\'') {
      return read_quoted(out, '\'', token_kind::string, "string literal");
    }
    if (c == '"') {
      return read_quoted(out, '"', token_kind::quoted_word, "quoted name");
    }
    if (is_word_start(c)) {
      const std::size_t start = pos_;
      while (pos_ < text_.size() && is_word_char(text_[pos_])) {
        ++pos_;
      }
      out.kind = token_kind::word;
      out.text = std::string(text_.substr(start, pos_ - start));
      return std::nullopt;
    }
    return read_symbol(out);
  }

  std::optional<expression_error> read_number(token& out) {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && is_digit(text_[pos_])) {
      ++pos_;
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      while (pos_ < text_.size() && is_digit(text_[pos_])) {
        ++pos_;
      }
    }
    if (pos_ < text_.size() &&
        (is_word_char(text_[pos_]) || text_[pos_] == '.')) {
      return expression_error{start, "malformed number '" +
                                         std::string(text_.substr(
                                             start, pos_ - start + 1)) +
                                         "'"};
    }
    out.kind = token_kind::number;
    out.text = std::string(text_.substr(start, pos_ - start));
    return std::nullopt;
  }

  // A doubled quote inside stands for one quote character.
  std::optional<expression_error> read_quoted(token& out, char quote,
                                              token_kind kind,
                                              std::string_view what) {
    const std::size_t start = pos_++;
    std::string value;
    while (pos_ < text_.size()) {
      if (text_[pos_] != quote) {
        value.push_back(text_[pos_++]);
        continue;
      }
      if (pos_ + 1 < text_.size() && text_[pos_ + 1] == quote) {
        value.push_back(quote);
        pos_ += 2;
        continue;
      }
      ++pos_;
      out.kind = kind;
      out.text = std::move(value);
      return std::nullopt;
    }
    return expression_error{start, "unterminated " + std::string(what)};
  }

  std::optional<expression_error> read_symbol(token& out) {
    static constexpr std::array<std::string_view, 15> symbols{
        "<>", "!=", "<=", ">=", "<", ">", "=", "(",
        ")",  ",",  ".",  "+",  "-", "*", "/"};
    for (const std::string_view symbol : symbols) {
      if (text_.substr(pos_, symbol.size()) == symbol) {
        out.kind = token_kind::symbol;
        out.text = std::string(symbol);
        pos_ += symbol.size();
        return std::nullopt;
      }
    }
    return expression_error{pos_, "unexpected character '" +
                                      std::string(1, text_[pos_]) + "'"};
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

// -- parser -----------------------------------------------------------------

/// Thrown inside the parser only, caught in parse_expression: unwinding is
/// the simplest way out of deep recursion, and it never crosses the API.
struct parse_failure {
  expression_error error;
};

struct unit_name {
  std::string_view name;
  detail::date_unit unit;
};

// The SQL Server names and abbreviations of DATEADD units.
constexpr std::array<unit_name, 23> unit_names{{
    {"year", detail::date_unit::year},       {"yy", detail::date_unit::year},
    {"yyyy", detail::date_unit::year},       {"quarter", detail::date_unit::quarter},
    {"qq", detail::date_unit::quarter},      {"q", detail::date_unit::quarter},
    {"month", detail::date_unit::month},     {"mm", detail::date_unit::month},
    {"m", detail::date_unit::month},         {"week", detail::date_unit::week},
    {"wk", detail::date_unit::week},         {"ww", detail::date_unit::week},
    {"day", detail::date_unit::day},         {"dd", detail::date_unit::day},
    {"d", detail::date_unit::day},           {"hour", detail::date_unit::hour},
    {"hh", detail::date_unit::hour},         {"minute", detail::date_unit::minute},
    {"mi", detail::date_unit::minute},       {"n", detail::date_unit::minute},
    {"second", detail::date_unit::second},   {"ss", detail::date_unit::second},
    {"s", detail::date_unit::second},
}};

class parser {
 public:
  parser(std::string_view text, std::vector<token> tokens)
      : tokens_(std::move(tokens)) {
    program_.source = std::string(text);
  }

  detail::expression_program run() {
    program_.root = parse_value_or_condition();
    if (peek().kind != token_kind::end) {
      fail(peek().position, "unexpected " + describe(peek()) +
                                " after the end of the expression");
    }
    return std::move(program_);
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
    throw parse_failure{expression_error{position, std::move(message)}};
  }

  // -- node building --------------------------------------------------------

  std::uint32_t add_node(node n, std::size_t position) {
    const int depth = depth_of(n);
    if (depth > max_nesting_depth) {
      fail(position, "expression nests too deeply");
    }
    program_.nodes.push_back(n);
    positions_.push_back(position);
    depths_.push_back(depth);
    return static_cast<std::uint32_t>(program_.nodes.size() - 1);
  }

  // Long AND / OR / + chains are parsed in loops but evaluated by recursion,
  // so the tree depth is limited, not only the parser's.
  int depth_of(const node& n) const {
    if (n.kind == node_kind::literal || n.kind == node_kind::attribute) {
      return 1;
    }
    int deepest = 0;
    for (const std::uint32_t child : {n.first, n.second, n.third}) {
      if (child != no_node) {
        deepest = std::max(deepest, depths_[child]);
      }
    }
    for (std::uint32_t i = 0; i < n.arm_count; ++i) {
      const detail::case_arm& arm = program_.arms[n.first_arm + i];
      deepest = std::max({deepest, depths_[arm.when], depths_[arm.then]});
    }
    return deepest + 1;
  }

  std::uint32_t add_literal(detail::literal lit, std::size_t position) {
    program_.literals.push_back(std::move(lit));
    node n;
    n.kind = node_kind::literal;
    n.first = static_cast<std::uint32_t>(program_.literals.size() - 1);
    return add_node(n, position);
  }

  std::uint32_t add_binary(node_kind kind, std::uint8_t op,
                           std::uint32_t left, std::uint32_t right) {
    node n;
    n.kind = kind;
    n.op = op;
    n.first = left;
    n.second = right;
    return add_node(n, positions_[left]);
  }

  std::uint32_t add_reference(std::string element, std::string attribute,
                              std::size_t position) {
    const auto key = std::make_pair(element, attribute);
    auto found = reference_index_.find(key);
    if (found == reference_index_.end()) {
      const std::size_t index = program_.references.size();
      program_.references.push_back(
          attribute_ref{std::move(element), std::move(attribute), index});
      found = reference_index_.emplace(key, index).first;
    }
    node n;
    n.kind = node_kind::attribute;
    n.first = static_cast<std::uint32_t>(found->second);
    return add_node(n, position);
  }

  // -- static checks --------------------------------------------------------

  bool is_condition(std::uint32_t index) const {
    const node& n = program_.nodes[index];
    switch (n.kind) {
      case node_kind::comparison:
      case node_kind::logical_and:
      case node_kind::logical_or:
      case node_kind::logical_not:
      case node_kind::is_empty:
      case node_kind::is_null:
      case node_kind::like:
        return true;
      case node_kind::literal: {
        const value_kind kind = program_.literals[n.first].kind;
        return kind == value_kind::boolean || kind == value_kind::null_value;
      }
      default:
        return false;
    }
  }

  std::uint32_t require_condition(std::uint32_t index,
                                  std::string_view where) const {
    if (!is_condition(index)) {
      fail(positions_[index],
           "expected a condition (comparison, IS, LIKE, AND, OR, NOT) " +
               std::string(where));
    }
    return index;
  }

  std::uint32_t require_value(std::uint32_t index,
                              std::string_view where) const {
    const node_kind kind = program_.nodes[index].kind;
    if (is_condition(index) && kind != node_kind::literal) {
      fail(positions_[index],
           "a condition cannot be used " + std::string(where));
    }
    return index;
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
      require_condition(left, "before OR");
      const std::uint32_t right =
          require_condition(parse_and(), "after OR");
      left = add_binary(node_kind::logical_or, 0, left, right);
    }
    return left;
  }

  std::uint32_t parse_and() {
    std::uint32_t left = parse_not();
    while (is_keyword(peek(), "AND")) {
      take();
      require_condition(left, "before AND");
      const std::uint32_t right =
          require_condition(parse_not(), "after AND");
      left = add_binary(node_kind::logical_and, 0, left, right);
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
    n.first = require_condition(parse_not(), "after NOT");
    return add_node(n, position);
  }

  std::uint32_t parse_predicate() {
    const std::uint32_t left = parse_additive();
    const token& next = peek();
    if (next.kind == token_kind::symbol) {
      if (const auto op = comparison_of(next.text)) {
        take();
        return add_binary(node_kind::comparison,
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
    return add_node(n, positions_[operand]);
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
    return add_node(n, positions_[operand]);
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
    return add_literal(std::move(lit), t.position);
  }

  std::uint32_t parse_additive() {
    std::uint32_t left = parse_multiplicative();
    while (is_symbol(peek(), "+") || is_symbol(peek(), "-")) {
      const auto op = take().text == "+" ? detail::arithmetic_op::add
                                         : detail::arithmetic_op::subtract;
      require_value(left, "in arithmetic");
      const std::uint32_t right =
          require_value(parse_multiplicative(), "in arithmetic");
      left = add_binary(node_kind::arithmetic, static_cast<std::uint8_t>(op),
                        left, right);
    }
    return left;
  }

  std::uint32_t parse_multiplicative() {
    std::uint32_t left = parse_unary();
    while (is_symbol(peek(), "*") || is_symbol(peek(), "/")) {
      const auto op = take().text == "*" ? detail::arithmetic_op::multiply
                                         : detail::arithmetic_op::divide;
      require_value(left, "in arithmetic");
      const std::uint32_t right =
          require_value(parse_unary(), "in arithmetic");
      left = add_binary(node_kind::arithmetic, static_cast<std::uint8_t>(op),
                        left, right);
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
        require_value(parse_unary(), "after a sign");
    if (!negative) {
      return operand;
    }
    node n;
    n.kind = node_kind::negate;
    n.first = operand;
    return add_node(n, position);
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
    return add_literal(std::move(lit), t.position);
  }

  std::uint32_t parse_string_literal() {
    const token& t = take();
    return add_literal(text_literal(t.text), t.position);
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
      lit.kind = is_keyword(t, "NULL") ? value_kind::null_value
                                       : value_kind::boolean;
      lit.boolean = is_keyword(t, "TRUE");
      return add_literal(std::move(lit), t.position);
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
    return add_literal(std::move(lit), text.position);
  }

  // `attr`, `element.attr`, either part possibly "quoted".
  std::uint32_t parse_identifier() {
    const token& first = take();
    if (!accept_symbol(".")) {
      return add_reference({}, first.text, first.position);
    }
    const token& second = take();
    if (second.kind != token_kind::word &&
        second.kind != token_kind::quoted_word) {
      fail(second.position, "expected an attribute name after '" +
                                first.text + ".', found " +
                                describe(second));
    }
    if (is_symbol(peek(), ".")) {
      fail(peek().position,
           "a name has at most two parts: element.attribute");
    }
    return add_reference(first.text, second.text, first.position);
  }

  std::uint32_t parse_case() {
    const std::size_t position = take().position;
    node n;
    n.kind = node_kind::case_when;
    if (!is_keyword(peek(), "WHEN")) {
      n.first = require_value(parse_value_or_condition(), "as CASE operand");
    }
    std::vector<detail::case_arm> arms;
    while (accept_keyword("WHEN")) {
      detail::case_arm arm;
      arm.when = parse_value_or_condition();
      if (n.first == no_node) {
        require_condition(arm.when, "after WHEN");
      }
      expect_keyword("THEN", "after the WHEN condition");
      arm.then = parse_value_or_condition();
      arms.push_back(arm);
    }
    if (arms.empty()) {
      fail(peek().position, "expected WHEN after CASE, found " +
                                describe(peek()));
    }
    if (accept_keyword("ELSE")) {
      n.second = parse_value_or_condition();
    }
    expect_keyword("END", "to close CASE");

    // Arms of nested CASEs were stored while parsing them; append ours now
    // so each CASE owns one contiguous range.
    n.first_arm = static_cast<std::uint32_t>(program_.arms.size());
    n.arm_count = static_cast<std::uint32_t>(arms.size());
    program_.arms.insert(program_.arms.end(), arms.begin(), arms.end());
    return add_node(n, position);
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
    n.first = require_value(parse_value_or_condition(), "as DATE argument");
    expect_symbol(")", "to close DATE(");
    return add_node(n, name.position);
  }

  std::uint32_t parse_dateadd_call(const token& name) {
    node n;
    n.kind = node_kind::date_add;
    n.op = static_cast<std::uint8_t>(parse_date_unit());
    expect_symbol(",", "after the DATEADD unit");
    n.first = require_value(parse_value_or_condition(), "as DATEADD amount");
    expect_symbol(",", "after the DATEADD amount");
    n.second = require_value(parse_value_or_condition(), "as DATEADD date");
    expect_symbol(")", "to close DATEADD(");
    return add_node(n, name.position);
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
  detail::expression_program program_;
  /// Where each node starts in the text, for error messages.
  std::vector<std::size_t> positions_;
  /// Height of the subtree under each node.
  std::vector<int> depths_;
  std::map<std::pair<std::string, std::string>, std::size_t> reference_index_;
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
  if (auto error = lexer{text}.run(tokens)) {
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
