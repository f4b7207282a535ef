#include "actors/run_state.hpp"

#include <algorithm>
#include <utility>

#include "actors/actor_errors.hpp"
#include "actors/writer_actor.hpp"

namespace xmlshred::actors::detail {
namespace {

/// Documents fetched ahead per transformer, so none waits for the reader.
constexpr std::size_t prefetch_per_worker = 4;
/// Failed page reads are retried with growing pauses, then the run ends.
constexpr std::chrono::milliseconds first_read_retry{100};
constexpr std::chrono::milliseconds longest_read_retry{5000};
constexpr int read_failures_to_give_up = 8;

}  // namespace

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

// -- writing ---------------------------------------------------------------

void send_to_writer(root_actor* self, const domain::record_outcome& outcome) {
  auto& st = self->state;
  if (!st.writer) {
    return;  // Sent when the restarted writer reports ready.
  }
  const auto key = outcome.key;
  // No timeout: the writer answers once the batch commits, and retries or
  // an open circuit may hold a record for minutes; the breaker gives up on
  // its own. A timeout would also cost a clock entry per record, kept
  // until it expires.
  self->request(st.writer, caf::infinite, outcome)
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

}  // namespace xmlshred::actors::detail
