#pragma once

#include <memory>
#include <string>
#include <vector>

#include "domain/contract.hpp"
#include "infra/database_url.hpp"
#include "infra/result.hpp"

namespace xmlshred::infra {

/// xmlshred's own tables; contracts may list them in table_insertion_order
/// but no mapping writes them.
inline constexpr const char* processing_log_table = "processing_log";
inline constexpr const char* runs_table = "runs";

/// Where the contracts' rows land, agreed by all loaded contracts.
struct target_layout {
  /// PostgreSQL schema (the contracts' target_schema); unused by SQLite.
  std::string schema;
  /// The record key column, named after the contracts' identity mapping
  /// (e.g. "app_id"); also the key column of processing_log.
  std::string key_column;
};

/// The target column of `c`'s key: the first identity_insert mapping whose
/// table comes earliest in table_insertion_order. Empty if none.
std::string contract_key_column(const domain::contract& c);

/// The layout the contracts share. Fails (fatal) when there are no
/// contracts, a contract has no identity mapping, they disagree on the key
/// column or the target schema, or a name is not a plain identifier.
[[nodiscard]] result<target_layout> resolve_target_layout(
    const std::vector<std::shared_ptr<const domain::contract>>& contracts);

/// Tables the contracts write rows to, without xmlshred's own: each
/// contract's table_insertion_order, then tables that only mappings name,
/// without repeats, in first-seen order.
std::vector<std::string> tables_written_by(
    const std::vector<std::shared_ptr<const domain::contract>>& contracts);

/// Ordered SQL that creates what the contracts need when missing.
struct schema_plan {
  /// Statements to run in order, in one transaction: parents before
  /// children, lookup rows right after their table, xmlshred's own tables
  /// last. Every statement is idempotent (IF NOT EXISTS / ON CONFLICT).
  std::vector<std::string> statements;
  /// Remarks for the operator, e.g. a table that could not be generated.
  std::vector<std::string> warnings;
};

/// The creation plan for `dialect`. Tables with shipped DDL (schema/) come
/// with their keys, foreign keys and the tables those point to; any other
/// table gets a CREATE TABLE generated from its mapped columns' data types,
/// without keys. Stateless and thread-safe.
[[nodiscard]] result<schema_plan> build_schema_plan(
    backend dialect,
    const std::vector<std::shared_ptr<const domain::contract>>& contracts);

}  // namespace xmlshred::infra
