#include "app/run_command.hpp"

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <thread>
#include <variant>

#include <caf/all.hpp>
#include <libxml/parser.h>

#include "actors/messages.hpp"
#include "actors/run_supervisor.hpp"
#include "app/run_report.hpp"
#include "app/process_supervisor.hpp"
#include "app/run_setup.hpp"
#include "infra/logging.hpp"

namespace xmlshred::app {
namespace {

constexpr int exit_usage = 2;
constexpr int exit_aborted = 3;
/// Threads for CAF's scheduler: only the supervisors run there; readers,
/// transformers and the writer have threads of their own, so one is enough.
constexpr int scheduler_threads = 1;

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
  // An idle scheduler thread polls its queue, sleeping 50 us between tries,
  // for some 25 ms before it waits on a condition variable. The root gets a
  // message every millisecond or so, so it would never reach the wait and
  // would take a core's share from the transformers; wait at once instead.
  config.set("work-stealing.aggressive-poll-attempts", 0);
  config.set("work-stealing.moderate-poll-attempts", 0);
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

/// The process-level rung: a parent that restarts the run after it dies.
int supervise(const config::run_settings& settings, spdlog::logger& log) {
  auto target = infra::parse_database_url(settings.target_url);
  if (auto* problem = std::get_if<std::string>(&target)) {
    log.error("--target: {}", *problem);
    return exit_usage;
  }
  process_restart_policy policy;
  policy.max_restarts = settings.process_max_restarts;
  policy.backoff_min_ms = settings.process_backoff_min_ms;
  return supervise_process(
      policy,
      events_file_for(settings, std::get<infra::database_url>(target)));
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
                      "Source database, e.g. sqlite:source.db, or documents "
                      "made on the fly: generated:?count=N[&seed=S]"
                      "[&first-key=K][&defect-rate=R]");
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
  command->add_option("--record-timeout-ms", options.record_timeout_ms,
                      "Time budget per record (default 60000)");
  command->add_option("--events", options.events_file,
                      "Event log file (default: TARGET.events.jsonl)");
  command->add_option("--fault", options.faults,
                      "Inject a fault, e.g. transform:throw:key=443309 "
                      "(repeatable; see docs/faults.md)");
  command->add_option("--fault-seed", options.fault_seed,
                      "Seed for probabilistic faults (default 0)");
  command->add_flag("--supervise", options.supervise,
                    "Run in a child process and restart it, with backoff, "
                    "when it dies or aborts (see docs/reliability.md)");
  command->add_flag("--no-ddl", options.no_ddl,
                   "Create nothing: check that every table, column and "
                   "privilege the run needs exists, exit 2 if not");
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
  if (options.supervise) {
    return supervise(settings, *log);
  }
  auto run = prepare_run(settings, *log);
  if (!run) {
    return exit_usage;
  }

  log->info("run started run={} source={} target={} workers={} batch={} "
            "events={}",
            run->run_id, run->source.masked, run->target.masked,
            settings.effective_workers(), settings.batch_size,
            run->events->file());
  xmlInitParser();
  auto summary = execute(supervisor_settings_for(settings, *run));
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
