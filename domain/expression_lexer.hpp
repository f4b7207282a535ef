#pragma once

// Tokens of the expression language. Internal to the expression engine:
// include domain/expression.hpp instead.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/expression.hpp"

namespace xmlshred::domain::detail {

enum class token_kind { end, number, string, word, quoted_word, symbol };

struct token {
  token_kind kind = token_kind::end;
  /// Byte offset of the token's first character in the expression text.
  std::size_t position = 0;
  /// Words and symbols as written; strings and quoted names unescaped;
  /// numbers as written.
  std::string text;
};

/// Splits `text` into tokens ending with one `end` token, or reports the
/// first character that starts no token (unterminated literals included).
std::optional<expression_error> tokenize(std::string_view text,
                                         std::vector<token>& out);

/// ASCII case-insensitive equality, for keywords and names.
bool equals_ignoring_case(std::string_view a, std::string_view b);

}  // namespace xmlshred::domain::detail
