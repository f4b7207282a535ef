#pragma once

#include <string>

#include "config/run_config.hpp"

namespace xmlshred::app {

/// How the parent process restarts a run that died.
struct process_restart_policy {
  /// Consecutive restarts before giving up (exit 3, resumable by hand).
  int max_restarts = 10;
  /// First pause before a restart; doubles per consecutive restart.
  int backoff_min_ms = 1000;
  int backoff_max_ms = 60000;
  /// A run that lived this long resets the consecutive count.
  int stable_after_ms = 300000;
};

/// The top rung of the supervision ladder: runs this same command line
/// without --supervise in a child process, and restarts it after it dies
/// (a signal, an abort) or aborts resumably (exit 3), with backoff and a
/// limit. SIGINT/SIGTERM are passed on to the child. Each child start,
/// exit and restart is an event in `events_file`. Returns the exit code to
/// end with: the child's when it finished (0, 1), was misused (2) or was
/// stopped (130, 143); 3 when the restarts ran out.
int supervise_process(const process_restart_policy& policy,
                      const std::string& events_file);

}  // namespace xmlshred::app
