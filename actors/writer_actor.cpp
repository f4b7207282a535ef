#include "actors/writer_actor.hpp"

#include <algorithm>
#include <unordered_set>
#include <utility>

#include "actors/actor_errors.hpp"
#include "actors/messages.hpp"
#include "infra/logging.hpp"
#include "infra/process_memory.hpp"
#include "infra/target_store.hpp"

namespace xmlshred::actors {
namespace {

constexpr const char* writer_name = "writer";
constexpr const char* target_unavailable_tag = "target_unavailable";
/// Free memory goes back to the system after a commit at most this often.
constexpr std::chrono::milliseconds free_memory_interval{1000};

enum class circuit_state { closed, open, half_open };

struct pending_record {
  domain::record_outcome outcome;
  caf::response_promise reply;
};

/// How one try of the pending batch went.
struct attempt_result {
  enum class kind { written, transient, fatal } result = kind::written;
  std::string reason;
};

struct writer_state {
  static inline const char* name = "writer";

  writer_settings settings;
  caf::actor registry;
  std::unique_ptr<infra::target_store> store;
  /// Records waiting for the next batch.
  std::vector<pending_record> buffer;
  /// The batch being written, kept across retries until it commits.
  std::vector<pending_record> batch;
  bool tick_pending = false;
  circuit_state circuit = circuit_state::closed;
  int consecutive_failures = 0;
  std::chrono::steady_clock::time_point opened_at{};
  std::size_t batches_committed = 0;
  infra::run_totals committed;
  infra::memory_returner memory{free_memory_interval};
  std::shared_ptr<spdlog::logger> log = infra::logger("writer");
};

using writer_actor = caf::stateful_actor<writer_state>;

void commit_buffer(writer_actor* self);

void emit(writer_state& st, infra::event entry) {
  entry.actor = writer_name;
  st.settings.events->emit(entry);
}

std::optional<std::string> ensure_store(writer_state& st) {
  if (st.store) {
    return std::nullopt;
  }
  auto store = infra::target_store::open(st.settings.target,
                                         st.settings.contracts,
                                         st.settings.create_schema);
  if (!store) {
    return store.error().message;
  }
  st.store = std::move(store.value());
  return std::nullopt;
}

// -- faults -------------------------------------------------------------------

/// Strikes the fault selected for `stage` and `key`, if any. `error` and
/// `disconnect` come back as a failure text (the try then fails as a
/// transient database error would); `throw` is left to the caller, which
/// must first let the database layer roll back; the rest act here.
std::optional<std::string> strike_fault(writer_state& st,
                                        infra::fault_stage stage,
                                        domain::record_key key,
                                        bool& crash_requested) {
  const auto* fault = st.settings.faults->check(stage, key);
  if (!fault) {
    return std::nullopt;
  }
  emit(st, infra::event{"fault_injected"}
               .set_record(key)
               .set_reason(fault->text)
               .set_detail("stage", infra::to_string(stage))
               .set_detail("action", infra::to_string(fault->action))
               .mark_important());
  switch (fault->action) {
    case infra::fault_action::error:
    case infra::fault_action::disconnect:
      return "injected database failure (" + fault->text + ")";
    case infra::fault_action::throw_exception:
      crash_requested = true;
      return "injected writer crash (" + fault->text + ")";
    default:
      infra::perform_fault(*fault, key);
      return std::nullopt;
  }
}

/// `write` faults strike per record before the batch's transaction.
std::optional<std::string> strike_write_faults(writer_state& st,
                                               bool& crash_requested) {
  if (!st.settings.faults) {
    return std::nullopt;
  }
  for (const auto& entry : st.batch) {
    if (auto failure = strike_fault(st, infra::fault_stage::write,
                                    entry.outcome.key, crash_requested)) {
      return failure;
    }
  }
  return std::nullopt;
}

/// The hook that strikes `commit` faults inside the transaction, after
/// the rows and before COMMIT; empty when no fault is configured.
std::function<void()> commit_fault_hook(writer_state& st,
                                        bool& crash_requested) {
  if (!st.settings.faults) {
    return {};
  }
  const auto key = st.batch.front().outcome.key;
  return [&st, key, &crash_requested] {
    if (auto failure = strike_fault(st, infra::fault_stage::commit, key,
                                    crash_requested)) {
      throw infra::injected_failure(*failure);
    }
  };
}

// -- writing ------------------------------------------------------------------

void count_committed(writer_state& st, const domain::record_outcome& done) {
  switch (done.status) {
    case domain::record_status::converted:
      ++st.committed.converted;
      break;
    case domain::record_status::rejected:
      ++st.committed.rejected;
      break;
    case domain::record_status::failed:
      ++st.committed.failed;
      break;
  }
}

/// Rows the database layer left out (a contact whose con_id another
/// application already holds, with its children) are named in notes it
/// adds to the record; each such record gets a warning event too, so the
/// data-quality review finds it without reading every log row.
void report_skipped_rows(writer_state& st,
                         const domain::record_outcome& handed_in,
                         const domain::record_outcome& written) {
  if (written.notes.size() <= handed_in.notes.size()) {
    return;
  }
  std::string reason;
  for (auto note = written.notes.begin() +
                   static_cast<std::ptrdiff_t>(handed_in.notes.size());
       note != written.notes.end(); ++note) {
    reason += (reason.empty() ? "" : "; ") + *note;
  }
  emit(st, infra::event{"rows_skipped"}
               .set_record(written.key)
               .set_reason(reason)
               .mark_important());
}

/// Writes the records of the batch that have no log row yet; answers all.
attempt_result write_pending_batch(writer_state& st, bool& crash_requested) {
  std::vector<domain::record_key> keys;
  for (const auto& entry : st.batch) {
    keys.push_back(entry.outcome.key);
  }
  auto logged = st.store->logged_keys(keys);
  if (!logged) {
    const bool transient =
        logged.error().kind == infra::db_error_kind::transient;
    return {transient ? attempt_result::kind::transient
                      : attempt_result::kind::fatal,
            logged.error().message};
  }
  // The batch keeps its outcomes across tries; the store reads them there.
  std::vector<const domain::record_outcome*> fresh;
  for (const auto& entry : st.batch) {
    if (!logged.value().count(entry.outcome.key)) {
      fresh.push_back(&entry.outcome);
    }
  }
  auto report = st.store->write_batch(fresh, st.settings.run_id,
                                     commit_fault_hook(st, crash_requested));
  if (!report) {
    const bool transient =
        report.error().kind == infra::db_error_kind::transient;
    return {transient ? attempt_result::kind::transient
                      : attempt_result::kind::fatal,
            report.error().message};
  }

  // Records written before by a writer that then crashed are answered
  // as they were handed in; the database already holds them.
  std::size_t next_written = 0;
  for (auto& entry : st.batch) {
    if (logged.value().count(entry.outcome.key)) {
      entry.reply.deliver(std::move(entry.outcome));
      continue;
    }
    auto& done = report.value().written[next_written++];
    count_committed(st, done);
    report_skipped_rows(st, entry.outcome, done);
    entry.reply.deliver(std::move(done));
  }
  return {};
}

void emit_checkpoint(writer_state& st) {
  const auto& c = st.committed;
  emit(st, infra::event{"checkpoint"}
               .set_detail("batches", st.batches_committed)
               .set_detail("committed", c.converted + c.rejected + c.failed)
               .set_detail("converted", c.converted)
               .set_detail("rejected", c.rejected)
               .set_detail("failed", c.failed));
}

void close_circuit(writer_actor* self) {
  auto& st = self->state;
  st.consecutive_failures = 0;
  if (st.circuit == circuit_state::closed) {
    return;
  }
  const auto open_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - st.opened_at)
                           .count();
  st.circuit = circuit_state::closed;
  emit(st, infra::event{"circuit_closed"}.set_detail("open_ms", open_ms));
  self->send(st.registry, circuit_atom::value, false);
}

/// Answers every waiting record with a target_unavailable error.
void give_up(writer_actor* self, const std::string& reason) {
  auto& st = self->state;
  st.log->error("target given up reason={}", reason);
  auto error = target_unavailable_error(reason);
  for (auto* group : {&st.batch, &st.buffer}) {
    for (auto& entry : *group) {
      entry.reply.deliver(error);
    }
    group->clear();
  }
}

/// Decides what follows a transient failure: a quick retry, opening the
/// circuit, another probe later, or giving up.
void on_transient_failure(writer_actor* self, const std::string& reason) {
  auto& st = self->state;
  const auto& breaker = st.settings.breaker;
  const auto now = std::chrono::steady_clock::now();
  ++st.consecutive_failures;
  // A dropped or busy connection is reopened for the next try.
  st.store.reset();
  st.log->warn("batch not committed records={} failures={} reason={}",
               st.batch.size(), st.consecutive_failures, reason);

  if (st.circuit == circuit_state::closed &&
      st.consecutive_failures < breaker.failures_to_open) {
    const auto delay = std::min<std::chrono::milliseconds>(
        breaker.first_retry * (1 << (st.consecutive_failures - 1)),
        breaker.cooldown);
    self->delayed_send(self, delay, retry_atom::value);
    return;
  }
  if (st.circuit == circuit_state::closed) {
    st.circuit = circuit_state::open;
    st.opened_at = now;
    emit(st, infra::event{"circuit_opened"}
                 .set_reason(reason)
                 .set_detail("failures", st.consecutive_failures)
                 .mark_important());
    self->send(st.registry, circuit_atom::value, true);
  } else {
    st.circuit = circuit_state::open;
  }
  if (now - st.opened_at > breaker.give_up_after) {
    give_up(self, "target unreachable for longer than " +
                      std::to_string(breaker.give_up_after.count()) +
                      " ms: " + reason);
    return;
  }
  self->delayed_send(self, breaker.cooldown, retry_atom::value);
}

void attempt_batch(writer_actor* self) {
  auto& st = self->state;
  attempt_result result;
  bool crash_requested = false;
  if (auto failure = strike_write_faults(st, crash_requested)) {
    result = {attempt_result::kind::transient, *failure};
  } else if (auto problem = ensure_store(st)) {
    result = {attempt_result::kind::transient, *problem};
  } else {
    result = write_pending_batch(st, crash_requested);
  }
  if (crash_requested) {
    // The batch is rolled back; the crash makes the sink supervisor
    // restart the writer and the root deliver the batch again.
    throw std::runtime_error(result.reason);
  }

  switch (result.result) {
    case attempt_result::kind::written:
      st.batch.clear();
      st.memory.maybe_return();
      close_circuit(self);
      if (++st.batches_committed % st.settings.checkpoint_every == 0) {
        emit_checkpoint(st);
      }
      if (st.buffer.size() >= st.settings.batch_size) {
        commit_buffer(self);
      }
      return;
    case attempt_result::kind::transient:
      on_transient_failure(self, result.reason);
      return;
    case attempt_result::kind::fatal:
      for (auto& entry : st.batch) {
        entry.reply.deliver(target_unavailable_error("batch not written: " +
                                                     result.reason));
      }
      st.batch.clear();
      return;
  }
}

void commit_buffer(writer_actor* self) {
  auto& st = self->state;
  // While a batch waits for a retry, new records wait behind it.
  if (!st.batch.empty() || st.buffer.empty()) {
    return;
  }
  st.batch = std::move(st.buffer);
  st.buffer.clear();
  attempt_batch(self);
}

void on_retry(writer_actor* self) {
  auto& st = self->state;
  if (st.batch.empty()) {
    return;
  }
  if (st.circuit == circuit_state::open) {
    st.circuit = circuit_state::half_open;
    emit(st, infra::event{"circuit_half_open"});
  }
  attempt_batch(self);
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

// -- the run's row --------------------------------------------------------------

caf::result<void> begin_run(writer_actor* self, const std::string& settings) {
  auto& st = self->state;
  if (auto problem = ensure_store(st)) {
    return reason_error("cannot open the target: " + *problem);
  }
  auto started = st.store->begin_run(st.settings.run_id, settings);
  if (!started) {
    return reason_error("cannot record the run: " + started.error().message);
  }
  return caf::unit;
}

caf::result<void> finish_run(writer_actor* self,
                             const infra::run_totals& totals, int exit_code) {
  auto& st = self->state;
  if (auto problem = ensure_store(st)) {
    return reason_error("cannot open the target: " + *problem);
  }
  // The last checkpoint states what this writer committed in all.
  emit_checkpoint(st);
  auto finished = st.store->finish_run(st.settings.run_id, totals,
                                       exit_code);
  if (!finished) {
    return reason_error("cannot complete the run's row: " +
                        finished.error().message);
  }
  return caf::unit;
}

caf::behavior writer(writer_actor* self, caf::actor registry,
                     writer_settings settings) {
  self->state.settings = std::move(settings);
  self->state.registry = registry;
  self->set_exception_handler([](std::exception_ptr& error) {
    return describe_exception(error, "writer crashed");
  });
  self->send(registry, ready_atom::value, std::string{writer_name},
             caf::actor_cast<caf::actor>(self));
  return {
      [=](begin_run_atom, const std::string& run_settings) {
        return begin_run(self, run_settings);
      },
      [=](domain::record_outcome& outcome)
          -> caf::result<domain::record_outcome> {
        buffer_outcome(self, outcome);
        return caf::delegated<domain::record_outcome>{};
      },
      [=](flush_atom) { commit_buffer(self); },
      [=](tick_atom) {
        self->state.tick_pending = false;
        commit_buffer(self);
      },
      [=](retry_atom) { on_retry(self); },
      [=](finish_run_atom, const infra::run_totals& totals, int exit_code) {
        return finish_run(self, totals, exit_code);
      },
  };
}

}  // namespace

caf::actor spawn_writer(caf::local_actor* parent, caf::actor registry,
                        writer_settings settings) {
  return parent->spawn<caf::detached + caf::monitored>(
      writer, std::move(registry), std::move(settings));
}

caf::error target_unavailable_error(const std::string& reason) {
  return caf::make_error(caf::sec::runtime_error,
                         std::string{target_unavailable_tag}, reason);
}

bool is_target_unavailable(const caf::error& error) {
  const auto& context = error.context();
  return context.match_elements<std::string, std::string>() &&
         context.get_as<std::string>(0) == target_unavailable_tag;
}

}  // namespace xmlshred::actors
