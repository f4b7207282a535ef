#pragma once

#include <optional>
#include <string>
#include <vector>

#include <libxml/tree.h>

#include "domain/contract.hpp"
#include "domain/document_reach.hpp"
#include "domain/xml_access.hpp"

namespace xmlshred::domain {

/// An element that passed its filter rule.
struct kept_element {
  const xmlNode* element = nullptr;
  /// The key of the kept parent element (e.g. the contact's con_id) for
  /// elements of nested rules; empty for top-level rules, whose parent is
  /// the application.
  std::string parent_key;
};

/// The elements of one document that passed the contract's filter rules,
/// by rule index, plus remarks on what was dropped (no field values).
struct kept_elements {
  std::vector<std::vector<kept_element>> by_rule;
  /// Top-level rules: every element passing the rule, in document order,
  /// before duplicates of a key are merged.
  std::vector<std::vector<const xmlNode*>> passing;
  /// Top-level rules: every element found, passing or not.
  std::vector<std::vector<const xmlNode*>> found;
  std::vector<std::string> notes;

  const std::vector<kept_element>& of_rule(std::size_t rule) const {
    return by_rule[rule];
  }
};

/// Applies `element_filtering.filter_rules` to documents. A top-level rule
/// (contacts) looks for elements named like its path's last step anywhere
/// below the parent of its xml_parent_path (CustData; the whole document
/// when that is missing) and keeps those whose required attributes are
/// present and
/// allowed, one per key value (the attribute marked `true`): a later
/// element with the same key replaces an earlier one unless the earlier
/// one's role comes first in the rule's list of values. A nested rule
/// (addresses, employments) keeps elements at exactly its path whose
/// parent is a kept element.
/// Immutable after construction; apply() is thread-safe.
class element_filter {
 public:
  explicit element_filter(const contract& rules);

  /// The rule whose xml_child_path is `xml_child_path`, if any.
  std::optional<std::size_t> rule_for_path(
      const std::string& xml_child_path) const;

  /// True for rules whose elements hang directly below the application.
  bool is_top_rule(std::size_t rule) const;

  kept_elements apply(const xmlDoc& document) const;

  /// Adds what apply() reads to `reach`, for documents that contain
  /// `application_path` (the only ones mapped).
  void add_reach(const element_path& application_path,
                 document_reach& reach) const;

  /// The top-level rule whose child path is `path` or lies above it.
  std::optional<std::size_t> top_rule_above(const element_path& path) const;

  /// The nested rule below `parent` whose elements are named `name`.
  std::optional<std::size_t> nested_rule_named(std::size_t parent,
                                               const std::string& name) const;

  /// The attribute whose listed values a rule checks (a role or type code),
  /// and those values in contract order; empty when the rule lists none.
  const std::string& listed_attribute(std::size_t rule) const {
    return rules_[rule].role_attribute;
  }
  const std::vector<std::string>& listed_values(std::size_t rule) const;

  const element_path& child_path(std::size_t rule) const {
    return rules_[rule].child_path;
  }

  /// True when `rule` checks the attribute `name`.
  bool checks_attribute(std::size_t rule, const std::string& name) const {
    return rules_[rule].rule->required_attributes.count(name) != 0;
  }

 private:
  /// A filter rule prepared for matching.
  struct prepared_rule {
    const filter_rule* rule = nullptr;
    element_path child_path;
    /// Top-level rules: the parent of xml_parent_path, below which
    /// elements are searched by name.
    element_path search_scope;
    /// Steps of child_path below the parent rule's path.
    std::size_t relative_from = 0;
    /// The parent rule for nested rules.
    std::optional<std::size_t> parent;
    /// Attribute identifying an element (marked `true`), may be empty.
    std::string key_attribute;
    /// Attribute whose list order gives priority among duplicates.
    std::string role_attribute;
  };

  bool passes(const prepared_rule& rule, const xmlNode* element) const;
  std::size_t role_rank(const prepared_rule& rule,
                        const xmlNode* element) const;
  void keep_top(std::size_t index, const xmlDoc& document,
                kept_elements& out) const;
  void keep_nested(std::size_t index, const xmlDoc& document,
                   kept_elements& out) const;
  std::string key_of(const prepared_rule& rule, const xmlNode* element) const;

  std::vector<prepared_rule> rules_;
};

}  // namespace xmlshred::domain
