// Text rules of the expression language: collation-like ordering and LIKE
// pattern matching.

#include "domain/expression_program.hpp"

#include <algorithm>

namespace xmlshred::domain::detail {
namespace {

constexpr unsigned char utf8_continuation_mask = 0xC0;
constexpr unsigned char utf8_continuation_bits = 0x80;

char fold_case(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

/// Length of the UTF-8 character starting at `text[pos]`, so `_` and the
/// backtracking of `%` step over whole characters.
std::size_t character_length(std::string_view text, std::size_t pos) {
  std::size_t length = 1;
  while (pos + length < text.size() &&
         (static_cast<unsigned char>(text[pos + length]) &
          utf8_continuation_mask) == utf8_continuation_bits) {
    ++length;
  }
  return length;
}

/// Pattern matcher: `%` any run, `_` one character, `escape` (if not 0)
/// makes the next pattern character literal. ASCII case is ignored.
class like_matcher {
 public:
  like_matcher(std::string_view pattern, char escape)
      : pattern_(pattern), escape_(escape) {}

  bool matches(std::string_view text) const {
    std::size_t t = 0;
    std::size_t p = 0;
    std::size_t resume_p = std::string_view::npos;
    std::size_t resume_t = 0;
    while (t < text.size()) {
      if (!is_escape(p) && is_any_run(p)) {
        resume_p = ++p;
        resume_t = t;
      } else if (p < pattern_.size() && match_one(text, t, p)) {
        continue;
      } else if (resume_p != std::string_view::npos) {
        // Let the last % swallow one more character and retry from there.
        resume_t += character_length(text, resume_t);
        t = resume_t;
        p = resume_p;
      } else {
        return false;
      }
    }
    while (!is_escape(p) && is_any_run(p)) {
      ++p;
    }
    return p == pattern_.size();
  }

 private:
  bool is_escape(std::size_t p) const {
    return escape_ != 0 && p + 1 < pattern_.size() && pattern_[p] == escape_;
  }

  bool is_any_run(std::size_t p) const {
    return p < pattern_.size() && pattern_[p] == '%';
  }

  /// Matches one pattern element at `p` against `text` at `t`; advances
  /// both on success.
  bool match_one(std::string_view text, std::size_t& t, std::size_t& p) const {
    if (is_escape(p)) {
      if (fold_case(pattern_[p + 1]) != fold_case(text[t])) {
        return false;
      }
      p += 2;
      ++t;
      return true;
    }
    if (pattern_[p] == '_') {
      t += character_length(text, t);
      ++p;
      return true;
    }
    if (fold_case(pattern_[p]) != fold_case(text[t])) {
      return false;
    }
    ++p;
    ++t;
    return true;
  }

  std::string_view pattern_;
  char escape_;
};

// Text order ignores ASCII case and trailing spaces, as SQL Server's default
// collation does for the target columns the contracts were written against.
}  // namespace

int compare_text(std::string_view a, std::string_view b) {
  while (!a.empty() && a.back() == ' ') {
    a.remove_suffix(1);
  }
  while (!b.empty() && b.back() == ' ') {
    b.remove_suffix(1);
  }
  const std::size_t common = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < common; ++i) {
    const auto x = static_cast<unsigned char>(fold_case(a[i]));
    const auto y = static_cast<unsigned char>(fold_case(b[i]));
    if (x != y) {
      return x < y ? -1 : 1;
    }
  }
  if (a.size() == b.size()) {
    return 0;
  }
  return a.size() < b.size() ? -1 : 1;
}

bool like_match(std::string_view text, std::string_view pattern, char escape) {
  return like_matcher{pattern, escape}.matches(text);
}

}  // namespace xmlshred::domain::detail
