#include "actors/run_supervisor.hpp"

#include <chrono>
#include <deque>
#include <unordered_map>
#include <utility>

#include "actors/actor_errors.hpp"
#include "actors/messages.hpp"
#include "actors/transformer_actor.hpp"
#include "infra/logging.hpp"

namespace xmlshred::actors {
namespace {

/// A transformer that has not answered in this long is considered hung.
constexpr std::chrono::minutes transform_timeout{10};
/// The writer answers once a batch commits; allow for slow disks and
/// transient-error retries before declaring it stuck.
constexpr std::chrono::minutes write_timeout{15};
constexpr std::chrono::minutes setup_timeout{5};
/// Documents fetched ahead per transformer, so none waits for the reader.
constexpr std::size_t prefetch_per_worker = 4;

constexpr int exit_all_good = 0;
constexpr int exit_some_failed = 1;
constexpr int exit_aborted = 3;
constexpr int signal_exit_base = 128;

struct supervisor_state {
  static inline const char* name = "run_supervisor";

  supervisor_settings settings;
  caf::actor reader;
  caf::actor writer;
  std::vector<caf::actor> idle;
  /// Transformer -> the record it is working on (kept for a retry).
  std::unordered_map<caf::actor_addr, domain::source_record> busy;
  std::unordered_map<caf::actor_addr, caf::actor> transformers;
  std::deque<domain::source_record> pending;
  /// Records read and not yet answered by the writer.
  std::size_t in_flight = 0;
  bool page_requested = false;
  bool reading_done = false;
  bool stopping = false;
  bool finishing = false;
  int stop_exit_code = 0;
  run_summary summary;
  caf::response_promise done;
  std::chrono::steady_clock::time_point started;
  std::shared_ptr<spdlog::logger> log = infra::logger("supervisor");
};

using supervisor_actor = caf::stateful_actor<supervisor_state>;

void pump(supervisor_actor* self);
void finish(supervisor_actor* self);

// -- accounting ------------------------------------------------------------

/// Rows per table of an outcome, taken before it goes to the writer: the
/// writer's reply carries the final status but not the rows.
using row_counts = std::vector<std::pair<std::string, std::size_t>>;

row_counts count_rows(const domain::record_outcome& outcome) {
  row_counts counts;
  for (const auto& table : outcome.tables) {
    counts.emplace_back(table.table, table.rows.size());
  }
  return counts;
}

void account(supervisor_state& st, const domain::record_outcome& outcome,
             const row_counts& rows) {
  auto& summary = st.summary;
  const auto category =
      outcome.category ? std::string{domain::to_string(*outcome.category)}
                       : std::string{"unknown"};
  switch (outcome.status) {
    case domain::record_status::converted:
      ++summary.converted;
      for (const auto& [table, count] : rows) {
        summary.rows_per_table[table] += count;
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

int final_exit_code(const supervisor_state& st) {
  if (st.summary.exit_code == exit_aborted) {
    return exit_aborted;
  }
  if (st.stop_exit_code != 0) {
    return st.stop_exit_code;
  }
  return st.summary.failed > 0 ? exit_some_failed : exit_all_good;
}

/// Ends the run early: what is committed stays, a rerun resumes the rest.
void abort_run(supervisor_actor* self, const std::string& reason) {
  auto& st = self->state;
  if (st.summary.exit_code == exit_aborted) {
    return;
  }
  st.log->error("run aborted reason={}", reason);
  st.summary.exit_code = exit_aborted;
  st.summary.abort_reason = reason;
  finish(self);
}

// -- records through the pipeline --------------------------------------------

void send_to_writer(supervisor_actor* self, domain::record_outcome outcome) {
  auto rows = count_rows(outcome);
  self->request(self->state.writer, write_timeout, std::move(outcome))
      .then(
          [=](domain::record_outcome& written) {
            --self->state.in_flight;
            account(self->state, written, rows);
            pump(self);
          },
          [=](caf::error& error) {
            --self->state.in_flight;
            abort_run(self, "writer: " + describe_error(error));
          });
}

/// A transformer died or hung on `record`: retry it on another actor, or
/// fail it once it has had all its tries.
void on_transform_failure(supervisor_actor* self,
                          domain::source_record record,
                          const std::string& reason) {
  auto& st = self->state;
  st.log->warn("transformer crashed record={} attempt={} reason={}",
               record.key, record.attempt, reason);
  if (record.attempt >= st.settings.max_attempts) {
    auto outcome = domain::unconverted_outcome(
        record.key, domain::record_status::failed,
        domain::failure_category::crash, reason);
    outcome.attempts = record.attempt;
    send_to_writer(self, std::move(outcome));
    return;
  }
  ++record.attempt;
  st.pending.push_front(std::move(record));
}

void dispatch(supervisor_actor* self, caf::actor worker,
              domain::source_record record) {
  auto& st = self->state;
  st.busy[worker.address()] = record;
  self->request(worker, transform_timeout, std::move(record))
      .then(
          [=](domain::record_outcome& outcome) {
            self->state.busy.erase(worker.address());
            self->state.idle.push_back(worker);
            send_to_writer(self, std::move(outcome));
            pump(self);
          },
          [=](caf::error& error) {
            auto& state = self->state;
            auto entry = state.busy.find(worker.address());
            if (entry == state.busy.end()) {
              return;
            }
            auto failed = std::move(entry->second);
            state.busy.erase(entry);
            if (error == caf::sec::request_timeout) {
              // A hung actor cannot be trusted with more work.
              self->send_exit(worker, caf::exit_reason::kill);
            }
            on_transform_failure(self, std::move(failed),
                                 describe_error(error));
            pump(self);
          });
}

void request_page(supervisor_actor* self) {
  auto& st = self->state;
  const auto room = st.settings.max_in_flight - std::min(
      st.settings.max_in_flight, st.in_flight);
  const auto wanted =
      std::min(room, st.settings.workers * prefetch_per_worker);
  if (wanted == 0) {
    return;
  }
  st.page_requested = true;
  self->request(st.reader, setup_timeout, next_page_atom::value, wanted)
      .then(
          [=](source_page& page) {
            auto& state = self->state;
            state.page_requested = false;
            state.reading_done = page.exhausted;
            state.summary.already_done = page.already_done;
            state.summary.read += page.records.size();
            state.in_flight += page.records.size();
            for (auto& record : page.records) {
              state.pending.push_back(std::move(record));
            }
            pump(self);
          },
          [=](caf::error& error) {
            self->state.page_requested = false;
            abort_run(self, "reader: " + describe_error(error));
          });
}

void pump(supervisor_actor* self) {
  auto& st = self->state;
  if (st.finishing) {
    return;
  }
  const bool input_closed = st.reading_done || st.stopping;
  if (!input_closed && !st.page_requested &&
      st.pending.size() < st.settings.workers) {
    request_page(self);
  }
  while (!st.idle.empty() && !st.pending.empty()) {
    auto worker = st.idle.back();
    st.idle.pop_back();
    auto record = std::move(st.pending.front());
    st.pending.pop_front();
    dispatch(self, worker, std::move(record));
  }
  if (input_closed && st.pending.empty() && st.busy.empty()) {
    if (st.in_flight == 0) {
      finish(self);
    } else {
      // Nothing more will arrive: commit the partial batch now.
      self->send(st.writer, flush_atom::value);
    }
  }
}

// -- life cycle ---------------------------------------------------------------

void spawn_transformer_into_pool(supervisor_actor* self) {
  auto worker = spawn_transformer(self, self->state.settings.router,
                                  self->state.settings.faults);
  self->state.transformers.emplace(worker.address(), worker);
  self->state.idle.push_back(worker);
}

void on_child_down(supervisor_actor* self, const caf::down_msg& down) {
  auto& st = self->state;
  if (st.finishing) {
    return;
  }
  if (st.transformers.erase(down.source) > 0) {
    // The record it held is retried by the failed request's handler.
    st.log->info("transformer restarted reason={}",
                 describe_error(down.reason));
    spawn_transformer_into_pool(self);
    pump(self);
    return;
  }
  if (down.source == st.writer.address()) {
    abort_run(self, "writer stopped: " + describe_error(down.reason));
  } else if (down.source == st.reader.address()) {
    abort_run(self, "reader stopped: " + describe_error(down.reason));
  }
}

void start_pipeline(supervisor_actor* self) {
  auto& st = self->state;
  st.reader = spawn_reader(self, st.settings.reader);
  for (std::size_t index = 0; index < st.settings.workers; ++index) {
    spawn_transformer_into_pool(self);
  }
  pump(self);
}

void stop_children(supervisor_actor* self) {
  auto& st = self->state;
  for (auto& [address, worker] : st.transformers) {
    self->send_exit(worker, caf::exit_reason::user_shutdown);
  }
  if (st.reader) {
    self->send_exit(st.reader, caf::exit_reason::user_shutdown);
  }
  if (st.writer) {
    self->send_exit(st.writer, caf::exit_reason::user_shutdown);
  }
}

void deliver_summary(supervisor_actor* self) {
  auto& st = self->state;
  st.summary.elapsed_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                    st.started)
          .count();
  st.done.deliver(st.summary);
  stop_children(self);
  self->quit();
}

/// Records the run's end in the target (committing any partial batch
/// first), then answers the start request with the summary.
void finish(supervisor_actor* self) {
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
  self->request(st.writer, write_timeout, finish_run_atom::value, totals,
                st.summary.exit_code)
      .then([=]() { deliver_summary(self); },
            [=](caf::error& error) {
              self->state.log->error("run row not completed reason={}",
                                     describe_error(error));
              deliver_summary(self);
            });
}

void on_stop(supervisor_actor* self, int signal_number) {
  auto& st = self->state;
  st.log->warn("shutdown requested signal={}", signal_number);
  st.stopping = true;
  st.stop_exit_code = signal_exit_base + signal_number;
  // Records read but not handed to a transformer have no log row; the next
  // run reads them again.
  st.in_flight -= std::min(st.in_flight, st.pending.size());
  st.summary.read -= std::min(st.summary.read, st.pending.size());
  st.pending.clear();
  pump(self);
}

caf::behavior run_supervisor(supervisor_actor* self,
                             supervisor_settings settings) {
  self->state.settings = std::move(settings);
  self->state.summary.run_id = self->state.settings.writer.run_id;
  self->set_default_handler(caf::drop);
  self->set_down_handler(
      [self](caf::down_msg& down) { on_child_down(self, down); });
  return {
      [=](start_atom) -> caf::result<run_summary> {
        auto& st = self->state;
        st.done = self->make_response_promise();
        st.started = std::chrono::steady_clock::now();
        st.writer = spawn_writer(self, st.settings.writer);
        self->request(st.writer, setup_timeout, begin_run_atom::value)
            .then([=]() { start_pipeline(self); },
                  [=](caf::error& error) {
                    abort_run(self, describe_error(error));
                  });
        return caf::delegated<run_summary>{};
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
