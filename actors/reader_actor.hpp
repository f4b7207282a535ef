#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "domain/contract.hpp"
#include "infra/database_url.hpp"
#include "infra/event_log.hpp"
#include "infra/fault_injector.hpp"
#include "infra/document_source.hpp"

namespace xmlshred::actors {

/// What the reader needs: where the documents are, and where the log is
/// (to skip records already done).
struct reader_settings {
  /// A source table in a database, or generated documents (shaped by the
  /// first contract).
  infra::source_location source;
  infra::source_table_spec table;
  infra::database_url target;
  std::vector<std::shared_ptr<const domain::contract>> contracts;
  /// Keys read per keyset query while keys still need work; pages grow
  /// past this while every key read is already done.
  std::size_t key_page = 1000;
  std::shared_ptr<infra::event_log> events;
  /// Faults to inject at the `read` stage, or null.
  std::shared_ptr<infra::fault_injector> faults;
};

/// Spawns the reader, detached because it blocks on the database, and
/// monitored by `parent`. On start it sends (ready_atom, "reader", itself)
/// to `registry`. It answers (next_page_atom, record_key after, size_t max)
/// with a source_page of at most `max` records after `after` that have no
/// processing-log row yet, in key order. Only a fresh reader uses `after`;
/// a running one continues from its own position, which is ahead of it.
caf::actor spawn_reader(caf::local_actor* parent, caf::actor registry,
                        reader_settings settings);

}  // namespace xmlshred::actors
