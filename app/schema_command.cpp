#include "app/schema_command.hpp"

#include <iostream>

#include <spdlog/logger.h>

#include "infra/schema_catalog.hpp"
#include "infra/schema_check.hpp"
#include "infra/logging.hpp"

namespace xmlshred::app {
namespace {

constexpr int exit_ok = 0;
constexpr int exit_usage = 2;
constexpr const char* statement_end = ";\n\n";
constexpr const char* comment_end = "\n\n";

void print_statements(const std::vector<std::string>& statements) {
  for (const auto& sql : statements) {
    std::cout << sql << statement_end;
  }
}

}  // namespace

void add_schema_command(CLI::App& parent, schema_options& options,
                        int& exit_code) {
  auto* command = parent.add_subcommand(
      "schema", "Print the DDL and GRANT script a run needs");
  command->add_option("--dialect", options.dialect, "postgresql or sqlite")
      ->required()
      ->check(CLI::IsMember({"postgresql", "sqlite"}));
  command->add_option("--contract", options.contract_files,
                      "Mapping contract file (repeatable)")
      ->required();
  command->add_option("--role", options.role,
                      "Also print the grants this PostgreSQL role needs to "
                      "run with --no-ddl");
  command->callback([&] { exit_code = run_schema(options); });
}

infra::source_table_spec source_table_of(const contract_list& contracts) {
  const auto& first = *contracts.front();
  return {first.source_table, first.key_column(), first.source_column};
}

int run_schema(const schema_options& options) {
  auto log = infra::logger("schema");
  const auto dialect = options.dialect == "sqlite"
                           ? infra::backend::sqlite
                           : infra::backend::postgresql;
  if (options.role && dialect == infra::backend::sqlite) {
    log->error("--role: SQLite has no roles; grants apply to postgresql");
    return exit_usage;
  }
  auto contracts = load_contracts(options.contract_files);
  if (!contracts) {
    return exit_usage;
  }
  auto plan = infra::build_schema_plan(dialect, *contracts);
  if (!plan) {
    log->error("{}", plan.error().message);
    return exit_usage;
  }
  std::vector<std::string> grants;
  if (options.role) {
    auto made = infra::grant_statements(*options.role,
                                        source_table_of(*contracts),
                                        *contracts);
    if (!made) {
      log->error("{}", made.error().message);
      return exit_usage;
    }
    grants = std::move(made.value());
  }

  // Warnings go to stderr so that stdout stays runnable SQL.
  for (const auto& warning : plan.value().warnings) {
    log->warn("{}", warning);
  }
  std::cout << "-- xmlshred schema for " << options.dialect << comment_end;
  print_statements(plan.value().statements);
  if (!grants.empty()) {
    std::cout << "-- Privileges of role " << *options.role
              << " for `xmlshred run --no-ddl`" << comment_end;
    print_statements(grants);
  }
  return exit_ok;
}

bool report_run_readiness(const infra::database_url& source,
                          const infra::database_url& target,
                          const contract_list& contracts,
                          spdlog::logger& log) {
  auto problems = infra::check_run_readiness(
      source, source_table_of(contracts), target, contracts);
  if (!problems) {
    log.error("--no-ddl: cannot check the databases: {}",
              problems.error().message);
    return false;
  }
  for (const auto& problem : problems.value()) {
    log.error("--no-ddl: {}; fix: {}", problem.what, problem.fix);
  }
  if (!problems.value().empty()) {
    log.error("--no-ddl: {} problem(s) in {}; nothing was written",
              problems.value().size(), target.masked);
    return false;
  }
  return true;
}

}  // namespace xmlshred::app
