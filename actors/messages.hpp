#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "domain/record.hpp"
#include "infra/target_store.hpp"

namespace xmlshred::actors {

// -- atoms ---------------------------------------------------------------

/// Reader: reply with the next documents to convert.
using next_page_atom = caf::atom_constant<caf::atom("next_page")>;
/// Writer: commit whatever is buffered now.
using flush_atom = caf::atom_constant<caf::atom("flush")>;
/// Writer: the commit interval elapsed.
using tick_atom = caf::atom_constant<caf::atom("tick")>;
/// Writer: record the run's start / end in the `runs` table.
using begin_run_atom = caf::atom_constant<caf::atom("begin_run")>;
using finish_run_atom = caf::atom_constant<caf::atom("finish_run")>;
/// Supervisor: start the run; the reply is the run summary.
using start_atom = caf::atom_constant<caf::atom("start")>;
/// Supervisor: stop reading, finish what is in flight, then end.
using stop_atom = caf::atom_constant<caf::atom("stop")>;
/// Supervisor: restart a crashed child (sent after its backoff).
using restart_atom = caf::atom_constant<caf::atom("restart")>;
/// Worker -> run supervisor: "I am up", with the worker's name and handle,
/// sent by every worker when it starts (also after a restart).
using ready_atom = caf::atom_constant<caf::atom("ready")>;
/// Writer -> run supervisor: the circuit breaker opened (true) or closed.
using circuit_atom = caf::atom_constant<caf::atom("circuit")>;
/// Run supervisor: look again for work to hand out (after a backoff).
using pump_atom = caf::atom_constant<caf::atom("pump")>;
/// Writer: try the pending batch again (after a backoff or cool-down).
using retry_atom = caf::atom_constant<caf::atom("retry")>;

// -- messages ------------------------------------------------------------

/// A page of documents from the reader. `exhausted` is set once the source
/// has nothing more to give (or the run's limit is reached).
struct source_page {
  std::vector<domain::source_record> records;
  /// The highest key the reader has examined, handed out or skipped; the
  /// next request continues after it, even with a restarted reader.
  domain::record_key scanned_up_to = 0;
  bool exhausted = false;
  /// Records passed over for this page because they have a log row.
  std::size_t skipped = 0;
};

/// What the run did, reported by the supervisor when it ends.
struct run_summary {
  std::string run_id;
  std::size_t read = 0;
  /// Source records skipped because an earlier run finished them.
  std::size_t already_done = 0;
  std::size_t converted = 0;
  std::size_t rejected = 0;
  std::size_t failed = 0;
  std::map<std::string, std::size_t> rows_per_table;
  std::map<std::string, std::size_t> failed_by_category;
  std::map<std::string, std::size_t> rejected_by_category;
  double elapsed_seconds = 0;
  /// 0 all converted or rejected by rule, 1 some failed, 3 aborted,
  /// 130/143 stopped by SIGINT/SIGTERM.
  int exit_code = 0;
  /// Why the run aborted, empty otherwise.
  std::string abort_reason;
};

}  // namespace xmlshred::actors

// These values travel between actors of one process only; they are never
// serialized, so CAF's inspection boilerplate is not needed.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(xmlshred::domain::source_record)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(xmlshred::domain::record_outcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(xmlshred::actors::source_page)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(xmlshred::actors::run_summary)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(xmlshred::infra::run_totals)
