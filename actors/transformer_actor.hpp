#pragma once

#include <memory>

#include <caf/all.hpp>

#include "domain/document_mapper.hpp"
#include "infra/fault_injector.hpp"

namespace xmlshred::actors {

/// Spawns one transformer, detached because parsing a large document is
/// long, CPU-bound work. It answers a domain::source_record with its
/// domain::record_outcome. Expected problems (broken XML, missing values)
/// are outcomes; an exception kills the actor, and the request then fails
/// with the record's key in the error so its supervisor can retry it.
/// `faults` may be null (no fault injection: a single pointer test).
caf::actor spawn_transformer(
    caf::local_actor* parent,
    std::shared_ptr<const domain::document_router> router,
    std::shared_ptr<infra::fault_injector> faults);

}  // namespace xmlshred::actors
