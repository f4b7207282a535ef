#pragma once

#include <memory>
#include <string>
#include <vector>

#include "domain/contract.hpp"
#include "infra/database_url.hpp"
#include "infra/result.hpp"
#include "infra/source_store.hpp"

namespace xmlshred::infra {

/// Privileges a run's role needs on one table.
struct table_grant {
  /// Quoted and, in the target, schema-qualified; the source table is
  /// unqualified (found through search_path, as the source store reads it).
  std::string table;
  /// e.g. {"SELECT", "INSERT"}, in that spelling.
  std::vector<std::string> privileges;
};

/// What a `run` needs of the role it connects as: SELECT on the source
/// table; INSERT on every table the contracts write, plus SELECT on the
/// tables whose existing keys are looked up (contacts); SELECT, INSERT and
/// UPDATE on processing_log and runs. The first entry is the source.
/// Fails (fatal) when the contracts do not share one layout. Pure.
[[nodiscard]] result<std::vector<table_grant>> run_grants(
    backend dialect, const source_table_spec& source,
    const std::vector<std::shared_ptr<const domain::contract>>& contracts);

/// The GRANT statements of run_grants for `role`, USAGE on the target
/// schema first (PostgreSQL only: SQLite has no roles). `role` must be a
/// plain identifier. Pure.
[[nodiscard]] result<std::vector<std::string>> grant_statements(
    const std::string& role, const source_table_spec& source,
    const std::vector<std::shared_ptr<const domain::contract>>& contracts);

/// One thing the databases lack for a run that creates nothing.
struct readiness_problem {
  /// What is missing or wrong, naming schema, table, column and role.
  std::string what;
  /// SQL that fixes it, run by someone allowed to.
  std::string fix;
};

/// Checks, without changing anything, that a run with schema creation off
/// can work: every table and column of the creation plan exists in the
/// target with a compatible type, xmlshred's own tables included, and (on
/// PostgreSQL) the connecting roles have USAGE on the target schema and
/// the privileges of run_grants. Returns every problem found (empty: ready);
/// an error only when a database cannot be asked. Opens its own short-lived
/// connections; thread-safe.
[[nodiscard]] result<std::vector<readiness_problem>> check_run_readiness(
    const database_url& source, const source_table_spec& source_table,
    const database_url& target,
    const std::vector<std::shared_ptr<const domain::contract>>& contracts);

}  // namespace xmlshred::infra
