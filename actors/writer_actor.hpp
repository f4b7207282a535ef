#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "domain/contract.hpp"
#include "infra/database_url.hpp"
#include "infra/event_log.hpp"
#include "infra/fault_injector.hpp"

namespace xmlshred::actors {

/// When the writer stops trying a database that keeps failing.
struct breaker_settings {
  /// Consecutive transient failures that open the circuit.
  int failures_to_open = 3;
  /// How long the circuit stays open before one probe (half-open).
  std::chrono::milliseconds cooldown{2000};
  /// Open for longer than this: give up, the run ends with exit 3.
  std::chrono::milliseconds give_up_after{std::chrono::minutes{5}};
  /// First delay between retries while still closed; doubles per failure.
  std::chrono::milliseconds first_retry{50};
};

struct writer_settings {
  infra::database_url target;
  std::vector<std::shared_ptr<const domain::contract>> contracts;
  bool create_schema = true;
  std::string run_id;
  std::size_t batch_size = 200;
  std::chrono::milliseconds commit_interval{500};
  /// A `checkpoint` event after every this many committed batches.
  std::size_t checkpoint_every = 10;
  breaker_settings breaker;
  std::shared_ptr<infra::event_log> events;
  /// Faults for the `write` and `commit` stages, or null.
  std::shared_ptr<infra::fault_injector> faults;
};

/// Spawns the writer, detached because it blocks on the database, and
/// monitored by `parent`. On start it sends (ready_atom, "writer", itself)
/// to `registry`. Protocol:
/// - `begin_run_atom, std::string settings_json` records the run's start.
/// - a domain::record_outcome is buffered; the reply (the outcome as
///   finally written, e.g. failed/constraint if the database refused it)
///   comes only once its batch has committed, so a reply is a checkpoint.
///   A record whose key already has a log row (delivered again after a
///   writer restart) is answered without being written twice.
/// - `flush_atom` commits the buffer now.
/// - `finish_run_atom, run_totals, int exit_code` completes the run's row.
/// Transient database errors are retried with backoff behind a circuit
/// breaker, which it reports with (circuit_atom, bool open) to `registry`;
/// once it gives up, every waiting record is answered with a
/// target_unavailable error.
caf::actor spawn_writer(caf::local_actor* parent, caf::actor registry,
                        writer_settings settings);

/// The error the writer answers with once it gives up on the target: the
/// circuit stayed open too long, or the database refused a batch for a
/// reason retrying cannot cure (a missing table, a lost privilege).
caf::error target_unavailable_error(const std::string& reason);
bool is_target_unavailable(const caf::error& error);

}  // namespace xmlshred::actors
