#include "domain/element_filter.hpp"

#include <algorithm>
#include <unordered_map>

#include <libxml/dict.h>

#include "domain/value_conversion.hpp"

namespace xmlshred::domain {
namespace {

/// The trimmed value of an attribute, or nullopt when absent.
std::optional<std::string> trimmed_attribute(const xmlNode* element,
                                             const std::string& name) {
  std::string_view value;
  std::string scratch;
  if (!read_attribute(element, name, value, scratch)) {
    return std::nullopt;
  }
  return std::string(trim(value));
}

/// Name comparison by text, for trees built without a dictionary.
std::vector<const xmlNode*> find_all_named_slow(const xmlNode* root,
                                                const std::string& name) {
  std::vector<const xmlNode*> found;
  std::vector<const xmlNode*> stack{root};
  while (!stack.empty()) {
    const xmlNode* node = stack.back();
    stack.pop_back();
    if (has_name(node, name)) {
      found.push_back(node);
    }
    // Children pushed in reverse keep document order when popped.
    for (const xmlNode* child = node->last; child != nullptr;
         child = child->prev) {
      if (child->type == XML_ELEMENT_NODE) {
        stack.push_back(child);
      }
    }
  }
  return found;
}

/// Collects, in document order, every element below `parent` whose name is
/// the dictionary string `name` (libxml2 interns element names, so the
/// comparison is by pointer).
void collect_named(const xmlNode* parent, const xmlChar* name,
                   std::vector<const xmlNode*>& out) {
  for (const xmlNode* child = parent->children; child != nullptr;
       child = child->next) {
    if (child->type != XML_ELEMENT_NODE) {
      continue;
    }
    if (child->name == name) {
      out.push_back(child);
    }
    collect_named(child, name, out);
  }
}

/// Every element named `name` below `root` (and `root` itself), in
/// document order. A name the parser never saw cannot be in the document,
/// so the dictionary often spares the walk.
std::vector<const xmlNode*> elements_named(const xmlDoc& document,
                                           const xmlNode* root,
                                           const std::string& name) {
  std::vector<const xmlNode*> found;
  if (root == nullptr) {
    return found;
  }
  const auto* wanted = reinterpret_cast<const xmlChar*>(name.c_str());
  if (document.dict == nullptr) {
    for (const xmlNode* node : find_all_named_slow(root, name)) {
      found.push_back(node);
    }
    return found;
  }
  const xmlChar* interned = xmlDictExists(document.dict, wanted, -1);
  if (interned == nullptr) {
    return found;
  }
  if (root->name == interned) {
    found.push_back(root);
  }
  collect_named(root, interned, found);
  return found;
}

}  // namespace

element_filter::element_filter(const contract& rules) {
  for (const auto& rule : rules.filter_rules) {
    prepared_rule prepared;
    prepared.rule = &rule;
    prepared.child_path = element_path::parse(rule.xml_child_path);
    prepared.search_scope = element_path::parse(rule.xml_parent_path);
    if (!prepared.search_scope.steps.empty()) {
      prepared.search_scope.steps.pop_back();
    }
    for (const auto& [name, allowed] : rule.required_attributes) {
      if (allowed.empty() && prepared.key_attribute.empty()) {
        prepared.key_attribute = name;
      } else if (!allowed.empty() && prepared.role_attribute.empty()) {
        prepared.role_attribute = name;
      }
    }
    rules_.push_back(std::move(prepared));
  }

  // A rule is nested when its parent path is another rule's child path.
  for (auto& prepared : rules_) {
    element_path parent_path =
        element_path::parse(prepared.rule->xml_parent_path);
    for (std::size_t i = 0; i < rules_.size(); ++i) {
      if (rules_[i].child_path == parent_path &&
          parent_path.is_prefix_of(prepared.child_path) &&
          &rules_[i] != &prepared) {
        prepared.parent = i;
        prepared.relative_from = parent_path.steps.size();
      }
    }
  }
}

std::optional<std::size_t> element_filter::rule_for_path(
    const std::string& xml_child_path) const {
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    if (rules_[i].rule->xml_child_path == xml_child_path) {
      return i;
    }
  }
  return std::nullopt;
}

bool element_filter::is_top_rule(std::size_t rule) const {
  return !rules_[rule].parent.has_value();
}

bool element_filter::passes(const prepared_rule& rule,
                            const xmlNode* element) const {
  for (const auto& [name, allowed] : rule.rule->required_attributes) {
    auto value = trimmed_attribute(element, name);
    if (!value || value->empty()) {
      return false;
    }
    if (!allowed.empty() &&
        std::find(allowed.begin(), allowed.end(), *value) == allowed.end()) {
      return false;
    }
  }
  return true;
}

std::size_t element_filter::role_rank(const prepared_rule& rule,
                                      const xmlNode* element) const {
  if (rule.role_attribute.empty()) {
    return 0;
  }
  const auto& allowed = rule.rule->required_attributes.at(rule.role_attribute);
  auto value = trimmed_attribute(element, rule.role_attribute);
  auto it = std::find(allowed.begin(), allowed.end(), value.value_or(""));
  return static_cast<std::size_t>(it - allowed.begin());
}

