#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace xmlshred::domain {

/// Every mapping type a contract may name. Parameterised types such as
/// `add_score(TU_DIE)` carry their argument separately.
enum class mapping_kind {
  identity_insert,
  enum_lookup,
  char_to_bit,
  boolean_to_bit,
  numbers_only,
  extract_numeric,
  extract_date,
  calculated_field,
  last_valid_pr_contact,
  last_valid_sec_contact,
  curr_address_only,
  authu_contact,
  add_history,
  add_score,
  add_indicator,
  add_report_lookup,
  add_collateral,
  warranty_field,
  policy_exceptions,
};

/// A parsed mapping type: its kind and, for parameterised kinds, the text
/// between the parentheses (may be empty, e.g. `policy_exceptions()`).
struct mapping_type_ref {
  mapping_kind kind = mapping_kind::identity_insert;
  std::string parameter;
};

/// Parses one entry of a mapping's `mapping_type` list; nullopt when the
/// name is unknown or a parameter is missing or malformed.
[[nodiscard]] std::optional<mapping_type_ref> parse_mapping_type(
    std::string_view text);

/// The base name of a kind as written in contracts ("enum", "add_score").
std::string_view base_name(mapping_kind kind);

/// True when the document mapper implements the kind. Mappings using any
/// other kind are skipped and reported once when the contract loads.
bool mapper_supports(mapping_kind kind);

/// True for kinds that create rows of their own in key-value tables
/// (scores, history, ...) and so leave target_column empty.
bool creates_rows(mapping_kind kind);

}  // namespace xmlshred::domain
