#pragma once

// The run supervisor's state and the functions its two source files share:
// run_supervisor.cpp (the tree and the run's life cycle) and
// record_flow.cpp (moving records from reader to writer). Internal to
// actors/; other folders use run_supervisor.hpp.

#include <chrono>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/all.hpp>

#include "actors/messages.hpp"
#include "actors/run_supervisor.hpp"
#include "infra/logging.hpp"

namespace xmlshred::actors::detail {

constexpr const char* root_name = "root";
constexpr std::chrono::minutes setup_timeout{5};

struct root_state {
  static inline const char* name = "run_supervisor";

  supervisor_settings settings;
  caf::actor source_supervisor;
  caf::actor transform_supervisor;
  caf::actor sink_supervisor;
  caf::actor reader;
  caf::actor writer;
  std::vector<caf::actor> idle;
  std::unordered_map<caf::actor_addr, std::string> worker_names;
  /// Transformer -> the record it is working on (kept for a retry).
  std::unordered_map<caf::actor_addr, domain::source_record> busy;
  std::deque<domain::source_record> pending;
  /// Keys read and not yet handed to the writer, and the outcomes among
  /// them that are ready. Outcomes go to the writer in key order, so the
  /// target fills the same way whatever the timing (a contact id shared by
  /// two applications goes to the lower key, as in a one-by-one run).
  std::set<domain::record_key> unreleased;
  std::map<domain::record_key, domain::record_outcome> ready;
  /// Outcomes handed to the writer and not yet confirmed committed; sent
  /// again to a restarted writer.
  std::map<domain::record_key, domain::record_outcome> unacked;
  /// Records read and not yet answered by the writer.
  std::size_t in_flight = 0;
  domain::record_key scanned_up_to =
      std::numeric_limits<domain::record_key>::min();
  int read_failures = 0;
  /// Whether each of the last transformed records crashed its actor.
  std::deque<bool> recent_crashes;
  bool run_begun = false;
  bool page_requested = false;
  bool reading_done = false;
  bool circuit_open = false;
  bool stopping = false;
  bool finishing = false;
  int stop_exit_code = 0;
  run_summary summary;
  caf::response_promise done;
  std::chrono::steady_clock::time_point started;
  std::shared_ptr<spdlog::logger> log = infra::logger("supervisor");
};

using root_actor = caf::stateful_actor<root_state>;

/// Looks for work to hand out: pages to read, records to transform.
void pump(root_actor* self);
/// Records the run's end in the target, then answers the start request.
void finish(root_actor* self);
/// Ends the run early: what is committed stays, a rerun resumes the rest.
void abort_run(root_actor* self, const std::string& reason);
/// Writes an event, as the root unless `entry` names its supervisor.
void emit(root_state& st, infra::event entry);

/// Sends an unconfirmed outcome to the current writer, if there is one.
void send_to_writer(root_actor* self, const domain::record_outcome& outcome);
/// Queues a finished record and releases to the writer, in key order,
/// every record that is next.
void hand_to_writer(root_actor* self, domain::record_outcome outcome);
void on_page(root_actor* self, source_page& page);

}  // namespace xmlshred::actors::detail
