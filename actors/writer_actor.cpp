#include "actors/writer_actor.hpp"

#include <algorithm>
#include <thread>
#include <utility>

#include "actors/actor_errors.hpp"
#include "actors/messages.hpp"
#include "infra/logging.hpp"
#include "infra/target_store.hpp"

namespace xmlshred::actors {
namespace {

constexpr std::chrono::milliseconds first_retry_delay{50};
constexpr std::chrono::milliseconds longest_retry_delay{5000};

struct pending_record {
  domain::record_outcome outcome;
  caf::response_promise reply;
};

struct writer_state {
  static inline const char* name = "writer";

  writer_settings settings;
  std::unique_ptr<infra::target_store> store;
  std::vector<pending_record> buffer;
  /// Set while a tick is scheduled, so one partly filled batch gets one.
  bool tick_pending = false;
  std::shared_ptr<spdlog::logger> log = infra::logger("writer");
};

using writer_actor = caf::stateful_actor<writer_state>;

caf::result<void> begin_run(writer_actor* self) {
  auto& st = self->state;
  auto store = infra::target_store::open(st.settings.target,
                                         st.settings.contracts,
                                         st.settings.create_schema);
  if (!store) {
    return reason_error("cannot open the target: " + store.error().message);
  }
  st.store = std::move(store.value());
  auto started = st.store->begin_run(st.settings.run_id,
                                     st.settings.settings_json);
  if (!started) {
    return reason_error("cannot record the run: " + started.error().message);
  }
  return caf::unit;
}

/// Writes the batch, retrying transient failures with growing pauses. The
/// writer is detached, so sleeping here blocks nobody else.
infra::result<infra::batch_report> write_with_retries(
    writer_state& st, const std::vector<domain::record_outcome>& batch) {
  auto delay = first_retry_delay;
  for (int attempt = 1;; ++attempt) {
    auto report = st.store->write_batch(batch, st.settings.run_id);
    if (report || report.error().kind != infra::db_error_kind::transient ||
        attempt >= st.settings.max_batch_tries) {
      return report;
    }
    st.log->warn("batch retry attempt={} records={} delay_ms={} reason={}",
                 attempt, batch.size(), delay.count(),
                 report.error().message);
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, longest_retry_delay);
  }
}

void commit_buffer(writer_actor* self) {
  auto& st = self->state;
  if (st.buffer.empty()) {
    return;
  }
  std::vector<domain::record_outcome> batch;
  batch.reserve(st.buffer.size());
  for (auto& entry : st.buffer) {
    batch.push_back(std::move(entry.outcome));
  }
  auto pending = std::move(st.buffer);
  st.buffer.clear();

  auto report = write_with_retries(st, batch);
  if (!report) {
    // Nothing of this batch is committed; every sender learns it, and the
    // records stay eligible for the next run.
    auto failure = reason_error("batch not written: " +
                                report.error().message);
    for (auto& entry : pending) {
      entry.reply.deliver(failure);
    }
    return;
  }
  auto& written = report.value().written;
  for (std::size_t index = 0; index < pending.size(); ++index) {
    pending[index].reply.deliver(std::move(written[index]));
  }
  st.log->debug("batch committed records={}", pending.size());
}

void buffer_outcome(writer_actor* self, domain::record_outcome& outcome) {
  auto& st = self->state;
  st.buffer.push_back({std::move(outcome), self->make_response_promise()});
  if (st.buffer.size() >= st.settings.batch_size) {
    commit_buffer(self);
    return;
  }
  if (!st.tick_pending) {
    st.tick_pending = true;
    self->delayed_send(self, st.settings.commit_interval, tick_atom::value);
  }
}

caf::result<void> finish_run(writer_actor* self,
                                    const infra::run_totals& totals,
                                    int exit_code) {
  auto& st = self->state;
  commit_buffer(self);
  if (!st.store) {
    return caf::unit;
  }
  auto finished = st.store->finish_run(st.settings.run_id, totals,
                                       exit_code);
  if (!finished) {
    return reason_error("cannot complete the run's row: " +
                        finished.error().message);
  }
  return caf::unit;
}

caf::behavior writer(writer_actor* self, writer_settings settings) {
  self->state.settings = std::move(settings);
  return {
      [=](begin_run_atom) { return begin_run(self); },
      [=](domain::record_outcome& outcome) -> caf::result<domain::record_outcome> {
        buffer_outcome(self, outcome);
        return caf::delegated<domain::record_outcome>{};
      },
      [=](flush_atom) { commit_buffer(self); },
      [=](tick_atom) {
        self->state.tick_pending = false;
        commit_buffer(self);
      },
      [=](finish_run_atom, const infra::run_totals& totals, int exit_code) {
        return finish_run(self, totals, exit_code);
      },
  };
}

}  // namespace

caf::actor spawn_writer(caf::local_actor* parent, writer_settings settings) {
  return parent->spawn<caf::detached + caf::monitored>(writer,
                                                       std::move(settings));
}

}  // namespace xmlshred::actors
