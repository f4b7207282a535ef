#include "domain/mapping_type.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace xmlshred::domain {
namespace {

/// How a kind is written and whether it takes a parameter.
struct kind_info {
  mapping_kind kind;
  std::string_view name;
  bool parameterised;
};

constexpr std::array<kind_info, 19> kind_table{{
    {mapping_kind::identity_insert, "identity_insert", false},
    {mapping_kind::enum_lookup, "enum", false},
    {mapping_kind::char_to_bit, "char_to_bit", false},
    {mapping_kind::boolean_to_bit, "boolean_to_bit", false},
    {mapping_kind::numbers_only, "numbers_only", false},
    {mapping_kind::extract_numeric, "extract_numeric", false},
    {mapping_kind::extract_date, "extract_date", false},
    {mapping_kind::calculated_field, "calculated_field", false},
    {mapping_kind::last_valid_pr_contact, "last_valid_pr_contact", false},
    {mapping_kind::last_valid_sec_contact, "last_valid_sec_contact", false},
    {mapping_kind::curr_address_only, "curr_address_only", false},
    {mapping_kind::authu_contact, "authu_contact", false},
    {mapping_kind::add_history, "add_history", false},
    {mapping_kind::add_score, "add_score", true},
    {mapping_kind::add_indicator, "add_indicator", true},
    {mapping_kind::add_report_lookup, "add_report_lookup", true},
    {mapping_kind::add_collateral, "add_collateral", true},
    {mapping_kind::warranty_field, "warranty_field", true},
    {mapping_kind::policy_exceptions, "policy_exceptions", true},
}};

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return std::isdigit(c) != 0;
  });
}

/// Checks a parameter against what its kind allows: slot and enum codes
/// are numbers, names are non-empty, policy_exceptions may be empty.
bool parameter_fits(mapping_kind kind, std::string_view parameter) {
  switch (kind) {
    case mapping_kind::add_collateral:
    case mapping_kind::warranty_field:
      return !parameter.empty() && all_digits(parameter);
    case mapping_kind::policy_exceptions:
      return all_digits(parameter);
    case mapping_kind::add_score:
    case mapping_kind::add_indicator:
      return !parameter.empty();
    default:
      return true;
  }
}

}  // namespace

std::optional<mapping_type_ref> parse_mapping_type(std::string_view text) {
  // Split "name(parameter)"; a name without parentheses has no parameter.
  std::string_view name = text;
  std::optional<std::string_view> parameter;
  auto open = text.find('(');
  if (open != std::string_view::npos) {
    if (text.back() != ')') {
      return std::nullopt;
    }
    name = text.substr(0, open);
    parameter = text.substr(open + 1, text.size() - open - 2);
  }

  for (const auto& info : kind_table) {
    if (info.name != name) {
      continue;
    }
    if (info.parameterised != parameter.has_value()) {
      return std::nullopt;
    }
    if (parameter && !parameter_fits(info.kind, *parameter)) {
      return std::nullopt;
    }
    return mapping_type_ref{info.kind,
                            parameter ? std::string(*parameter) : ""};
  }
  return std::nullopt;
}

std::string_view base_name(mapping_kind kind) {
  for (const auto& info : kind_table) {
    if (info.kind == kind) {
      return info.name;
    }
  }
  return "unknown";
}

bool mapper_supports(mapping_kind kind) {
  switch (kind) {
    case mapping_kind::identity_insert:
    case mapping_kind::enum_lookup:
    case mapping_kind::char_to_bit:
    case mapping_kind::boolean_to_bit:
    case mapping_kind::numbers_only:
    case mapping_kind::extract_numeric:
    case mapping_kind::extract_date:
    case mapping_kind::add_history:
    case mapping_kind::add_score:
    case mapping_kind::add_indicator:
    case mapping_kind::add_report_lookup:
    case mapping_kind::last_valid_pr_contact:
    case mapping_kind::curr_address_only:
    case mapping_kind::authu_contact:
    case mapping_kind::last_valid_sec_contact:
    case mapping_kind::calculated_field:
    case mapping_kind::add_collateral:
    case mapping_kind::warranty_field:
    case mapping_kind::policy_exceptions:
      return true;
    default:
      return false;
  }
}

bool creates_rows(mapping_kind kind) {
  switch (kind) {
    case mapping_kind::add_history:
    case mapping_kind::add_score:
    case mapping_kind::add_indicator:
    case mapping_kind::add_report_lookup:
    case mapping_kind::add_collateral:
    case mapping_kind::warranty_field:
    case mapping_kind::policy_exceptions:
      return true;
    default:
      return false;
  }
}

}  // namespace xmlshred::domain
