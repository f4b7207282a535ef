#include "app/run_setup.hpp"

#include <chrono>
#include <limits>
#include <random>

#include <nlohmann/json.hpp>

#include "app/schema_command.hpp"
#include <spdlog/fmt/chrono.h>
#include <spdlog/logger.h>

namespace xmlshred::app {
namespace {

/// A run id that sorts by start time and is unique across instances.
std::string make_run_id() {
  std::random_device entropy;
  const auto now = std::chrono::system_clock::now();
  return fmt::format("{:%Y%m%dT%H%M%SZ}-{:06x}",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(now)),
                     entropy() & 0xffffffU);
}

std::string settings_json(const config::run_settings& s,
                          const prepared_run& run) {
  return nlohmann::json{
      {"run_id", run.run_id},
      {"source", run.source.masked},
      {"target", run.target.masked},
      {"contracts", s.contract_files},
      {"workers", s.effective_workers()},
      {"batch", s.batch_size},
      {"limit", s.limit},
      {"max_in_flight", s.effective_max_in_flight()},
      {"max_attempts", s.max_attempts},
      {"faults", s.faults},
      {"fault_seed", s.fault_seed},
  }.dump();
}

actors::restart_policy policy_for(const config::restart_settings& r) {
  actors::restart_policy policy;
  policy.strategy = actors::parse_restart_strategy(r.strategy)
                        .value_or(actors::restart_strategy::one_for_one);
  policy.max_restarts = r.max_restarts;
  policy.within = std::chrono::milliseconds{r.within_ms};
  policy.backoff_min = std::chrono::milliseconds{r.backoff_min_ms};
  policy.backoff_max = std::chrono::milliseconds{r.backoff_max_ms};
  policy.jitter = r.jitter;
  policy.reset_after = std::chrono::milliseconds{r.reset_after_ms};
  return policy;
}

/// The source may be a database or generated documents; the target is
/// always a database.
bool parse_urls(const config::run_settings& settings, prepared_run& run,
                spdlog::logger& log) {
  auto source = infra::parse_source_location(settings.source_url);
  if (auto* problem = std::get_if<std::string>(&source)) {
    log.error("--source: {}", *problem);
    return false;
  }
  run.source = std::get<infra::source_location>(source);
  auto target = infra::parse_database_url(settings.target_url);
  if (auto* problem = std::get_if<std::string>(&target)) {
    log.error("--target: {}", *problem);
    return false;
  }
  run.target = std::get<infra::database_url>(target);
  return true;
}

/// --no-ddl checks the source table and its privileges as well, which a
/// generated source does not have.
bool check_ready(const config::run_settings& settings,
                 const prepared_run& run, spdlog::logger& log) {
  if (settings.create_schema) {
    return true;
  }
  if (!run.source.database) {
    log.error("--no-ddl: a generated source has no table to check; run "
              "without --no-ddl, or check the target first with "
              "`xmlshred check --target URL`");
    return false;
  }
  return report_run_readiness(*run.source.database, run.target,
                              run.contracts, log);
}

/// A missing source table is a usage error, found before the target is
/// touched.
bool check_source(prepared_run& run, spdlog::logger& log) {
  const auto& first = *run.contracts.front();
  run.table = {first.source_table, first.key_column(), first.source_column};
  auto source = infra::open_document_source(run.source, run.table, first);
  if (!source) {
    log.error("cannot open the source {}: {}", run.source.masked,
              source.error().message);
    return false;
  }
  auto probe = source.value()->keys_after(
      std::numeric_limits<domain::record_key>::min(), 1);
  if (!probe) {
    log.error("cannot read source table {} in {}: {}; load documents with "
              "`xmlshred import` first",
              run.table.table, run.source.masked, probe.error().message);
    return false;
  }
  return true;
}

bool make_faults(const config::run_settings& settings, prepared_run& run,
                 spdlog::logger& log) {
  if (settings.faults.empty()) {
    return true;
  }
  std::vector<infra::fault_spec> specs;
  for (const auto& text : settings.faults) {
    auto parsed = infra::parse_fault_spec(text);
    if (auto* problem = std::get_if<std::string>(&parsed)) {
      log.error("fault {}: {}", text, *problem);
      return false;
    }
    auto& spec = std::get<infra::fault_spec>(parsed);
    if (auto problem = infra::check_fault_supported(spec)) {
      log.error("fault: {}", *problem);
      return false;
    }
    specs.push_back(std::move(spec));
  }
  run.faults = std::make_shared<infra::fault_injector>(std::move(specs),
                                                       settings.fault_seed);
  return true;
}

bool open_events(const config::run_settings& settings, prepared_run& run,
                 spdlog::logger& log) {
  auto opened = infra::event_log::open(events_file_for(settings, run.target),
                                       run.run_id);
  if (auto* problem = std::get_if<std::string>(&opened)) {
    log.error("{}", *problem);
    return false;
  }
  run.events = std::get<std::shared_ptr<infra::event_log>>(opened);
  return true;
}

/// The in-flight journal file: as configured, or beside a SQLite target.
std::string journal_file(const config::run_settings& settings,
                         const prepared_run& run) {
  if (!settings.journal_file.empty()) {
    return settings.journal_file;
  }
  if (run.target.kind == infra::backend::sqlite) {
    return run.target.sqlite_path + ".inflight";
  }
  return "xmlshred.inflight";
}

bool open_journal(const config::run_settings& settings, prepared_run& run,
                  spdlog::logger& log) {
  auto opened = infra::inflight_journal::open(journal_file(settings, run),
                                              settings.effective_workers());
  if (auto* problem = std::get_if<std::string>(&opened)) {
    log.error("{}", *problem);
    return false;
  }
  run.journal = std::get<std::shared_ptr<infra::inflight_journal>>(opened);
  for (const auto& [key, crashes] : run.journal->crash_counts()) {
    log.warn("record was in flight when a process died record={} times={}",
             key, crashes);
  }
  return true;
}

}  // namespace

