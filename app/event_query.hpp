#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/record.hpp"

namespace xmlshred::app {

// -- times --------------------------------------------------------------------

/// A point in time, UTC, to the millisecond.
using utc_time = std::chrono::time_point<std::chrono::system_clock,
                                         std::chrono::milliseconds>;

/// Parses an ISO-8601 UTC time: `YYYY-MM-DD`, optionally followed by `T`
/// (or a space) and `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fff` (1 to 9 fraction
/// digits, cut to milliseconds), optionally ending in `Z`. A missing time
/// is midnight. Nullopt for anything else, impossible dates (2026-02-30)
/// and offsets other than Z included.
[[nodiscard]] std::optional<utc_time> parse_utc_time(const std::string& text);

/// The forms parse_utc_time accepts, for messages.
constexpr const char* utc_time_syntax = "YYYY-MM-DD[THH:MM[:SS[.mmm]]][Z]";

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`, the event log's own form.
[[nodiscard]] std::string format_utc_time(utc_time time);

// -- reading ------------------------------------------------------------------

/// One well-formed line of the event log. The common fields are checked and
/// copied out; `fields` keeps the whole object, `text` the line as read.
struct event_line {
  std::size_t line_number = 0;
  std::string text;
  nlohmann::json fields;
  utc_time time;
  std::string run;
  std::uint64_t seq = 0;
  std::string type;
};

/// A line that is not an event: where it is and why, never what it holds.
struct malformed_line {
  std::size_t line_number = 0;
  std::string problem;
};

/// Checks one line: a JSON object with `ts` (a UTC time), `run` and `event`
/// (non-empty strings), `seq` (a non-negative integer), and, when present,
/// integer `record`, `attempt`, `restarts`, `backoff_ms` and string
/// `actor`, `supervisor`, `category`, `reason`, `strategy`. The problem
/// text names the field at fault and never quotes the line.
[[nodiscard]] std::variant<event_line, malformed_line> parse_event_line(
    const std::string& text, std::size_t line_number);

/// What scan_events saw.
struct scan_counts {
  std::size_t events = 0;
  std::size_t malformed = 0;
};

/// Reads `in` line by line (numbered from 1) and hands each event to
/// `on_event` and each malformed line to `on_malformed`, in file order.
/// Blank lines are skipped silently; a trailing carriage return is dropped.
/// Nothing is kept between lines, so files of any size stream through.
scan_counts scan_events(
    std::istream& in, const std::function<void(const event_line&)>& on_event,
    const std::function<void(const malformed_line&)>& on_malformed);

// -- filtering and printing ---------------------------------------------------

/// Which events to keep. Every set criterion must hold (AND); `types` is a
/// choice among types (OR); an empty filter keeps everything.
struct event_filter {
  std::optional<std::string> run;
  std::vector<std::string> types;
  std::optional<domain::record_key> record;
  /// Compared with the `actor` field only (not `supervisor`).
  std::optional<std::string> actor;
  /// Keeps events at or after this time.
  std::optional<utc_time> since;
};

[[nodiscard]] bool matches(const event_filter& filter, const event_line& event);

/// The event types the supervisor writes, in the order the docs list them.
[[nodiscard]] const std::vector<std::string>& known_event_types();

/// The fields an event of `type` shows first, in this order: actor,
/// supervisor, record, attempt, category, strategy, restarts, backoff_ms,
/// then the type's own fields as the event log reference lists them (for
/// run_started, run_finished, checkpoint and fault_injected).
[[nodiscard]] std::vector<std::string> field_order(const std::string& type);

/// One readable line: time, type (padded), `RUN #SEQ`, then `name=value`
/// for the fields in field_order, then the other fields by name, `reason`
/// last. Strings with spaces, quotes, `=` or control characters are quoted
/// with JSON escapes; other values print bare.
[[nodiscard]] std::string format_event(const event_line& event);

/// `text` as it is shown: bare, or JSON-quoted when it holds spaces, quotes,
/// `=` or control characters (so nothing read from a file can drive the
/// terminal or blur where a value ends).
[[nodiscard]] std::string quote_if_needed(const std::string& text);

/// `name=value` pairs, space-separated, for the members of `object`: the
/// `leading` names first in their order, then the others by name. Values
/// print as in format_event.
[[nodiscard]] std::string format_fields(
    const nlohmann::json& object, const std::vector<std::string>& leading);

// -- summarising --------------------------------------------------------------

/// Restart bookkeeping of one supervisor.
struct supervisor_counts {
  std::size_t restarts = 0;
  std::size_t intensity_exceeded = 0;
  std::size_t escalations = 0;
};

/// Crash bookkeeping of one actor.
struct actor_counts {
  std::size_t crashes = 0;
  std::size_t restarts = 0;
};

/// A record that crashed an actor or was retried.
struct troubled_record {
  domain::record_key key = 0;
  /// actor_crashed events naming the record.
  std::size_t crashes = 0;
  /// The highest attempt number any event gave for it (0 if none did).
  int attempts = 0;
  /// The category of its record_failed event; empty when it did not fail.
  std::string failed_category;
};

/// One stretch during which an actor's circuit was open.
struct circuit_opening {
  std::string actor;
  utc_time opened;
  /// Empty while the circuit was still open at the run's last event.
  std::optional<utc_time> closed;
  /// Until `closed`, or until the run's last event when still open.
  std::chrono::milliseconds open_for{0};
  /// `failures` of the circuit_opened event, when it gave one.
  std::optional<std::int64_t> failures;
  /// Probes let through (circuit_half_open) and failed probes that opened
  /// the circuit again before it closed.
  std::size_t half_opens = 0;
  std::size_t reopens = 0;
  /// The opening was not in the events read (cut off by --since, say): its
  /// start comes from the circuit_closed event's `open_ms`.
  bool start_inferred = false;
};

/// Everything --summary reports about one run.
struct run_summary {
  std::string run;
  utc_time first_event;
  utc_time last_event;
  std::size_t events = 0;
  std::map<std::string, std::size_t> events_by_type;
  std::map<std::string, supervisor_counts> supervisors;
  std::map<std::string, actor_counts> actors;
  /// Most crashes first, then most attempts, then lowest key; at most
  /// `most_crashed_limit` records.
  std::vector<troubled_record> most_crashed;
  std::map<std::string, std::size_t> failed_by_category;
  /// In the order the circuits opened.
  std::vector<circuit_opening> circuit_openings;
  /// Time at least one circuit was open (overlaps counted once).
  std::chrono::milliseconds reading_paused{0};
  /// run_started's own fields (the members of a nested `settings` object
  /// lifted to the top); null if not seen.
  nlohmann::json started;
  /// run_finished's own fields (counts, exit code, elapsed time); null if
  /// not seen.
  nlohmann::json finished;
};

/// How many records most_crashed lists.
constexpr std::size_t most_crashed_limit = 10;

/// Builds one run_summary per run from events fed in file order. Keeps per
/// run state proportional to the records and actors named, not to the
/// number of events. Not thread-safe.
class summary_builder {
 public:
  summary_builder();
  ~summary_builder();
  summary_builder(const summary_builder&) = delete;
  summary_builder& operator=(const summary_builder&) = delete;

  void add(const event_line& event);

  /// The runs in the order their first event appeared. Circuits still open
  /// are closed off at their run's last event.
  [[nodiscard]] std::vector<run_summary> finish() const;

 private:
  struct run_state;
  std::vector<std::string> order_;
  std::map<std::string, std::unique_ptr<run_state>> runs_;
};

/// The summaries as one JSON object: {"runs": [...], "malformed_lines": N},
/// members in the order the text summary shows them.
[[nodiscard]] nlohmann::ordered_json summary_to_json(
    const std::vector<run_summary>& runs, std::size_t malformed_lines);

}  // namespace xmlshred::app
