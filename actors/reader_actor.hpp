#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include <caf/all.hpp>

#include "domain/contract.hpp"
#include "infra/database_url.hpp"
#include "infra/source_store.hpp"

namespace xmlshred::actors {

/// What the reader needs: where the documents are, where the log is (to
/// skip records already done) and when to stop.
struct reader_settings {
  infra::database_url source;
  infra::source_table_spec table;
  infra::database_url target;
  std::vector<std::shared_ptr<const domain::contract>> contracts;
  /// Keys read per keyset query.
  std::size_t key_page = 1000;
  /// Stop after this many records; 0 for no limit.
  std::size_t limit = 0;
};

/// Spawns the reader, detached because it blocks on the database. It
/// answers `(next_page_atom, size_t max)` with a source_page of at most
/// `max` records that have no processing-log row yet, in key order.
caf::actor spawn_reader(caf::local_actor* parent, reader_settings settings);

}  // namespace xmlshred::actors
