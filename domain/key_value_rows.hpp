#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/contract.hpp"
#include "domain/record.hpp"

namespace xmlshred::domain {

/// Cells of one row: column name (owned by the rule that made it) and value.
using named_cells = std::vector<std::pair<const std::string*, cell>>;

/// A row-creating mapping (add_history, add_score(ID), add_indicator(NAME),
/// add_report_lookup(KEY)): each document value becomes one row of a
/// key-value table with fixed columns, or no row when the value carries
/// nothing. Prepared once; immutable and thread-safe.
class key_value_rule {
 public:
  /// Precondition: `type` is one of the four kinds above and belongs to
  /// `spec`. `key_column` names the record key column ("app_id").
  key_value_rule(const mapping_spec& spec, const mapping_type_ref& type,
                 const std::string& key_column);

  /// The row for the attribute text `raw` (nullopt: attribute missing), or
  /// false when the value makes no row.
  bool make_row(std::optional<std::string_view> raw, const std::string& key,
                named_cells& row) const;

  const mapping_spec& spec() const { return *spec_; }

  /// The fixed columns of the table a kind writes, in row order, after the
  /// key column; empty for kinds that do not create rows this way.
  static std::vector<std::string> columns_of(mapping_kind kind);

 private:
  const mapping_spec* spec_;
  mapping_kind kind_;
  std::string key_column_;
  std::vector<std::string> columns_;
  /// Texts fixed by the contract: "[attribute]", "[element]", the score
  /// identifier, indicator name or report key.
  std::string name_text_;
  std::string source_text_;
};

}  // namespace xmlshred::domain
