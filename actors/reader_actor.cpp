#include "actors/reader_actor.hpp"

#include <algorithm>
#include <deque>
#include <limits>
#include <utility>
#include <vector>

#include "actors/actor_errors.hpp"
#include "actors/messages.hpp"
#include "actors/supervisor_actor.hpp"
#include "infra/target_store.hpp"

namespace xmlshred::actors {
namespace {

constexpr const char* reader_name = "reader";
/// Largest key page. Pages double while every key read is already done,
/// so a resumed run crosses a finished stretch with one source query and
/// one log query per this many keys.
constexpr std::size_t max_key_page = 64 * 1024;
constexpr std::size_t page_growth = 2;

struct reader_state {
  static inline const char* name = "reader";

  reader_settings settings;
  std::unique_ptr<infra::document_source> source;
  std::unique_ptr<infra::target_store> log;
  /// Keys known to need work, in order, whose documents are not read yet.
  std::deque<domain::record_key> todo;
  domain::record_key last_key = std::numeric_limits<domain::record_key>::min();
  /// Keys asked for by the next keyset query; 0 until the first one.
  std::size_t key_page = 0;
  bool positioned = false;
  bool keys_exhausted = false;
};

using reader_actor = caf::stateful_actor<reader_state>;

/// Opens both connections on first use, so a failure becomes a reply.
std::optional<std::string> open_stores(reader_state& st) {
  if (st.source && st.log) {
    return std::nullopt;
  }
  auto source = infra::open_document_source(st.settings.source,
                                            st.settings.table,
                                            *st.settings.contracts.front());
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

/// Queues the keys of `page` that are not in `logged`; both ascending, so
/// one merge pass does it. Returns how many were already logged.
std::size_t queue_undone(const std::vector<domain::record_key>& page,
                         const std::vector<domain::record_key>& logged,
                         std::deque<domain::record_key>& todo) {
  std::size_t skipped = 0;
  auto done = logged.begin();
  for (auto key : page) {
    // Log rows of keys the source no longer holds are passed over.
    while (done != logged.end() && *done < key) {
      ++done;
    }
    if (done != logged.end() && *done == key) {
      ++skipped;
    } else {
      todo.push_back(key);
    }
  }
  return skipped;
}

/// Pulls key pages until `wanted` keys without a log row are queued or the
/// source ends. Done keys are dropped here, before any document is read:
/// the log is read by the key range of each page, not key by key.
std::optional<std::string> queue_keys(reader_state& st, std::size_t wanted,
                                      std::size_t& skipped) {
  if (st.key_page == 0) {
    st.key_page = st.settings.key_page;
  }
  while (st.todo.size() < wanted && !st.keys_exhausted) {
    const auto asked = st.key_page;
    auto keys = st.source->keys_after(st.last_key, asked);
    if (!keys) {
      return "cannot read source keys: " + keys.error().message;
    }
    if (keys.value().empty()) {
      st.keys_exhausted = true;
      break;
    }
    auto done = st.log->logged_keys_between(keys.value().front(),
                                            keys.value().back());
    if (!done) {
      return "cannot read the processing log: " + done.error().message;
    }

    // Move on only once the page is sorted out, so a failed log read
    // leaves its keys to the next try.
    st.keys_exhausted = keys.value().size() < asked;
    st.last_key = keys.value().back();
    const auto queued = st.todo.size();
    skipped += queue_undone(keys.value(), done.value(), st.todo);
    const auto grown = std::max(st.settings.key_page,
                                std::min(asked * page_growth, max_key_page));
    st.key_page = st.todo.size() == queued ? grown : st.settings.key_page;
  }
  return std::nullopt;
}

/// Strikes a `read` fault for the page about to be read, if one applies.
/// `error` and `disconnect` become a failed read, which the run supervisor
/// retries; the others act on the actor or the process.
std::optional<std::string> inject_read_fault(reader_actor* self,
                                             domain::record_key next_key) {
  auto& st = self->state;
  if (!st.settings.faults) {
    return std::nullopt;
  }
  const auto* fault = st.settings.faults->check(infra::fault_stage::read,
                                                next_key);
  if (!fault) {
    return std::nullopt;
  }
  st.settings.events->emit(infra::event{"fault_injected"}
                               .set_actor(reader_name)
                               .set_record(next_key)
                               .set_reason(fault->text)
                               .set_detail("stage", "read")
                               .set_detail("action",
                                           infra::to_string(fault->action))
                               .mark_important());
  if (fault->action == infra::fault_action::error ||
      fault->action == infra::fault_action::disconnect) {
    st.source.reset();
    st.log.reset();
    return "injected read failure (" + fault->text + ")";
  }
  infra::perform_fault(*fault, next_key);
  return std::nullopt;
}

caf::result<source_page> next_page(reader_actor* self,
                                   domain::record_key after,
                                   std::size_t max) {
  auto& st = self->state;
  if (!st.positioned) {
    st.last_key = after;
    st.positioned = true;
  }
  if (auto problem = inject_read_fault(self, st.last_key)) {
    return reason_error(*problem);
  }
  if (auto problem = open_stores(st)) {
    return reason_error(*problem);
  }
  source_page page;
  if (auto problem = queue_keys(st, max, page.skipped)) {
    st.source.reset();
    st.log.reset();
    return reason_error(*problem);
  }

  // Read the documents of the first `max` queued keys.
  std::vector<domain::record_key> keys;
  while (keys.size() < max && !st.todo.empty()) {
    keys.push_back(st.todo.front());
    st.todo.pop_front();
  }
  if (!keys.empty()) {
    auto records = st.source->fetch(keys);
    if (!records) {
      st.todo.insert(st.todo.begin(), keys.begin(), keys.end());
      return reason_error("cannot read source documents: " +
                          records.error().message);
    }
    page.records = std::move(records.value());
  }
  page.scanned_up_to = st.todo.empty() ? st.last_key : st.todo.front() - 1;
  page.exhausted = st.keys_exhausted && st.todo.empty();
  return page;
}

caf::behavior reader(reader_actor* self, caf::actor registry,
                     reader_settings settings) {
  self->state.settings = std::move(settings);
  self->set_exception_handler([](std::exception_ptr& error) {
    return describe_exception(error, "reader crashed");
  });
  self->send(registry, ready_atom::value, std::string{reader_name},
             caf::actor_cast<caf::actor>(self));
  return {
      [=](next_page_atom, domain::record_key after,
          std::size_t max) -> caf::result<source_page> {
        return next_page(self, after, max);
      },
  };
}

}  // namespace

caf::actor spawn_reader(caf::local_actor* parent, caf::actor registry,
                        reader_settings settings) {
  return parent->spawn<caf::detached + caf::monitored>(
      reader, std::move(registry), std::move(settings));
}

}  // namespace xmlshred::actors
