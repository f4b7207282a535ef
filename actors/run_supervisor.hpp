#pragma once

#include <cstddef>
#include <memory>

#include <caf/all.hpp>

#include "actors/reader_actor.hpp"
#include "actors/writer_actor.hpp"
#include "domain/document_mapper.hpp"
#include "infra/fault_injector.hpp"

namespace xmlshred::actors {

struct supervisor_settings {
  reader_settings reader;
  writer_settings writer;
  std::shared_ptr<const domain::document_router> router;
  /// Faults to inject, or null.
  std::shared_ptr<infra::fault_injector> faults;
  std::size_t workers = 1;
  /// Records read but not yet committed, at most (credit window).
  std::size_t max_in_flight = 400;
  /// Tries per record before a crashing record fails as `crash`.
  int max_attempts = 3;
};

/// Spawns the root supervisor of a run. It starts the writer, reader and
/// transformer pool, moves records through them under a credit window,
/// restarts crashed transformers and retries their record, and answers
/// `start_atom` with the run_summary once the run has ended. `stop_atom`
/// stops reading; what is in flight is still finished and committed.
caf::actor spawn_run_supervisor(caf::actor_system& system,
                                supervisor_settings settings);

}  // namespace xmlshred::actors
