#include "domain/contact_source.hpp"

#include <vector>

#include "domain/value_conversion.hpp"
#include "domain/xml_access.hpp"

namespace xmlshred::domain {
namespace {

/// Every element named `name` below `parent`, in document order.
void descendants_named(const xmlNode* parent, const std::string& name,
                       std::vector<const xmlNode*>& out) {
  for (const xmlNode* child = parent->children; child != nullptr;
       child = child->next) {
    if (child->type != XML_ELEMENT_NODE) {
      continue;
    }
    if (has_name(child, name)) {
      out.push_back(child);
    }
    descendants_named(child, name, out);
  }
}

bool attribute_equals(const xmlNode* element, const std::string& name,
                      const std::string& wanted) {
  std::string_view value;
  std::string scratch;
  return read_attribute(element, name, value, scratch) && value == wanted;
}

}  // namespace

std::optional<contact_source> contact_source::prepare(
    const mapping_spec& spec, const element_filter& filter) {
  contact_source source;
  bool selects = false;
  std::size_t role_position = 0;
  for (const auto& type : spec.kinds) {
    const auto& kind = type.kind;
    if (kind == mapping_kind::last_valid_pr_contact) {
      selects = true;
    } else if (kind == mapping_kind::last_valid_sec_contact) {
      selects = true;
      role_position = 1;
    } else if (kind == mapping_kind::authu_contact) {
      selects = true;
      role_position = 1;
      source.selection_ = selection::any_role;
    } else if (kind == mapping_kind::curr_address_only) {
      selects = true;
      source.selection_ = selection::row_contact_current_address;
    }
  }
  element_path path = element_path::parse(spec.xml_path);
  auto rule = filter.top_rule_above(path);
  if (!selects || !rule) {
    return std::nullopt;
  }

  // Roles by position in the contact rule's list: first for the primary
  // contact, second for the secondary or authorised-user contact.
  source.contact_rule_ = *rule;
  const auto& roles = filter.listed_values(*rule);
  source.role_ =
      role_position < roles.size() ? roles[role_position] : std::string();
  source.attribute_ = spec.xml_attribute;
  std::size_t contact_depth = filter.child_path(*rule).steps.size() - 1;
  if (contact_depth + 1 < path.steps.size()) {
    source.child_name_ = path.steps[contact_depth + 1];
    source.address_rule_ = filter.nested_rule_named(*rule, source.child_name_);
  }
  return source;
}

const xmlNode* contact_source::select_contact(
    const element_filter& filter, const kept_elements& kept,
    const xmlNode* row_element) const {
  if (selection_ == selection::row_contact_current_address) {
    return row_element;
  }
  if (role_.empty()) {
    return nullptr;
  }
  // The last element (passing the contact rule, unless any will do) with
  // the wanted role.
  const std::string& role_attribute = filter.listed_attribute(contact_rule_);
  const auto& candidates = selection_ == selection::any_role
                               ? kept.found[contact_rule_]
                               : kept.passing[contact_rule_];
  for (auto it = candidates.rbegin(); it != candidates.rend(); ++it) {
    std::string_view role;
    std::string scratch;
    if (read_attribute(*it, role_attribute, role, scratch) &&
        trim(role) == role_) {
      return *it;
    }
  }
  return nullptr;
}

const xmlNode* contact_source::select_address(const element_filter& filter,
                                              const xmlNode* contact,
                                              std::string_view& value,
                                              std::string& scratch,
                                              bool& found) const {
  std::vector<const xmlNode*> all;
  descendants_named(contact, child_name_, all);
  const std::string& type_attribute = filter.listed_attribute(*address_rule_);
  const auto& types = filter.listed_values(*address_rule_);
  std::vector<const xmlNode*> current;
  if (!types.empty()) {
    for (const xmlNode* address : all) {
      if (attribute_equals(address, type_attribute, types.front())) {
        current.push_back(address);
      }
    }
  }

  // Current addresses only; the last of them for curr_address_only, the
  // first holding the attribute otherwise (all addresses when none is
  // current).
  if (selection_ == selection::row_contact_current_address) {
    found = !current.empty();
    return found ? current.back() : nullptr;
  }
  const auto& candidates = current.empty() ? all : current;
  found = !candidates.empty();
  for (const xmlNode* address : candidates) {
    if (read_attribute(address, attribute_, value, scratch) &&
        !value.empty()) {
      return address;
    }
  }
  return found ? candidates.back() : nullptr;
}

bool contact_source::read(const element_filter& filter,
                          const kept_elements& kept,
                          const xmlNode* row_element, std::string_view& value,
                          std::string& scratch) const {
  const xmlNode* contact = select_contact(filter, kept, row_element);
  if (contact == nullptr) {
    return false;
  }
  if (child_name_.empty()) {
    return read_attribute(contact, attribute_, value, scratch);
  }
  if (address_rule_) {
    bool found = false;
    const xmlNode* address =
        select_address(filter, contact, value, scratch, found);
    if (found || selection_ == selection::row_contact_current_address) {
      return read_attribute(address, attribute_, value, scratch);
    }
    return read_attribute(contact, attribute_, value, scratch);
  }

  // Another child element (e.g. the card product): its last occurrence,
  // or the contact itself when there is none.
  std::vector<const xmlNode*> children;
  descendants_named(contact, child_name_, children);
  if (!children.empty()) {
    return read_attribute(children.back(), attribute_, value, scratch);
  }
  return read_attribute(contact, attribute_, value, scratch);
}

}  // namespace xmlshred::domain
