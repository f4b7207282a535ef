#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <libxml/tree.h>

#include "domain/contract.hpp"
#include "domain/element_filter.hpp"

namespace xmlshred::domain {

/// Where a mapping with a contact-selecting type reads its value:
/// `last_valid_pr_contact` (the last valid contact with the first listed
/// role), `last_valid_sec_contact` (the last valid one with the second
/// listed role), `authu_contact` (the last contact with the second listed
/// role, valid or not, as the reference conversion reads it),
/// `curr_address_only` (the current address of the row's contact).
/// Below the contact, an address mapping prefers current addresses and
/// takes the first one holding the attribute (else the last); another child
/// element is read from its last occurrence; without such children the
/// contact's own attribute is read. Prepared once; thread-safe.
class contact_source {
 public:
  /// The source of `spec`, or nullopt when it names no contact-selecting
  /// type or its path lies outside every top-level filter rule.
  static std::optional<contact_source> prepare(const mapping_spec& spec,
                                               const element_filter& filter);

  /// Reads the mapping's attribute for one document. `row_element` is the
  /// element the row is built from (the contact, for curr_address_only).
  /// Returns false when there is no such contact, element or attribute.
  bool read(const element_filter& filter, const kept_elements& kept,
            const xmlNode* row_element, std::string_view& value,
            std::string& scratch) const;

 private:
  enum class selection {
    /// The last contact passing the filter rule with role_.
    valid_role,
    /// The last contact with role_, whether it passes the rule or not.
    any_role,
    /// The contact the row is built from.
    row_contact_current_address,
  };

  const xmlNode* select_contact(const element_filter& filter,
                                const kept_elements& kept,
                                const xmlNode* row_element) const;
  const xmlNode* select_address(const element_filter& filter,
                                const xmlNode* contact,
                                std::string_view& value,
                                std::string& scratch, bool& found) const;

  selection selection_ = selection::valid_role;
  std::size_t contact_rule_ = 0;
  std::string role_;
  /// Element below the contact holding the value; empty: the contact.
  std::string child_name_;
  std::optional<std::size_t> address_rule_;
  std::string attribute_;
};

}  // namespace xmlshred::domain
