#include "app/run_command.hpp"

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <ctime>
#include <limits>
#include <random>
#include <thread>
#include <variant>

#include <caf/all.hpp>
#include <libxml/parser.h>
#include <nlohmann/json.hpp>
#include <spdlog/fmt/chrono.h>

#include "actors/messages.hpp"
#include "actors/run_supervisor.hpp"
#include "app/contract_loading.hpp"
#include "app/run_report.hpp"
#include "infra/logging.hpp"
#include "infra/source_store.hpp"

namespace xmlshred::app {
namespace {

constexpr int exit_usage = 2;
constexpr int exit_aborted = 3;
/// Threads for CAF's scheduler: only the supervisor runs there; readers,
/// transformers and the writer have threads of their own.
constexpr int scheduler_threads = 2;

/// Defaults, then the configuration file, then the command line.
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
  if (options.summary_json) settings.summary_json = *options.summary_json;
  if (options.log_level) settings.log_level = *options.log_level;
  const auto origin =
      options.config_file.empty() ? "command line" : options.config_file;
  if (auto error = config::validate_run_settings(settings, origin)) {
    return *error;
  }
  return settings;
}

/// A run id that sorts by start time and is unique across instances.
std::string make_run_id() {
  std::random_device entropy;
  const auto now = std::chrono::system_clock::now();
  return fmt::format("{:%Y%m%dT%H%M%SZ}-{:06x}",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(now)),
                     entropy() & 0xffffffU);
}

std::string settings_json(const config::run_settings& s,
                          const infra::database_url& source,
                          const infra::database_url& target) {
  return nlohmann::json{
      {"source", source.masked},
      {"target", target.masked},
      {"contracts", s.contract_files},
      {"workers", s.effective_workers()},
      {"batch", s.batch_size},
      {"limit", s.limit},
      {"max_in_flight", s.effective_max_in_flight()},
      {"max_attempts", s.max_attempts},
  }.dump();
}

/// The configured faults, or null when there are none; nullopt (after
/// logging why) when a specification is wrong.
std::optional<std::shared_ptr<infra::fault_injector>> make_fault_injector(
    const run_options& options, spdlog::logger& log) {
  if (options.faults.empty()) {
    return std::shared_ptr<infra::fault_injector>{};
  }
  std::vector<infra::fault_spec> specs;
  for (const auto& text : options.faults) {
    auto parsed = infra::parse_fault_spec(text);
    if (auto* problem = std::get_if<std::string>(&parsed)) {
      log.error("--fault {}: {}", text, *problem);
      return std::nullopt;
    }
    auto& spec = std::get<infra::fault_spec>(parsed);
    if (auto problem = infra::check_fault_supported(spec)) {
      log.error("--fault: {}", *problem);
      return std::nullopt;
    }
    specs.push_back(std::move(spec));
  }
  return std::make_shared<infra::fault_injector>(std::move(specs),
                                                 options.fault_seed);
}

/// Everything checked before the first write: URLs, contracts, source.
struct prepared_run {
  infra::database_url source;
  infra::database_url target;
  contract_list contracts;
  infra::source_table_spec table;
};

std::optional<prepared_run> prepare(const config::run_settings& settings,
                                    spdlog::logger& log) {
  prepared_run run;
  for (auto [name, text, slot] :
       {std::tuple{"--source", &settings.source_url, &run.source},
        std::tuple{"--target", &settings.target_url, &run.target}}) {
    auto url = infra::parse_database_url(*text);
    if (auto* problem = std::get_if<std::string>(&url)) {
      log.error("{}: {}", name, *problem);
      return std::nullopt;
    }
    *slot = std::get<infra::database_url>(url);
  }
  auto contracts = load_contracts(settings.contract_files);
  if (!contracts) {
    return std::nullopt;
  }
  run.contracts = std::move(*contracts);
  const auto& first = *run.contracts.front();
  run.table = {first.source_table, first.key_column(), first.source_column};

  // A missing source table is a usage error, found before the target is
  // touched.
  auto source = infra::source_store::open(run.source, run.table);
  if (source) {
    auto probe = source.value()->keys_after(
        std::numeric_limits<domain::record_key>::min(), 1);
    if (probe) {
      return run;
    }
    log.error("cannot read source table {} in {}: {}; load documents with "
              "`xmlshred import` first",
              run.table.table, run.source.masked, probe.error().message);
  } else {
    log.error("cannot open the source {}: {}", run.source.masked,
              source.error().message);
  }
  return std::nullopt;
}

