#include "actors/reader_actor.hpp"

#include <deque>
#include <utility>

#include "actors/actor_errors.hpp"
#include "actors/messages.hpp"
#include "infra/logging.hpp"
#include "infra/target_store.hpp"

namespace xmlshred::actors {
namespace {

struct reader_state {
  static inline const char* name = "reader";

  reader_settings settings;
  std::unique_ptr<infra::source_store> source;
  std::unique_ptr<infra::target_store> log;
  /// Keys known to need work, in order, whose documents are not read yet.
  std::deque<domain::record_key> todo;
  domain::record_key last_key = 0;
  bool keys_exhausted = false;
  std::size_t handed_out = 0;
  std::size_t skipped = 0;
};

using reader_actor = caf::stateful_actor<reader_state>;

/// Opens both connections on first use, so a failure becomes a reply.
std::optional<std::string> open_stores(reader_state& st) {
  if (st.source) {
    return std::nullopt;
  }
  auto source = infra::source_store::open(st.settings.source,
                                          st.settings.table);
  if (!source) {
    return "cannot open the source: " + source.error().message;
  }
  auto log = infra::target_store::open(st.settings.target,
                                       st.settings.contracts, false);
  if (!log) {
    return "cannot open the target: " + log.error().message;
  }
  st.source = std::move(source.value());
  st.log = std::move(log.value());
  return std::nullopt;
}

/// Pulls key pages until `wanted` keys without a log row are queued or the
/// source ends. Done keys are dropped here, before any document is read.
std::optional<std::string> queue_keys(reader_state& st, std::size_t wanted) {
  while (st.todo.size() < wanted && !st.keys_exhausted) {
    auto keys = st.source->keys_after(st.last_key, st.settings.key_page);
    if (!keys) {
      return "cannot read source keys: " + keys.error().message;
    }
    if (keys.value().size() < st.settings.key_page) {
      st.keys_exhausted = true;
    }
    if (keys.value().empty()) {
      break;
    }
    st.last_key = keys.value().back();
    auto done = st.log->logged_keys(keys.value());
    if (!done) {
      return "cannot read the processing log: " + done.error().message;
    }
    for (auto key : keys.value()) {
      if (done.value().count(key)) {
        ++st.skipped;
      } else {
        st.todo.push_back(key);
      }
    }
  }
  return std::nullopt;
}

std::size_t remaining_allowance(const reader_state& st, std::size_t max) {
  if (st.settings.limit == 0) {
    return max;
  }
  const auto left = st.settings.limit - std::min(st.settings.limit,
                                                 st.handed_out);
  return std::min(max, left);
}

caf::result<source_page> next_page(reader_actor* self, std::size_t max) {
  auto& st = self->state;
  if (auto problem = open_stores(st)) {
    return reason_error(*problem);
  }
  const auto wanted = remaining_allowance(st, max);
  if (auto problem = queue_keys(st, wanted)) {
    return reason_error(*problem);
  }

  // Read the documents of the first `wanted` queued keys.
  std::vector<domain::record_key> keys;
  while (keys.size() < wanted && !st.todo.empty()) {
    keys.push_back(st.todo.front());
    st.todo.pop_front();
  }
  source_page page;
  if (!keys.empty()) {
    auto records = st.source->fetch(keys);
    if (!records) {
      return reason_error("cannot read source documents: " +
                          records.error().message);
    }
    page.records = std::move(records.value());
  }
  st.handed_out += page.records.size();
  page.already_done = st.skipped;
  const bool limit_reached =
      st.settings.limit != 0 && st.handed_out >= st.settings.limit;
  page.exhausted = limit_reached || (st.keys_exhausted && st.todo.empty());
  return page;
}

caf::behavior reader(reader_actor* self, reader_settings settings) {
  self->state.settings = std::move(settings);
  return {
      [=](next_page_atom, std::size_t max) -> caf::result<source_page> {
        return next_page(self, max);
      },
  };
}

}  // namespace

caf::actor spawn_reader(caf::local_actor* parent, reader_settings settings) {
  return parent->spawn<caf::detached + caf::monitored>(reader,
                                                       std::move(settings));
}

}  // namespace xmlshred::actors
