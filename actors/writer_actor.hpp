#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "domain/contract.hpp"
#include "infra/database_url.hpp"

namespace xmlshred::actors {

struct writer_settings {
  infra::database_url target;
  std::vector<std::shared_ptr<const domain::contract>> contracts;
  bool create_schema = true;
  std::string run_id;
  /// JSON summary of the run's settings for the `runs` table.
  std::string settings_json;
  std::size_t batch_size = 200;
  std::chrono::milliseconds commit_interval{500};
  /// Tries of one batch against transient database errors.
  int max_batch_tries = 8;
};

/// Spawns the writer, detached because it blocks on the database.
/// Protocol:
/// - `begin_run_atom` opens the target (creating tables when allowed) and
///   records the run; replies unit or an error.
/// - a domain::record_outcome is buffered; the reply (the outcome as
///   finally written, e.g. failed/constraint if the database refused it)
///   arrives only once its batch has committed, so a reply is a checkpoint.
/// - `flush_atom` commits the buffer now.
/// - `finish_run_atom, run_totals, int exit_code` completes the run's row.
caf::actor spawn_writer(caf::local_actor* parent, writer_settings settings);

}  // namespace xmlshred::actors
