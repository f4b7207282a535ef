#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "infra/event_log.hpp"

namespace xmlshred::actors {

/// Which children restart when one crashes.
enum class restart_strategy {
  /// Only the crashed child.
  one_for_one,
  /// Every child.
  one_for_all,
  /// The crashed child and the children started after it.
  rest_for_one,
};

std::string_view to_string(restart_strategy strategy);
std::optional<restart_strategy> parse_restart_strategy(std::string_view text);

/// How a supervisor restarts its children and when it gives up.
struct restart_policy {
  restart_strategy strategy = restart_strategy::one_for_one;
  /// More than `max_restarts` systemic crashes within `within` escalate.
  int max_restarts = 10;
  std::chrono::milliseconds within{std::chrono::seconds{60}};
  /// Delay before a restart: `backoff_min` doubled per consecutive
  /// systemic crash up to `backoff_max`, each varied by +/- `jitter`
  /// (a fraction), back to the minimum after `reset_after` without crash.
  std::chrono::milliseconds backoff_min{100};
  std::chrono::milliseconds backoff_max{std::chrono::seconds{10}};
  double jitter = 0.2;
  std::chrono::milliseconds reset_after{std::chrono::seconds{30}};
};

/// A child: its name (as seen in events) and how to start it. `start`
/// spawns the child from the supervisor, monitored by it.
struct child_spec {
  std::string name;
  std::function<caf::actor(caf::local_actor* supervisor)> start;
};

struct supervisor_spec {
  std::string name;
  restart_policy policy;
  std::vector<child_spec> children;
  std::shared_ptr<infra::event_log> events;
  /// Seeds the jitter, so a run with a fixed seed repeats its delays.
  std::uint64_t seed = 0;
};

/// Spawns a supervisor that starts its children in order and restarts them
/// by its policy. A crash whose error names the record being handled (see
/// record_crash_error) is the record's fault: the child restarts at once
/// and the crash does not count against the restart intensity. When the
/// intensity is exceeded the supervisor stops its children and quits with
/// an error, so its own parent sees it go down (escalation). An exit
/// message makes it stop its children and quit.
caf::actor spawn_supervisor(caf::local_actor* parent, supervisor_spec spec);

/// The error a worker quits with when it crashed while handling `key`.
caf::error record_crash_error(std::int64_t key, const std::string& reason);

/// The record key named by a record_crash_error, if `error` is one.
std::optional<std::int64_t> crashed_record(const caf::error& error);

}  // namespace xmlshred::actors
