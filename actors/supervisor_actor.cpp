#include "actors/supervisor_actor.hpp"

#include <algorithm>
#include <deque>
#include <random>

#include "actors/actor_errors.hpp"
#include "actors/messages.hpp"

namespace xmlshred::actors {
namespace {

/// Tag of the error context that names a crashed record.
constexpr const char* record_crash_tag = "record_crash";

using clock_type = std::chrono::steady_clock;

struct child_slot {
  child_spec spec;
  caf::actor handle;
  int restarts = 0;
  /// Set while the supervisor itself stops the child for its strategy, so
  /// its exit is not taken for a crash.
  bool stopping = false;
  /// A restart came due while the stopped child was still going down; it
  /// happens as soon as the child is gone.
  bool restart_when_down = false;
};

struct supervisor_state {
  static inline const char* name = "supervisor";

  supervisor_spec spec;
  std::vector<child_slot> children;
  /// Times of recent systemic crashes, for the restart intensity.
  std::deque<clock_type::time_point> recent_crashes;
  int consecutive_crashes = 0;
  clock_type::time_point last_crash{};
  std::mt19937_64 jitter_source;
  bool shutting_down = false;
};

using supervisor_actor = caf::stateful_actor<supervisor_state>;

void emit(supervisor_state& st, infra::event entry) {
  entry.supervisor = st.spec.name;
  st.spec.events->emit(entry);
}

/// Exponential backoff with jitter; the streak resets after a calm period.
std::chrono::milliseconds next_backoff(supervisor_state& st,
                                       clock_type::time_point now) {
  const auto& policy = st.spec.policy;
  if (now - st.last_crash > policy.reset_after) {
    st.consecutive_crashes = 0;
  }
  const int doublings = std::min(st.consecutive_crashes, 30);
  ++st.consecutive_crashes;
  const auto doubled = policy.backoff_min.count() * (1LL << doublings);
  const auto capped = std::min<std::int64_t>(doubled,
                                             policy.backoff_max.count());
  std::uniform_real_distribution<double> spread{-policy.jitter,
                                                policy.jitter};
  const double factor = 1.0 + spread(st.jitter_source);
  return std::chrono::milliseconds{static_cast<std::chrono::milliseconds::rep>(
      static_cast<double>(capped) * factor)};
}

/// Records a systemic crash; true when the intensity is now exceeded.
bool intensity_exceeded(supervisor_state& st, clock_type::time_point now) {
  st.recent_crashes.push_back(now);
  while (!st.recent_crashes.empty() &&
         now - st.recent_crashes.front() > st.spec.policy.within) {
    st.recent_crashes.pop_front();
  }
  return static_cast<int>(st.recent_crashes.size()) >
         st.spec.policy.max_restarts;
}

void stop_children(supervisor_actor* self) {
  for (auto& child : self->state.children) {
    if (child.handle) {
      child.stopping = true;
      self->send_exit(child.handle, caf::exit_reason::user_shutdown);
    }
  }
}

void escalate(supervisor_actor* self, const std::string& child_name) {
  auto& st = self->state;
  const auto reason = "child " + child_name + " crashed more than " +
                      std::to_string(st.spec.policy.max_restarts) +
                      " times within " +
                      std::to_string(st.spec.policy.within.count()) + " ms";
  emit(st, infra::event{"intensity_exceeded"}
                .set_actor(child_name)
                .set_reason(reason)
                .set_restarts(static_cast<int>(st.recent_crashes.size()))
                .mark_important());
  emit(st, infra::event{"escalated"}.set_reason(reason).mark_important());
  st.shutting_down = true;
  stop_children(self);
  self->quit(reason_error("supervisor " + st.spec.name + ": " + reason));
}

/// Indices to restart when child `crashed` went down, by the strategy.
std::vector<std::size_t> restart_set(const supervisor_state& st,
                                     std::size_t crashed) {
  std::vector<std::size_t> set;
  for (std::size_t index = 0; index < st.children.size(); ++index) {
    const bool chosen =
        index == crashed ||
        st.spec.policy.strategy == restart_strategy::one_for_all ||
        (st.spec.policy.strategy == restart_strategy::rest_for_one &&
         index > crashed);
    // A sibling without a handle already has its own restart scheduled.
    if (chosen && (index == crashed || st.children[index].handle)) {
      set.push_back(index);
    }
  }
  return set;
}

void schedule_restarts(supervisor_actor* self, std::size_t crashed,
                       std::chrono::milliseconds delay) {
  auto& st = self->state;
  for (auto index : restart_set(st, crashed)) {
    auto& child = st.children[index];
    if (index != crashed && child.handle) {
      child.stopping = true;
      self->send_exit(child.handle, caf::exit_reason::user_shutdown);
    }
    if (delay.count() > 0) {
      emit(st, infra::event{"backoff"}
                    .set_actor(child.spec.name)
                    .set_backoff_ms(delay.count()));
    }
    self->delayed_send(self, delay, restart_atom::value, index);
  }
}

void restart_child(supervisor_actor* self, std::size_t index);

void on_child_down(supervisor_actor* self, const caf::down_msg& down) {
  auto& st = self->state;
  auto found = std::find_if(
      st.children.begin(), st.children.end(),
      [&](const child_slot& child) {
        return child.handle && child.handle.address() == down.source;
      });
  if (found == st.children.end()) {
    return;
  }
  found->handle = nullptr;
  const auto index = static_cast<std::size_t>(found - st.children.begin());
  if (found->stopping || st.shutting_down || !down.reason) {
    found->stopping = false;
    if (found->restart_when_down) {
      found->restart_when_down = false;
      restart_child(self, index);
    }
    return;
  }
  const auto record = crashed_record(down.reason);
  emit(st, infra::event{"actor_crashed"}
                .set_actor(found->spec.name)
                .set_record(record)
                .set_reason(describe_error(down.reason))
                .mark_important());
  const auto now = clock_type::now();
  std::chrono::milliseconds delay{0};
  if (!record) {
    // Only crashes not caused by one record count towards giving up.
    if (intensity_exceeded(st, now)) {
      escalate(self, found->spec.name);
      return;
    }
    delay = next_backoff(st, now);
    st.last_crash = now;
  }
  schedule_restarts(self, index, delay);
}

void restart_child(supervisor_actor* self, std::size_t index) {
  auto& st = self->state;
  if (st.shutting_down || index >= st.children.size()) {
    return;
  }
  auto& child = st.children[index];
  if (child.handle) {
    child.restart_when_down = true;
    return;
  }
  child.handle = child.spec.start(self);
  ++child.restarts;
  emit(st, infra::event{"actor_restarted"}
                .set_actor(child.spec.name)
                .set_strategy(std::string{to_string(st.spec.policy.strategy)})
                .set_restarts(child.restarts));
}

caf::behavior supervisor(supervisor_actor* self, supervisor_spec spec) {
  auto& st = self->state;
  st.jitter_source.seed(spec.seed);
  st.spec = std::move(spec);
  self->set_default_handler(caf::drop);
  self->set_down_handler(
      [self](caf::down_msg& down) { on_child_down(self, down); });
  self->set_exit_handler([self](caf::exit_msg& message) {
    self->state.shutting_down = true;
    stop_children(self);
    self->quit(message.reason);
  });
  for (auto& child : st.spec.children) {
    child_slot slot{child, child.start(self), 0, false, false};
    emit(st, infra::event{"actor_started"}.set_actor(child.name));
    st.children.push_back(std::move(slot));
  }
  return {
      [self](restart_atom, std::size_t index) { restart_child(self, index); },
  };
}

}  // namespace

std::string_view to_string(restart_strategy strategy) {
  switch (strategy) {
    case restart_strategy::one_for_one:
      return "one_for_one";
    case restart_strategy::one_for_all:
      return "one_for_all";
    case restart_strategy::rest_for_one:
      return "rest_for_one";
  }
  return "one_for_one";
}

std::optional<restart_strategy> parse_restart_strategy(std::string_view text) {
  for (auto strategy :
       {restart_strategy::one_for_one, restart_strategy::one_for_all,
        restart_strategy::rest_for_one}) {
    if (to_string(strategy) == text) {
      return strategy;
    }
  }
  return std::nullopt;
}

caf::actor spawn_supervisor(caf::local_actor* parent, supervisor_spec spec) {
  return parent->spawn<caf::monitored>(supervisor, std::move(spec));
}

caf::error record_crash_error(std::int64_t key, const std::string& reason) {
  return caf::make_error(caf::sec::runtime_error,
                         std::string{record_crash_tag}, key, reason);
}

std::optional<std::int64_t> crashed_record(const caf::error& error) {
  const auto& context = error.context();
  if (context.match_elements<std::string, std::int64_t, std::string>() &&
      context.get_as<std::string>(0) == record_crash_tag) {
    return context.get_as<std::int64_t>(1);
  }
  return std::nullopt;
}

}  // namespace xmlshred::actors
