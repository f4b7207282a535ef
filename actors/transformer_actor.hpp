#pragma once

#include <memory>
#include <string>

#include <caf/all.hpp>

#include "domain/document_mapper.hpp"
#include "infra/event_log.hpp"
#include "infra/fault_injector.hpp"
#include "infra/inflight_journal.hpp"

namespace xmlshred::actors {

struct transformer_settings {
  /// Name in events, e.g. "transformer-2".
  std::string name;
  std::shared_ptr<const domain::document_router> router;
  std::shared_ptr<infra::event_log> events;
  /// Faults for the `parse` and `transform` stages, or null (then the only
  /// cost is one pointer test per stage).
  std::shared_ptr<infra::fault_injector> faults;
  /// Where this transformer notes the record it works on, and its slot.
  std::shared_ptr<infra::inflight_journal> journal;
  std::size_t journal_slot = 0;
};

/// Spawns one transformer, detached because parsing a large document is
/// long, CPU-bound work, and monitored by `parent`. On start it sends
/// (ready_atom, name, itself) to `registry`. It answers a
/// domain::source_record with its domain::record_outcome. Expected problems
/// (broken XML, missing values) are outcomes; an exception kills the actor
/// with a record_crash_error naming the record, so the request fails with
/// it and the supervisors know whose fault the crash was.
caf::actor spawn_transformer(caf::local_actor* parent, caf::actor registry,
                             transformer_settings settings);

}  // namespace xmlshred::actors
