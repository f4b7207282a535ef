#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/contract_loading.hpp"
#include "infra/database_url.hpp"
#include "infra/source_store.hpp"

namespace spdlog {
class logger;
}

namespace xmlshred::app {

/// What the command line said about `xmlshred schema`.
struct schema_options {
  /// "postgresql" or "sqlite".
  std::string dialect;
  std::vector<std::string> contract_files;
  /// Also print the GRANT script for this role (PostgreSQL only).
  std::optional<std::string> role;
};

/// Adds `xmlshred schema` to `parent`; `exit_code` receives the result.
void add_schema_command(CLI::App& parent, schema_options& options,
                        int& exit_code);

/// Prints on stdout the DDL a run would execute for the contracts (target
/// tables in the contracts' target_schema with their keys, lookup rows and
/// xmlshred's own tables) and, with a role, the GRANT statements that role
/// needs to run with --no-ddl. Returns 0, or 2 for bad usage.
int run_schema(const schema_options& options);

/// The source table the contracts read: the first contract's.
infra::source_table_spec source_table_of(const contract_list& contracts);

/// For a run that creates nothing: checks that the source and target have
/// every table, column and privilege the run needs. Logs each problem with
/// the SQL that fixes it and returns false when anything is missing or the
/// databases cannot be asked; nothing is written either way.
bool report_run_readiness(const infra::database_url& source,
                          const infra::database_url& target,
                          const contract_list& contracts,
                          spdlog::logger& log);

}  // namespace xmlshred::app