actors::supervisor_settings supervisor_settings_for(
    const config::run_settings& s, const prepared_run& run) {
  actors::supervisor_settings result;
  result.reader = {run.source,    run.table, run.target,
                   run.contracts, s.page_size, s.limit};
  result.writer.target = run.target;
  result.writer.contracts = run.contracts;
  result.writer.create_schema = s.create_schema;
  result.writer.run_id = make_run_id();
  result.writer.settings_json = settings_json(s, run.source, run.target);
  result.writer.batch_size = s.batch_size;
  result.writer.commit_interval =
      std::chrono::milliseconds{s.commit_interval_ms};
  result.router = std::make_shared<const domain::document_router>(
      run.contracts);
  result.workers = s.effective_workers();
  result.max_in_flight = s.effective_max_in_flight();
  result.max_attempts = s.max_attempts;
  return result;
}

/// Waits for SIGINT/SIGTERM on a thread of its own and asks the supervisor
/// to stop; SIGUSR1 only wakes it up at the end of the run.
class signal_forwarder {
 public:
  explicit signal_forwarder(caf::actor supervisor) {
    thread_ = std::thread{[supervisor] {
      sigset_t set = watched_signals();
      for (;;) {
        int received = 0;
        sigwait(&set, &received);
        if (received == SIGUSR1) {
          return;
        }
        caf::anon_send(supervisor, actors::stop_atom::value, received);
      }
    }};
  }
  ~signal_forwarder() {
    pthread_kill(thread_.native_handle(), SIGUSR1);
    thread_.join();
  }

  /// Blocks the signals in the calling thread (and threads it starts).
  static void block_in_this_thread() {
    sigset_t set = watched_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
  }

 private:
  static sigset_t watched_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGUSR1);
    return set;
  }
  std::thread thread_;
};

actors::run_summary execute(actors::supervisor_settings settings) {
  signal_forwarder::block_in_this_thread();
  caf::actor_system_config config;
  config.set("scheduler.max-threads", scheduler_threads);
  caf::actor_system system{config};
  auto supervisor = actors::spawn_run_supervisor(system, std::move(settings));
  signal_forwarder forwarder{supervisor};

  actors::run_summary summary;
  {
    caf::scoped_actor self{system};
    self->request(supervisor, caf::infinite, actors::start_atom::value)
        .receive([&](actors::run_summary& done) { summary = std::move(done); },
                 [&](caf::error& error) {
                   summary.exit_code = exit_aborted;
                   summary.abort_reason = system.render(error);
                 });
  }
  return summary;
}

}  // namespace

void add_run_command(CLI::App& parent, run_options& options, int& exit_code) {
  auto* command = parent.add_subcommand(
      "run", "Convert the source documents into the target tables");
  command->add_option("--config", options.config_file,
                      "TOML file with run settings; options given here "
                      "override it")
      ->check(CLI::ExistingFile);
  command->add_option("--source", options.source_url,
                      "Source database, e.g. sqlite:source.db");
  command->add_option("--target", options.target_url,
                      "Target database, e.g. sqlite:target.db");
  command->add_option("--contract", options.contract_files,
                      "Mapping contract file (repeatable)");
  command->add_option("--workers", options.workers,
                      "Transformer actors (default: one per core)");
  command->add_option("--batch", options.batch_size,
                      "Records per committed batch (default 200)");
  command->add_option("--limit", options.limit,
                      "Stop after reading this many records");
  command->add_option("--max-attempts", options.max_attempts,
                      "Tries per record before a crash fails it (default 3)");
  command->add_option("--summary-json", options.summary_json,
                      "Also write the run summary as JSON to this file");
  command->add_option("--fault", options.faults,
                      "Inject a fault, e.g. transform:throw:key=443309 "
                      "(repeatable; see docs/faults.md)");
  command->add_option("--fault-seed", options.fault_seed,
                      "Seed for probabilistic faults (default 0)");
  command->callback([&] { exit_code = run_conversion(options); });
}

int run_conversion(const run_options& options) {
  auto log = infra::logger("run");
  auto merged = merge_settings(options);
  if (auto* error = std::get_if<config::config_error>(&merged)) {
    log->error("{}", error->describe());
    return exit_usage;
  }
  const auto& settings = std::get<config::run_settings>(merged);
  infra::init_logging(settings.log_level);
  auto run = prepare(settings, *log);
  auto faults = make_fault_injector(options, *log);
  if (!run || !faults) {
    return exit_usage;
  }

  auto supervisor_settings = supervisor_settings_for(settings, *run);
  supervisor_settings.faults = std::move(*faults);
  log->info("run started run={} source={} target={} workers={} batch={}",
            supervisor_settings.writer.run_id, run->source.masked,
            run->target.masked, supervisor_settings.workers,
            settings.batch_size);
  xmlInitParser();
  auto summary = execute(std::move(supervisor_settings));
  print_summary(summary, run->target.masked);
  if (!settings.summary_json.empty()) {
    if (auto problem = write_summary_json(summary, run->target.masked,
                                          settings.summary_json)) {
      log->error("{}", *problem);
    }
  }
  return summary.exit_code;
}

}  // namespace xmlshred::app
