#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "actors/run_supervisor.hpp"
#include "app/contract_loading.hpp"
#include "app/run_command.hpp"
#include "config/run_config.hpp"
#include "infra/database_url.hpp"
#include "infra/inflight_journal.hpp"
#include "infra/document_source.hpp"

namespace spdlog {
class logger;
}

namespace xmlshred::app {

/// Defaults, then the configuration file, then the command line; checked.
[[nodiscard]] std::variant<config::run_settings, config::config_error>
merge_settings(const run_options& options);

/// The event log file: as configured, or beside a SQLite target, or
/// xmlshred-events.jsonl in the working folder.
std::string events_file_for(const config::run_settings& settings,
                            const infra::database_url& target);

/// Everything a run needs that is checked before the first write: URLs,
/// contracts, the source table, fault specifications, the event log.
struct prepared_run {
  /// A source table's database, or generated documents.
  infra::source_location source;
  infra::database_url target;
  contract_list contracts;
  infra::source_table_spec table;
  std::shared_ptr<infra::fault_injector> faults;
  std::shared_ptr<infra::event_log> events;
  std::shared_ptr<infra::inflight_journal> journal;
  std::string run_id;
};

/// Checks everything; logs each problem and returns nullopt on any, so
/// the caller exits 2 with nothing written.
std::optional<prepared_run> prepare_run(const config::run_settings& settings,
                                        spdlog::logger& log);

/// The actor tree's settings for a prepared run.
actors::supervisor_settings supervisor_settings_for(
    const config::run_settings& settings, const prepared_run& run);

}  // namespace xmlshred::app