std::string events_file_for(const config::run_settings& settings,
                            const infra::database_url& target) {
  if (!settings.events_file.empty()) {
    return settings.events_file;
  }
  if (target.kind == infra::backend::sqlite) {
    return target.sqlite_path + ".events.jsonl";
  }
  return "xmlshred-events.jsonl";
}

std::variant<config::run_settings, config::config_error> merge_settings(
    const run_options& options) {
  config::run_settings settings;
  if (!options.config_file.empty()) {
    auto loaded = config::load_run_config(options.config_file, settings);
    if (auto* error = std::get_if<config::config_error>(&loaded)) {
      return *error;
    }
    settings = std::get<config::run_settings>(loaded);
  }
  if (options.source_url) settings.source_url = *options.source_url;
  if (options.target_url) settings.target_url = *options.target_url;
  if (!options.contract_files.empty()) {
    settings.contract_files = options.contract_files;
  }
  if (options.workers) settings.workers = *options.workers;
  if (options.batch_size) settings.batch_size = *options.batch_size;
  if (options.limit) settings.limit = *options.limit;
  if (options.max_attempts) settings.max_attempts = *options.max_attempts;
  if (options.record_timeout_ms) {
    settings.record_timeout_ms = *options.record_timeout_ms;
  }
  if (options.summary_json) settings.summary_json = *options.summary_json;
  if (options.events_file) settings.events_file = *options.events_file;
  if (options.log_level) settings.log_level = *options.log_level;
  if (options.fault_seed) settings.fault_seed = *options.fault_seed;
  if (options.no_ddl) settings.create_schema = false;
  settings.faults.insert(settings.faults.end(), options.faults.begin(),
                         options.faults.end());
  const auto origin =
      options.config_file.empty() ? "command line" : options.config_file;
  if (auto error = config::validate_run_settings(settings, origin)) {
    return *error;
  }
  return settings;
}

std::optional<prepared_run> prepare_run(const config::run_settings& settings,
                                        spdlog::logger& log) {
  prepared_run run;
  run.run_id = make_run_id();
  if (!parse_urls(settings, run, log)) {
    return std::nullopt;
  }
  auto contracts = load_contracts(settings.contract_files);
  if (!contracts) {
    return std::nullopt;
  }
  run.contracts = std::move(*contracts);
  // Without DDL the databases must already hold everything: say what
  // is missing before the source probe, which would only name the first.
  if (!make_faults(settings, run, log) || !check_ready(settings, run, log) ||
      !check_source(run, log) ||
      !open_events(settings, run, log) || !open_journal(settings, run, log)) {
    return std::nullopt;
  }
  return run;
}

actors::supervisor_settings supervisor_settings_for(
    const config::run_settings& s, const prepared_run& run) {
  actors::supervisor_settings result;
  result.reader = {run.source,    run.table,  run.target,
                   run.contracts, s.page_size, run.events, run.faults};
  auto& writer = result.writer;
  writer.target = run.target;
  writer.contracts = run.contracts;
  writer.create_schema = s.create_schema;
  writer.run_id = run.run_id;
  writer.batch_size = s.batch_size;
  writer.commit_interval = std::chrono::milliseconds{s.commit_interval_ms};
  writer.breaker.failures_to_open = s.breaker_failures;
  writer.breaker.cooldown = std::chrono::milliseconds{s.breaker_cooldown_ms};
  writer.breaker.give_up_after =
      std::chrono::seconds{s.breaker_give_up_after_s};
  writer.events = run.events;
  writer.faults = run.faults;
  result.router = std::make_shared<const domain::document_router>(
      run.contracts);
  result.events = run.events;
  result.faults = run.faults;
  result.settings_json = settings_json(s, run);
  result.workers = s.effective_workers();
  result.max_in_flight = s.effective_max_in_flight();
  result.limit = s.limit;
  result.max_attempts = s.max_attempts;
  result.record_timeout = std::chrono::milliseconds{s.record_timeout_ms};
  result.systemic_window = s.systemic_window;
  result.systemic_ratio = s.systemic_ratio;
  result.source_policy = policy_for(s.source_supervision);
  result.transform_policy = policy_for(s.transform_supervision);
  result.sink_policy = policy_for(s.sink_supervision);
  result.seed = s.fault_seed;
  result.journal = run.journal;
  result.process_crashes = run.journal->crash_counts();
  result.max_process_crashes = s.max_process_crashes;
  return result;
}

}  // namespace xmlshred::app
