#include "actors/run_supervisor.hpp"

#include <chrono>
#include <deque>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

#include "actors/actor_errors.hpp"
#include "actors/messages.hpp"
#include "actors/transformer_actor.hpp"
#include "infra/logging.hpp"

namespace xmlshred::actors {
namespace {

constexpr const char* root_name = "root";
/// The writer answers once a batch commits; retries and an open circuit
/// may hold a record for long, but the breaker gives up before this.
constexpr std::chrono::minutes write_timeout{24 * 60};
constexpr std::chrono::minutes setup_timeout{5};
/// Documents fetched ahead per transformer, so none waits for the reader.
constexpr std::size_t prefetch_per_worker = 4;
/// Failed page reads are retried with growing pauses, then the run ends.
constexpr std::chrono::milliseconds first_read_retry{100};
constexpr std::chrono::milliseconds longest_read_retry{5000};
constexpr int read_failures_to_give_up = 8;

constexpr int exit_all_good = 0;
constexpr int exit_some_failed = 1;
constexpr int exit_aborted = 3;
constexpr int signal_exit_base = 128;

struct root_state {
  static inline const char* name = "run_supervisor";

  supervisor_settings settings;
  caf::actor source_supervisor;
  caf::actor transform_supervisor;
  caf::actor sink_supervisor;
  caf::actor reader;
  caf::actor writer;
  std::vector<caf::actor> idle;
  std::unordered_map<caf::actor_addr, std::string> worker_names;
  /// Transformer -> the record it is working on (kept for a retry).
  std::unordered_map<caf::actor_addr, domain::source_record> busy;
  std::deque<domain::source_record> pending;
  /// Keys read and not yet handed to the writer, and the outcomes among
  /// them that are ready. Outcomes go to the writer in key order, so the
  /// target fills the same way whatever the timing (a contact id shared by
  /// two applications goes to the lower key, as in a one-by-one run).
  std::set<domain::record_key> unreleased;
  std::map<domain::record_key, domain::record_outcome> ready;
  /// Outcomes handed to the writer and not yet confirmed committed; sent
  /// again to a restarted writer.
  std::map<domain::record_key, domain::record_outcome> unacked;
  /// Records read and not yet answered by the writer.
  std::size_t in_flight = 0;
  domain::record_key scanned_up_to =
      std::numeric_limits<domain::record_key>::min();
  int read_failures = 0;
  /// Whether each of the last transformed records crashed its actor.
  std::deque<bool> recent_crashes;
  bool run_begun = false;
  bool page_requested = false;
  bool reading_done = false;
  bool circuit_open = false;
  bool stopping = false;
  bool finishing = false;
  int stop_exit_code = 0;
  run_summary summary;
  caf::response_promise done;
  std::chrono::steady_clock::time_point started;
  std::shared_ptr<spdlog::logger> log = infra::logger("supervisor");
};

using root_actor = caf::stateful_actor<root_state>;

void pump(root_actor* self);
void finish(root_actor* self);

void emit(root_state& st, infra::event entry) {
  if (entry.supervisor.empty()) {
    entry.supervisor = root_name;
  }
  st.settings.events->emit(entry);
}

// -- accounting ------------------------------------------------------------

/// Counts a record the writer confirmed; its tables hold the rows that
/// were actually inserted.
void account(root_state& st, const domain::record_outcome& outcome) {
  auto& summary = st.summary;
  const auto category =
      outcome.category ? std::string{domain::to_string(*outcome.category)}
                       : std::string{"unknown"};
  switch (outcome.status) {
    case domain::record_status::converted:
      ++summary.converted;
      for (const auto& table : outcome.tables) {
        summary.rows_per_table[table.table] += table.rows.size();
      }
      break;
    case domain::record_status::rejected:
      ++summary.rejected;
      ++summary.rejected_by_category[category];
      break;
    case domain::record_status::failed:
      ++summary.failed;
      ++summary.failed_by_category[category];
      st.log->warn("record failed record={} category={} attempts={}",
                   outcome.key, category, outcome.attempts);
      break;
  }
}

int final_exit_code(const root_state& st) {
  if (st.summary.exit_code == exit_aborted) {
    return exit_aborted;
  }
  if (st.stop_exit_code != 0) {
    return st.stop_exit_code;
  }
  return st.summary.failed > 0 ? exit_some_failed : exit_all_good;
}

/// Ends the run early: what is committed stays, a rerun resumes the rest.
void abort_run(root_actor* self, const std::string& reason) {
  auto& st = self->state;
  if (st.summary.exit_code == exit_aborted || st.finishing) {
    return;
  }
  st.log->error("run aborted reason={}", reason);
  st.summary.exit_code = exit_aborted;
  st.summary.abort_reason = reason;
  finish(self);
}

// -- writing ---------------------------------------------------------------

void send_to_writer(root_actor* self, const domain::record_outcome& outcome) {
  auto& st = self->state;
  if (!st.writer) {
    return;  // Sent when the restarted writer reports ready.
  }
  const auto key = outcome.key;
  self->request(st.writer, write_timeout, outcome)
      .then(
          [=](domain::record_outcome& written) {
            auto& state = self->state;
            if (state.unacked.erase(key) == 0) {
              return;  // Answered already, by a previous writer.
            }
            --state.in_flight;
            account(state, written);
            pump(self);
          },
          [=](caf::error& error) {
            // Any other error means the writer went away (it crashed):
            // the record stays unconfirmed and goes to its successor.
            if (is_target_unavailable(error) ||
                error == caf::sec::request_timeout) {
              abort_run(self, "writer: " + describe_error(error));
            }
          });
}

/// Queues a finished record and sends the writer every record that is
/// next in key order.
void hand_to_writer(root_actor* self, domain::record_outcome outcome) {
  auto& st = self->state;
  const auto key = outcome.key;
  st.ready.emplace(key, std::move(outcome));
  while (!st.ready.empty() && !st.unreleased.empty() &&
         st.ready.begin()->first == *st.unreleased.begin()) {
    auto next = st.ready.extract(st.ready.begin());
    st.unreleased.erase(st.unreleased.begin());
    auto [entry, inserted] =
        st.unacked.emplace(next.key(), std::move(next.mapped()));
    if (inserted) {
      send_to_writer(self, entry->second);
    }
  }
}

// -- transforming ------------------------------------------------------------

/// Records whether the last record crashed its transformer; ends the run
/// when most recent records did, which points at the system, not the data.
void note_transform_result(root_actor* self, bool crashed) {
  auto& st = self->state;
  st.recent_crashes.push_back(crashed);
  if (st.recent_crashes.size() > st.settings.systemic_window) {
    st.recent_crashes.pop_front();
  }
  if (st.recent_crashes.size() < st.settings.systemic_window) {
    return;
  }
  const auto crashes = static_cast<double>(
      std::count(st.recent_crashes.begin(), st.recent_crashes.end(), true));
  if (crashes / static_cast<double>(st.settings.systemic_window) >=
      st.settings.systemic_ratio) {
    const auto reason = "systemic failure: " +
                        std::to_string(static_cast<int>(crashes)) + " of the last " +
                        std::to_string(st.settings.systemic_window) +
                        " records crashed their transformer";
    emit(st, infra::event{"systemic_failure"}.set_reason(reason)
                 .mark_important());
    abort_run(self, reason);
  }
}

/// The record's transformer crashed because of it: retry it on another
/// actor, or fail it once it has had all its tries.
void on_record_crash(root_actor* self, domain::source_record record,
                     const std::string& actor, const std::string& reason) {
  auto& st = self->state;
  note_transform_result(self, true);
  if (record.attempt >= st.settings.max_attempts) {
    emit(st, infra::event{"record_failed"}
                 .set_actor(actor)
                 .set_record(record.key)
                 .set_attempt(record.attempt)
                 .set_category("crash")
                 .set_reason(reason)
                 .mark_important());
    auto outcome = domain::unconverted_outcome(
        record.key, domain::record_status::failed,
        domain::failure_category::crash, reason);
    outcome.attempts = record.attempt;
    hand_to_writer(self, std::move(outcome));
    return;
  }
  ++record.attempt;
  emit(st, infra::event{"record_retried"}
               .set_actor(actor)
               .set_record(record.key)
               .set_attempt(record.attempt)
               .set_reason(reason));
  st.pending.push_front(std::move(record));
}

/// The record ran over its time budget: it fails as `timeout` and the
/// actor, which may be stuck in it for good, gets no more work.
void on_record_timeout(root_actor* self, const caf::actor& worker,
                       domain::source_record record,
                       const std::string& actor) {
  auto& st = self->state;
  const auto reason = "transformation took longer than " +
                      std::to_string(st.settings.record_timeout.count()) +
                      " ms";
  emit(st, infra::event{"record_failed"}
               .set_actor(actor)
               .set_record(record.key)
               .set_attempt(record.attempt)
               .set_category("timeout")
               .set_reason(reason)
               .mark_important());
  st.worker_names.erase(worker.address());
  self->send_exit(worker, caf::exit_reason::kill);
  auto outcome = domain::unconverted_outcome(
      record.key, domain::record_status::failed,
      domain::failure_category::timeout, reason);
  outcome.attempts = record.attempt;
  hand_to_writer(self, std::move(outcome));
}

void on_transform_error(root_actor* self, const caf::actor& worker,
                        const caf::error& error) {
  auto& st = self->state;
  auto entry = st.busy.find(worker.address());
  if (entry == st.busy.end()) {
    return;
  }
  auto record = std::move(entry->second);
  st.busy.erase(entry);
  const auto actor = st.worker_names[worker.address()];
  if (error == caf::sec::request_timeout) {
    on_record_timeout(self, worker, std::move(record), actor);
    return;
  }
  if (crashed_record(error) == record.key) {
    on_record_crash(self, std::move(record), actor, describe_error(error));
  } else {
    // The actor went away for another reason (stopped by its supervisor
    // along with a crashed sibling): not this record's fault.
    st.pending.push_front(std::move(record));
  }
}

void dispatch(root_actor* self, caf::actor worker,
              domain::source_record record) {
  auto& st = self->state;
  st.busy[worker.address()] = record;
  self->request(worker, st.settings.record_timeout, std::move(record))
      .then(
          [=](domain::record_outcome& outcome) {
            auto& state = self->state;
            state.busy.erase(worker.address());
            if (state.worker_names.count(worker.address())) {
              state.idle.push_back(worker);
            }
            note_transform_result(self, false);
            hand_to_writer(self, std::move(outcome));
            pump(self);
          },
          [=](caf::error& error) {
            on_transform_error(self, worker, error);
            pump(self);
          });
}

// -- reading -----------------------------------------------------------------

/// A record that was in flight at earlier process deaths starts at a
/// later attempt; one that was so too often fails without being touched,
/// since touching it may well kill the process again.
bool fails_as_process_crash(root_actor* self, domain::source_record& record) {
  auto& st = self->state;
  auto crashes = st.settings.process_crashes.find(record.key);
  if (crashes == st.settings.process_crashes.end()) {
    return false;
  }
  record.attempt = 1 + crashes->second;
  if (crashes->second < st.settings.max_process_crashes) {
    return false;
  }
  const auto reason = "the process died " + std::to_string(crashes->second) +
                      " times while this record was being transformed";
  emit(st, infra::event{"record_failed"}
               .set_record(record.key)
               .set_attempt(crashes->second)
               .set_category("process_crash")
               .set_reason(reason)
               .mark_important());
  auto outcome = domain::unconverted_outcome(
      record.key, domain::record_status::failed,
      domain::failure_category::process_crash, reason);
  outcome.attempts = crashes->second;
  // Keeps key order: the record counts as read and is released in turn.
  st.unreleased.insert(record.key);
  hand_to_writer(self, std::move(outcome));
  return true;
}

void on_page(root_actor* self, source_page& page) {
  auto& st = self->state;
  st.page_requested = false;
  st.read_failures = 0;
  st.reading_done = page.exhausted;
  st.scanned_up_to = std::max(st.scanned_up_to, page.scanned_up_to);
  st.summary.already_done += page.skipped;
  st.summary.read += page.records.size();
  st.in_flight += page.records.size();
  for (auto& record : page.records) {
    if (fails_as_process_crash(self, record)) {
      continue;
    }
    st.unreleased.insert(record.key);
    st.pending.push_back(std::move(record));
  }
  if (st.settings.limit != 0 && st.summary.read >= st.settings.limit) {
    st.reading_done = true;
  }
  pump(self);
}

void on_page_error(root_actor* self, const caf::actor& reader,
                   const caf::error& error) {
  auto& st = self->state;
  st.page_requested = false;
  if (st.reader != reader) {
    return;  // That reader is gone; its successor is asked when ready.
  }
  if (++st.read_failures > read_failures_to_give_up) {
    abort_run(self, "reader: " + describe_error(error));
    return;
  }
  const auto delay = std::min<std::chrono::milliseconds>(
      first_read_retry * (1 << (st.read_failures - 1)), longest_read_retry);
  st.log->warn("read failed failures={} retry_in_ms={} reason={}",
               st.read_failures, delay.count(), describe_error(error));
  st.page_requested = true;  // Hold further requests until the retry.
  self->delayed_send(self, delay, pump_atom::value);
}

void request_page(root_actor* self) {
  auto& st = self->state;
  const auto room = st.settings.max_in_flight -
                    std::min(st.settings.max_in_flight, st.in_flight);
  auto wanted = std::min(room, st.settings.workers * prefetch_per_worker);
  if (st.settings.limit != 0) {
    wanted = std::min(wanted, st.settings.limit - st.summary.read);
  }
  if (wanted == 0) {
    return;
  }
  st.page_requested = true;
  const auto reader = st.reader;
  self->request(reader, setup_timeout, next_page_atom::value,
                st.scanned_up_to, wanted)
      .then([=](source_page& page) { on_page(self, page); },
            [=](caf::error& error) { on_page_error(self, reader, error); });
}

/// A record that was in flight when a process died is transformed alone:
/// if the process dies again, nothing else was in flight to be blamed.
bool is_suspect(const root_state& st, domain::record_key key) {
  return st.settings.process_crashes.count(key) > 0;
}

bool may_dispatch_next(const root_state& st) {
  for (const auto& [worker, record] : st.busy) {
    if (is_suspect(st, record.key)) {
      return false;
    }
  }
  return st.busy.empty() || !is_suspect(st, st.pending.front().key);
}

void pump(root_actor* self) {
  auto& st = self->state;
  if (st.finishing || !st.run_begun) {
    return;
  }
  const bool input_closed = st.reading_done || st.stopping;
  if (!input_closed && !st.page_requested && !st.circuit_open &&
      st.reader && st.pending.size() < st.settings.workers) {
    request_page(self);
  }
  while (!st.idle.empty() && !st.pending.empty() && may_dispatch_next(st)) {
    auto worker = st.idle.back();
    st.idle.pop_back();
    auto record = std::move(st.pending.front());
    st.pending.pop_front();
    dispatch(self, worker, std::move(record));
  }
  if (input_closed && st.pending.empty() && st.busy.empty()) {
    if (st.in_flight == 0) {
      finish(self);
    } else if (st.writer) {
      // Nothing more will arrive: commit the partial batch now.
      self->send(st.writer, flush_atom::value);
    }
  }
}

// -- the tree ----------------------------------------------------------------

supervisor_spec source_tree(root_actor* self) {
  const auto& s = self->state.settings;
  auto reader_settings = s.reader;
  caf::actor registry = caf::actor_cast<caf::actor>(self);
  return {"source",
          s.source_policy,
          {{"reader",
            [registry, reader_settings](caf::local_actor* parent) {
              return spawn_reader(parent, registry, reader_settings);
            }}},
          s.events,
          s.seed};
}

supervisor_spec transform_tree(root_actor* self) {
  const auto& s = self->state.settings;
  caf::actor registry = caf::actor_cast<caf::actor>(self);
  supervisor_spec spec{"transform", s.transform_policy, {}, s.events, s.seed};
  for (std::size_t index = 1; index <= s.workers; ++index) {
    transformer_settings worker{"transformer-" + std::to_string(index),
                                s.router,    s.events, s.faults,
                                s.journal,   index - 1};
    spec.children.push_back(
        {worker.name, [registry, worker](caf::local_actor* parent) {
           return spawn_transformer(parent, registry, worker);
         }});
  }
  return spec;
}

supervisor_spec sink_tree(root_actor* self) {
  const auto& s = self->state.settings;
  auto writer_settings = s.writer;
  caf::actor registry = caf::actor_cast<caf::actor>(self);
  return {"sink",
          s.sink_policy,
          {{"writer",
            [registry, writer_settings](caf::local_actor* parent) {
              return spawn_writer(parent, registry, writer_settings);
            }}},
          s.events,
          s.seed};
}

void begin_run(root_actor* self) {
  auto& st = self->state;
  self->request(st.writer, setup_timeout, begin_run_atom::value,
                st.settings.settings_json)
      .then(
          [=]() {
            self->state.run_begun = true;
            pump(self);
          },
          [=](caf::error& error) { abort_run(self, describe_error(error)); });
}

void on_ready(root_actor* self, const std::string& name, caf::actor worker) {
  auto& st = self->state;
  if (st.finishing) {
    return;
  }
  self->monitor(worker);
  st.worker_names[worker.address()] = name;
  if (name == "reader") {
    st.reader = worker;
  } else if (name == "writer") {
    st.writer = worker;
    if (!st.run_begun) {
      begin_run(self);
    }
    for (const auto& [key, outcome] : st.unacked) {
      send_to_writer(self, outcome);
    }
  } else {
    st.idle.push_back(worker);
  }
  pump(self);
}

void on_down(root_actor* self, const caf::down_msg& down) {
  auto& st = self->state;
  if (st.finishing) {
    return;
  }
  for (auto* tree : {&st.source_supervisor, &st.transform_supervisor,
                     &st.sink_supervisor}) {
    if (*tree && down.source == tree->address()) {
      const auto reason = describe_error(down.reason);
      emit(st, infra::event{"escalated"}.set_reason(reason).mark_important());
      abort_run(self, reason);
      return;
    }
  }
  st.worker_names.erase(down.source);
  st.idle.erase(std::remove_if(st.idle.begin(), st.idle.end(),
                               [&](const caf::actor& worker) {
                                 return worker.address() == down.source;
                               }),
                st.idle.end());
  if (st.reader && down.source == st.reader.address()) {
    st.reader = nullptr;
  } else if (st.writer && down.source == st.writer.address()) {
    st.writer = nullptr;
  }
}

// -- life cycle ----------------------------------------------------------------

void start_tree(root_actor* self) {
  auto& st = self->state;
  st.started = std::chrono::steady_clock::now();
  emit(st, infra::event{"run_started"}.set_detail(
               "settings", nlohmann::json::parse(st.settings.settings_json)));
  // The sink first, so the run's row exists before anything is read.
  st.sink_supervisor = spawn_supervisor(self, sink_tree(self));
  st.transform_supervisor = spawn_supervisor(self, transform_tree(self));
  st.source_supervisor = spawn_supervisor(self, source_tree(self));
}

void stop_tree(root_actor* self) {
  auto& st = self->state;
  for (auto* tree : {&st.source_supervisor, &st.transform_supervisor,
                     &st.sink_supervisor}) {
    if (*tree) {
      self->send_exit(*tree, caf::exit_reason::user_shutdown);
    }
  }
}

void deliver_summary(root_actor* self) {
  auto& st = self->state;
  auto& s = st.summary;
  s.elapsed_seconds = std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - st.started)
                          .count();
  emit(st, infra::event{"run_finished"}
               .set_detail("read", s.read)
               .set_detail("already_done", s.already_done)
               .set_detail("converted", s.converted)
               .set_detail("rejected", s.rejected)
               .set_detail("failed", s.failed)
               .set_detail("exit_code", s.exit_code)
               .set_detail("elapsed_s", s.elapsed_seconds)
               .set_reason(s.abort_reason)
               .mark_important());
  st.settings.events->flush();
  st.done.deliver(s);
  stop_tree(self);
  self->quit();
}

/// Records the run's end in the target, then answers the start request.
void finish(root_actor* self) {
  auto& st = self->state;
  if (st.finishing) {
    return;
  }
  st.finishing = true;
  st.summary.exit_code = final_exit_code(st);
  infra::run_totals totals{st.summary.read, st.summary.converted,
                           st.summary.rejected, st.summary.failed};
  if (!st.writer) {
    deliver_summary(self);
    return;
  }
  self->request(st.writer, setup_timeout, finish_run_atom::value, totals,
                st.summary.exit_code)
      .then([=]() { deliver_summary(self); },
            [=](caf::error& error) {
              self->state.log->error("run row not completed reason={}",
                                     describe_error(error));
              deliver_summary(self);
            });
}

void on_stop(root_actor* self, int signal_number) {
  auto& st = self->state;
  emit(st, infra::event{"shutdown_requested"}
               .set_detail("signal", signal_number)
               .mark_important());
  st.log->warn("shutdown requested signal={}", signal_number);
  st.stopping = true;
  st.stop_exit_code = signal_exit_base + signal_number;
  // Records read but not handed to a transformer have no log row; the next
  // run reads them again.
  st.in_flight -= std::min(st.in_flight, st.pending.size());
  st.summary.read -= std::min(st.summary.read, st.pending.size());
  for (const auto& record : st.pending) {
    st.unreleased.erase(record.key);
  }
  st.pending.clear();
  // Records behind a dropped one may now be next in order.
  if (!st.ready.empty()) {
    auto first = st.ready.extract(st.ready.begin());
    hand_to_writer(self, std::move(first.mapped()));
  }
  pump(self);
}

caf::behavior run_supervisor(root_actor* self, supervisor_settings settings) {
  self->state.settings = std::move(settings);
  self->state.summary.run_id = self->state.settings.writer.run_id;
  self->set_default_handler(caf::drop);
  self->set_down_handler([self](caf::down_msg& down) { on_down(self, down); });
  return {
      [=](start_atom) -> caf::result<run_summary> {
        self->state.done = self->make_response_promise();
        start_tree(self);
        return caf::delegated<run_summary>{};
      },
      [=](ready_atom, const std::string& name, caf::actor worker) {
        on_ready(self, name, std::move(worker));
      },
      [=](circuit_atom, bool open) {
        self->state.circuit_open = open;
        pump(self);
      },
      [=](pump_atom) {
        self->state.page_requested = false;
        pump(self);
      },
      [=](stop_atom, int signal_number) { on_stop(self, signal_number); },
  };
}

}  // namespace

caf::actor spawn_run_supervisor(caf::actor_system& system,
                                supervisor_settings settings) {
  return system.spawn(run_supervisor, std::move(settings));
}

}  // namespace xmlshred::actors
