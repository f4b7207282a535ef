#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>

#include <caf/all.hpp>

#include "actors/reader_actor.hpp"
#include "actors/supervisor_actor.hpp"
#include "actors/writer_actor.hpp"
#include "domain/document_mapper.hpp"
#include "infra/event_log.hpp"
#include "infra/fault_injector.hpp"
#include "infra/inflight_journal.hpp"

namespace xmlshred::actors {

struct supervisor_settings {
  reader_settings reader;
  writer_settings writer;
  std::shared_ptr<const domain::document_router> router;
  std::shared_ptr<infra::event_log> events;
  /// Faults to inject, or null.
  std::shared_ptr<infra::fault_injector> faults;
  /// JSON summary of the settings for the `runs` table and the events.
  std::string settings_json;
  std::size_t workers = 1;
  /// Records read but not yet committed, at most (credit window).
  std::size_t max_in_flight = 400;
  /// Stop after reading this many records; 0 for no limit.
  std::size_t limit = 0;
  /// Tries per record before a crashing record fails as `crash`.
  int max_attempts = 3;
  /// A record whose transformation takes longer fails as `timeout`.
  std::chrono::milliseconds record_timeout{60000};
  /// Systemic failure: `systemic_ratio` of the last `systemic_window`
  /// transformed records crashed.
  std::size_t systemic_window = 20;
  double systemic_ratio = 0.8;
  /// The in-flight journal the transformers write to.
  std::shared_ptr<infra::inflight_journal> journal;
  /// Records that were in flight when earlier processes died, with how
  /// many times; those at `max_process_crashes` fail as process_crash
  /// without being transformed, the others start at a later attempt.
  std::map<domain::record_key, int> process_crashes;
  int max_process_crashes = 3;
  restart_policy source_policy;
  restart_policy transform_policy;
  restart_policy sink_policy;
  std::uint64_t seed = 0;
};

/// Spawns the root of a run's supervision tree. It starts three
/// supervisors (source: the reader; transform: the transformer pool;
/// sink: the writer), moves records through their workers under a credit
/// window, retries records whose transformer crashed, redelivers to a
/// restarted writer what the old one had not committed, pauses reading
/// while the writer's circuit is open, and answers `start_atom` with the
/// run_summary once the run has ended. A child supervisor that escalates
/// ends the run with exit 3. `(stop_atom, int signal)` stops reading; what
/// is in flight is still finished and committed.
caf::actor spawn_run_supervisor(caf::actor_system& system,
                                supervisor_settings settings);

}  // namespace xmlshred::actors