std::string element_filter::key_of(const prepared_rule& rule,
                                   const xmlNode* element) const {
  if (rule.key_attribute.empty()) {
    return {};
  }
  auto value = trimmed_attribute(element, rule.key_attribute).value_or("");
  auto number = to_integer_text(value);
  return number ? *number : value;
}

std::optional<std::size_t> element_filter::top_rule_above(
    const element_path& path) const {
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    if (!rules_[i].parent && rules_[i].child_path.is_prefix_of(path)) {
      return i;
    }
  }
  return std::nullopt;
}

std::optional<std::size_t> element_filter::nested_rule_named(
    std::size_t parent, const std::string& name) const {
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    if (rules_[i].parent == parent && !rules_[i].child_path.steps.empty() &&
        rules_[i].child_path.steps.back() == name) {
      return i;
    }
  }
  return std::nullopt;
}

const std::vector<std::string>& element_filter::listed_values(
    std::size_t rule) const {
  static const std::vector<std::string> none;
  const prepared_rule& prepared = rules_[rule];
  if (prepared.role_attribute.empty()) {
    return none;
  }
  return prepared.rule->required_attributes.at(prepared.role_attribute);
}

kept_elements element_filter::apply(const xmlDoc& document) const {
  kept_elements out;
  out.by_rule.resize(rules_.size());
  out.passing.resize(rules_.size());
  out.found.resize(rules_.size());
  // Parents first: nested rules read their parents' kept elements.
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    if (!rules_[i].parent) {
      keep_top(i, document, out);
    }
  }
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    if (rules_[i].parent) {
      keep_nested(i, document, out);
    }
  }
  return out;
}

void element_filter::add_reach(const element_path& application_path,
                               document_reach& reach) const {
  for (const auto& rule : rules_) {
    reach.add_walked_path(rule.child_path);
    if (rule.parent || rule.child_path.steps.empty()) {
      continue;  // Nested rules read their exact path only.
    }
    // Top-level elements are searched by name anywhere below the scope.
    // When the scope is missing the search covers the whole document; a
    // mapped document always has its application path, so that can only
    // happen when the scope does not lead to it.
    if (rule.search_scope.is_prefix_of(application_path)) {
      reach.add_subtree(rule.search_scope);
    } else {
      reach.merge(document_reach::everything());
    }
  }
}

void element_filter::keep_top(std::size_t index, const xmlDoc& document,
                              kept_elements& out) const {
  const prepared_rule& rule = rules_[index];
  // Top-level elements are searched by name below the element holding the
  // application (CustData), not only directly under the application:
  // some documents place contacts beside it. The large report and journal
  // sections outside it are not walked.
  std::vector<const xmlNode*> found;
  if (!rule.child_path.steps.empty()) {
    const xmlNode* scope = find_last(root_element(document), rule.search_scope, 0);
    if (scope == nullptr) {
      scope = root_element(document);
    }
    found = elements_named(document, scope, rule.child_path.steps.back());
  }
  auto& kept = out.by_rule[index];
  std::unordered_map<std::string, std::size_t> position_of_key;
  std::size_t replaced = 0;

  // One element per key: the first occurrence fixes the position, a later
  // one takes it over unless it has a lower-priority role.
  for (const xmlNode* element : found) {
    if (!passes(rule, element)) {
      continue;
    }
    out.passing[index].push_back(element);
    std::string key = key_of(rule, element);
    auto [it, inserted] = position_of_key.emplace(key, kept.size());
    if (inserted || rule.key_attribute.empty()) {
      kept.push_back({element, {}});
      continue;
    }
    ++replaced;
    kept_element& earlier = kept[it->second];
    if (role_rank(rule, element) <= role_rank(rule, earlier.element)) {
      earlier.element = element;
    }
  }
  std::size_t dropped = found.size() - kept.size() - replaced;
  out.found[index] = std::move(found);
  if (dropped > 0 || replaced > 0) {
    out.notes.push_back(
        rule.rule->element_type + ": " +
        std::to_string(out.found[index].size()) +
        " elements, " + std::to_string(dropped) +
        " failed the filter rule, " + std::to_string(replaced) +
        " duplicated a kept key");
  }
}

void element_filter::keep_nested(std::size_t index, const xmlDoc& document,
                                 kept_elements& out) const {
  const prepared_rule& rule = rules_[index];
  const prepared_rule& parent_rule = rules_[*rule.parent];

  // Nested elements must sit exactly at the rule's path, below a kept
  // parent; document order is kept.
  std::unordered_map<const xmlNode*, std::string> parent_keys;
  for (const kept_element& parent : out.by_rule[*rule.parent]) {
    parent_keys.emplace(parent.element, key_of(parent_rule, parent.element));
  }
  std::size_t levels = rule.child_path.steps.size() - rule.relative_from;
  std::size_t dropped = 0;
  for (const xmlNode* child : find_all(document, rule.child_path)) {
    auto parent = parent_keys.find(ancestor(child, levels));
    if (parent == parent_keys.end()) {
      continue;
    }
    if (passes(rule, child)) {
      out.by_rule[index].push_back({child, parent->second});
    } else {
      ++dropped;
    }
  }
  if (dropped > 0) {
    out.notes.push_back(rule.rule->element_type + ": " +
                        std::to_string(dropped) +
                        " elements failed the filter rule");
  }
}

}  // namespace xmlshred::domain
