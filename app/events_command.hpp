#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/event_query.hpp"
#include "domain/record.hpp"

namespace xmlshred::app {

/// What `xmlshred events` was asked for.
struct events_options {
  std::string file;
  std::optional<std::string> run;
  std::vector<std::string> types;
  std::optional<domain::record_key> record;
  std::optional<std::string> actor;
  /// An ISO-8601 UTC time as typed; see parse_utc_time.
  std::optional<std::string> since;
  bool summary = false;
  bool json = false;
};

/// Adds `xmlshred events` to `parent`; `exit_code` receives the result.
void add_events_command(CLI::App& parent, events_options& options,
                        int& exit_code);

/// Reads the event log `options.file` and writes the matching events (or
/// their summary) to `out`; each malformed line is named on `err` by its
/// number, never by its content. Returns 0, 1 when some line was malformed,
/// 2 when the file cannot be read or `since` is not a time.
int show_events(const events_options& options, std::ostream& out,
                std::ostream& err);

/// The summaries as aligned text, one block per run, sections always in
/// the same order (an empty one says `none`).
[[nodiscard]] std::string format_summary(const std::vector<run_summary>& runs);

}  // namespace xmlshred::app
