#pragma once

// Assembles an expression_program node by node and enforces the checks that
// keep evaluation total. Internal to the expression engine: include
// domain/expression.hpp instead.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/expression.hpp"
#include "domain/expression_program.hpp"

namespace xmlshred::domain::detail {

/// Nesting deeper than this is refused: parsing and evaluation recurse once
/// per level, and no sensible contract comes near it.
constexpr int max_nesting_depth = 256;

/// Thrown inside the parser only and caught in parse_expression: unwinding
/// is the simplest way out of deep recursion; it never crosses the API.
struct parse_failure {
  expression_error error;
};

/// Throws parse_failure.
[[noreturn]] void fail_parse(std::size_t position, std::string message);

/// Owns the program while it is being parsed. Every add_ returns the index
/// of the new node; children must have been added before their parent.
class program_builder {
 public:
  explicit program_builder(std::string_view source);

  /// Fails when the subtree would be deeper than max_nesting_depth.
  std::uint32_t add_node(node n, std::size_t position);
  std::uint32_t add_literal(literal lit, std::size_t position);
  /// A node over two children, starting where `left` starts.
  std::uint32_t add_binary(node_kind kind, std::uint8_t op, std::uint32_t left,
                           std::uint32_t right);
  /// An attribute node; equal (element, attribute) pairs share a reference.
  std::uint32_t add_reference(std::string element, std::string attribute,
                              std::size_t position);
  /// Stores CASE arms contiguously; returns the index of the first.
  std::uint32_t add_arms(const std::vector<case_arm>& arms);

  /// Where the node's text starts.
  std::size_t position_of(std::uint32_t index) const;

  /// Fails unless the node yields TRUE / FALSE / unknown.
  std::uint32_t require_condition(std::uint32_t index,
                                  std::string_view where) const;
  /// Fails when the node is a condition (NULL, TRUE, FALSE allowed).
  std::uint32_t require_value(std::uint32_t index,
                              std::string_view where) const;

  /// The finished program with `root` as its result node.
  expression_program finish(std::uint32_t root);

 private:
  int depth_of(const node& n) const;
  bool is_condition(std::uint32_t index) const;

  expression_program program_;
  /// Where each node starts in the text, for error messages.
  std::vector<std::size_t> positions_;
  /// Height of the subtree under each node.
  std::vector<int> depths_;
  std::map<std::pair<std::string, std::string>, std::size_t> reference_index_;
};

}  // namespace xmlshred::domain::detail
