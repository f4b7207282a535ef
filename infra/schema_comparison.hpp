#pragma once

#include <memory>
#include <string>
#include <vector>

#include "domain/contract.hpp"
#include "infra/result.hpp"
#include "infra/target_catalog.hpp"
#include "infra/target_inspector.hpp"

namespace xmlshred::infra {

/// One disagreement between a contract and the live target schema.
struct schema_finding {
  /// A warning is reported but does not make the contract unusable.
  bool warning = false;
  /// The contract file the finding is about.
  std::string file;
  /// Where in that file, e.g. "/mappings/12" or "/table_insertion_order/3".
  std::string json_path;
  /// What is wrong; names table and column, never a document value.
  std::string message;
};

/// Whether a mapping of `type` can be stored in a column of class `kind`:
/// an empty text when it can, otherwise why not. Numbers and dates fit a
/// text column; a decimal does not fit an integer column (the fraction
/// would be lost); an integer fits a decimal column. Pure.
std::string type_mismatch(domain::data_type type, value_class kind);

/// Compares every contract with the tables `target` holds: each table and
/// column a contract writes exists, each mapping's data type fits its
/// column, no string mapping is longer than its character column, and each
/// NOT NULL column without a default is filled by the contract. Borrows
/// `target` for the call (one thread). Database errors are returned, never
/// thrown; the findings otherwise come in contract order.
[[nodiscard]] result<std::vector<schema_finding>> compare_with_target(
    target_inspector& target,
    const std::vector<std::shared_ptr<const domain::contract>>& contracts);

}  // namespace xmlshred::infra
