// Node-by-node assembly of expression programs, with the depth limit and
// the condition / value checks.

#include "domain/expression_builder.hpp"

#include <algorithm>

namespace xmlshred::domain::detail {

void fail_parse(std::size_t position, std::string message) {
  throw parse_failure{expression_error{position, std::move(message)}};
}

program_builder::program_builder(std::string_view source) {
  program_.source = std::string(source);
}

std::uint32_t program_builder::add_node(node n, std::size_t position) {
  const int depth = depth_of(n);
  if (depth > max_nesting_depth) {
    fail_parse(position, "expression nests too deeply");
  }
  program_.nodes.push_back(n);
  positions_.push_back(position);
  depths_.push_back(depth);
  return static_cast<std::uint32_t>(program_.nodes.size() - 1);
}

// Long AND / OR / + chains are parsed in loops but evaluated by recursion,
// so the tree depth is limited, not only the parser's.
int program_builder::depth_of(const node& n) const {
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
    const case_arm& arm = program_.arms[n.first_arm + i];
    deepest = std::max({deepest, depths_[arm.when], depths_[arm.then]});
  }
  return deepest + 1;
}

std::uint32_t program_builder::add_literal(literal lit, std::size_t position) {
  program_.literals.push_back(std::move(lit));
  node n;
  n.kind = node_kind::literal;
  n.first = static_cast<std::uint32_t>(program_.literals.size() - 1);
  return add_node(n, position);
}

std::uint32_t program_builder::add_binary(node_kind kind, std::uint8_t op,
                                          std::uint32_t left,
                                          std::uint32_t right) {
  node n;
  n.kind = kind;
  n.op = op;
  n.first = left;
  n.second = right;
  return add_node(n, positions_[left]);
}

std::uint32_t program_builder::add_reference(std::string element,
                                             std::string attribute,
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

bool program_builder::is_condition(std::uint32_t index) const {
  const node& n = program_.nodes[index];
  switch (n.kind) {
    case node_kind::comparison:
    case node_kind::logical_and:
    case node_kind::logical_or:
    case node_kind::logical_not:
    case node_kind::is_empty:
    case node_kind::is_null:
    case node_kind::like: return true;
    case node_kind::literal: {
      const value_kind kind = program_.literals[n.first].kind;
      return kind == value_kind::boolean || kind == value_kind::null_value;
    }
    default: return false;
  }
}

std::uint32_t program_builder::require_condition(std::uint32_t index,
                                                 std::string_view where) const {
  if (!is_condition(index)) {
    fail_parse(positions_[index],
               "expected a condition (comparison, IS, LIKE, AND, OR, NOT) " +
                   std::string(where));
  }
  return index;
}

std::uint32_t program_builder::require_value(std::uint32_t index,
                                             std::string_view where) const {
  const node_kind kind = program_.nodes[index].kind;
  if (is_condition(index) && kind != node_kind::literal) {
    fail_parse(positions_[index],
               "a condition cannot be used " + std::string(where));
  }
  return index;
}

std::uint32_t program_builder::add_arms(const std::vector<case_arm>& arms) {
  // Arms of CASEs nested inside these arms were stored while parsing them;
  // appending now keeps each CASE's arms contiguous.
  const auto first = static_cast<std::uint32_t>(program_.arms.size());
  program_.arms.insert(program_.arms.end(), arms.begin(), arms.end());
  return first;
}

std::size_t program_builder::position_of(std::uint32_t index) const {
  return positions_[index];
}

expression_program program_builder::finish(std::uint32_t root) {
  program_.root = root;
  return std::move(program_);
}

}  // namespace xmlshred::domain::detail
