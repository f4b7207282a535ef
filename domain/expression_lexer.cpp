// Tokens of the expression language: numbers, '...' strings, "..." names,
// words and operator symbols.

#include "domain/expression_lexer.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace xmlshred::domain::detail {
namespace {

bool is_word_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_';
}

bool is_word_char(char c) {
  return is_word_start(c) || std::isdigit(static_cast<unsigned char>(c)) != 0;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

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
    if (is_digit(c) ||
        (c == '.' && pos_ + 1 < text_.size() && is_digit(text_[pos_ + 1]))) {
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
      return expression_error{
          start, "malformed number '" +
                     std::string(text_.substr(start, pos_ - start + 1)) + "'"};
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
    return expression_error{
        pos_, "unexpected character '" + std::string(1, text_[pos_]) + "'"};
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<expression_error> tokenize(std::string_view text,
                                         std::vector<token>& out) {
  return lexer{text}.run(out);
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) ==
                  std::toupper(static_cast<unsigned char>(y));
         });
}

}  // namespace xmlshred::domain::detail
