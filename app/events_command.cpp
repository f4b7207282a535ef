#include "app/events_command.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace xmlshred::app {
namespace {

constexpr int exit_ok = 0;
constexpr int exit_malformed = 1;
constexpr int exit_usage = 2;

/// Summary layout: section headings and their rows are indented so a run's
/// block reads as one unit under its `run ID` line.
constexpr const char* heading_indent = "  ";
constexpr const char* row_indent = "    ";
constexpr const char* cell_gap = "  ";
constexpr int milliseconds_per_second = 1000;
constexpr int millisecond_digits = 3;
/// Marks an opening whose start was worked out from `open_ms`.
constexpr const char* inferred_mark = "~";

using table = std::vector<std::vector<std::string>>;

/// "4.210s": durations of any length stay readable and exact to the ms.
std::string format_duration(std::chrono::milliseconds duration) {
  const auto total = duration.count();
  const auto magnitude = total < 0 ? -total : total;
  std::ostringstream out;
  out << (total < 0 ? "-" : "") << magnitude / milliseconds_per_second << '.'
      << std::setw(millisecond_digits) << std::setfill('0')
      << magnitude % milliseconds_per_second << 's';
  return out.str();
}

/// Prints `rows` (the first is the heading) with each column as wide as
/// its widest cell; `align` holds an `l` or `r` per column. The first
/// column carries the indents, so names and numbers line up beneath it.
void print_table(std::ostream& out, table rows, const std::string& align) {
  rows.front().front().insert(0, heading_indent);
  for (std::size_t row = 1; row < rows.size(); ++row) {
    rows[row].front().insert(0, row_indent);
  }
  std::vector<std::size_t> widths(align.size(), 0);
  for (const auto& row : rows) {
    for (std::size_t column = 0; column < row.size(); ++column) {
      widths[column] = std::max(widths[column], row[column].size());
    }
  }

  // Padding after the last column would only leave trailing blanks.
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t column = 0; column < row.size(); ++column) {
      const auto& cell = row[column];
      const std::string pad(widths[column] - cell.size(), ' ');
      line += column == 0 ? "" : cell_gap;
      line += align[column] == 'r' ? pad + cell : cell + pad;
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << '\n';
  }
}

/// A section: its table, or its title and `none` when it has no rows.
void print_section(std::ostream& out, const table& rows,
                   const std::string& align) {
  if (rows.size() > 1) {
    print_table(out, rows, align);
    return;
  }
  out << heading_indent << rows.front().front() << ": none\n";
}

void print_header(std::ostream& out, const run_summary& run) {
  out << "run " << quote_if_needed(run.run) << '\n';
  out << heading_indent << "events    " << run.events << ", "
      << format_utc_time(run.first_event) << " .. "
      << format_utc_time(run.last_event) << '\n';
  out << heading_indent << "started   "
      << (run.started.is_null()
              ? "no run_started event"
              : format_fields(run.started, field_order("run_started")))
      << '\n';
  out << heading_indent << "finished  "
      << (run.finished.is_null()
              ? "no run_finished event (still running, or it stopped "
                "without finishing)"
              : format_fields(run.finished, field_order("run_finished")))
      << '\n';
}

void print_restarts(std::ostream& out, const run_summary& run) {
  table supervisors{
      {"restarts by supervisor", "restarts", "intensity_exceeded",
       "escalated"}};
  for (const auto& [name, counts] : run.supervisors) {
    supervisors.push_back({quote_if_needed(name), std::to_string(counts.restarts),
                           std::to_string(counts.intensity_exceeded),
                           std::to_string(counts.escalations)});
  }
  print_section(out, supervisors, "lrrr");

  table actors{{"restarts by actor", "crashes", "restarts"}};
  for (const auto& [name, counts] : run.actors) {
    actors.push_back({quote_if_needed(name), std::to_string(counts.crashes),
                      std::to_string(counts.restarts)});
  }
  print_section(out, actors, "lrr");
}

void print_records(std::ostream& out, const run_summary& run) {
  table crashed{{"records that crashed most", "crashes", "attempts",
                 "outcome"}};
  for (const auto& record : run.most_crashed) {
    crashed.push_back(
        {std::to_string(record.key), std::to_string(record.crashes),
         record.attempts > 0 ? std::to_string(record.attempts) : "-",
         record.failed_category.empty()
             ? "not failed"
             : "failed: " + quote_if_needed(record.failed_category)});
  }
  print_section(out, crashed, "lrrl");

  table failed{{"failed records by category", "records"}};
  for (const auto& [category, count] : run.failed_by_category) {
    failed.push_back({quote_if_needed(category), std::to_string(count)});
  }
  print_section(out, failed, "lr");
}

void print_circuits(std::ostream& out, const run_summary& run) {
  table openings{{"circuit openings", "opened", "closed", "open for",
                  "failures", "half-open", "reopens"}};
  bool any_inferred = false;
  for (const auto& opening : run.circuit_openings) {
    any_inferred = any_inferred || opening.start_inferred;
    openings.push_back(
        {quote_if_needed(opening.actor),
         (opening.start_inferred ? inferred_mark : "") +
             format_utc_time(opening.opened),
         opening.closed ? format_utc_time(*opening.closed)
                        : "still open at end",
         format_duration(opening.open_for),
         opening.failures ? std::to_string(*opening.failures) : "-",
         std::to_string(opening.half_opens), std::to_string(opening.reopens)});
  }
  print_section(out, openings, "lrrrrrr");
  if (any_inferred) {
    out << row_indent << inferred_mark
        << " opened before the first event read: start taken from open_ms\n";
  }
  out << heading_indent << "reading paused  "
      << format_duration(run.reading_paused) << '\n';
}

void print_types(std::ostream& out, const run_summary& run) {
  table types{{"events by type", "count"}};
  for (const auto& [type, count] : run.events_by_type) {
    types.push_back({quote_if_needed(type), std::to_string(count)});
  }
  print_section(out, types, "lr");
}

/// What to do with each well-formed event.
struct event_sink {
  const event_filter& filter;
  const events_options& options;
  std::ostream& out;
  summary_builder& summary;

  void operator()(const event_line& event) const {
    if (!matches(filter, event)) {
      return;
    }
    if (options.summary) {
      summary.add(event);
    } else if (options.json) {
      out << event.text << '\n';
    } else {
      out << format_event(event) << '\n';
    }
  }
};

/// Types outside the contract are allowed (a newer writer may add some)
/// but most likely a typo, so they are pointed out.
void warn_unknown_types(const std::vector<std::string>& types,
                        std::ostream& err) {
  const auto& known = known_event_types();
  for (const auto& type : types) {
    if (std::find(known.begin(), known.end(), type) == known.end()) {
      err << "xmlshred events: --type " << type
          << " is not an event type xmlshred writes (see docs/events.md)\n";
    }
  }
}

void print_results(const events_options& options,
                   const summary_builder& summary, std::size_t malformed,
                   std::ostream& out) {
  if (!options.summary) {
    return;
  }
  const auto runs = summary.finish();
  if (options.json) {
    out << summary_to_json(runs, malformed).dump(2) << '\n';
  } else if (runs.empty()) {
    out << "no matching events\n";
  } else {
    out << format_summary(runs);
  }
}

}  // namespace

std::string format_summary(const std::vector<run_summary>& runs) {
  std::ostringstream out;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    out << (i == 0 ? "" : "\n");
    print_header(out, runs[i]);
    print_restarts(out, runs[i]);
    print_records(out, runs[i]);
    print_circuits(out, runs[i]);
    print_types(out, runs[i]);
  }
  return out.str();
}

int show_events(const events_options& options, std::ostream& out,
                std::ostream& err) {
  event_filter filter{options.run, options.types, options.record,
                      options.actor, std::nullopt};
  if (options.since) {
    filter.since = parse_utc_time(*options.since);
    if (!filter.since) {
      err << "xmlshred events: --since " << *options.since
          << " is not an ISO-8601 UTC time (" << utc_time_syntax << ")\n";
      return exit_usage;
    }
  }
  std::ifstream in{options.file, std::ios::binary};
  if (!in) {
    err << "xmlshred events: cannot read " << options.file << '\n';
    return exit_usage;
  }
  warn_unknown_types(options.types, err);

  // Events stream through; only the summary keeps anything.
  summary_builder summary;
  const auto counts = scan_events(
      in, event_sink{filter, options, out, summary},
      [&](const malformed_line& line) {
        err << options.file << ':' << line.line_number
            << ": skipped: " << line.problem << '\n';
      });
  print_results(options, summary, counts.malformed, out);
  if (counts.malformed == 0) {
    return exit_ok;
  }
  err << options.file << ": " << counts.malformed
      << " malformed line(s) skipped\n";
  return exit_malformed;
}

void add_events_command(CLI::App& parent, events_options& options,
                        int& exit_code) {
  auto* command = parent.add_subcommand(
      "events", "Show or summarise a run's supervisor event log");
  command->add_option("file", options.file, "Event log (JSON Lines)")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--run", options.run, "Only this run id");
  command->add_option("--type", options.types,
                      "Only this event type (repeatable: any of them)");
  command->add_option("--record", options.record, "Only events of this key");
  command->add_option("--actor", options.actor, "Only events of this actor");
  command
      ->add_option("--since", options.since,
                   "Only events at or after this UTC time, e.g. 2026-12-03 "
                   "or 2026-12-03T17:00:00Z")
      ->check(CLI::Validator(
          [](std::string& text) {
            return parse_utc_time(text)
                       ? std::string{}
                       : std::string{"not an ISO-8601 UTC time ("} +
                             utc_time_syntax + ")";
          },
          "TIME"));
  command->add_flag("--summary", options.summary,
                    "Summarise per run instead of listing events");
  command->add_flag("--json", options.json,
                    "Events as JSON Lines, unchanged; with --summary the "
                    "summary as one JSON object");
  command->callback(
      [&] { exit_code = show_events(options, std::cout, std::cerr); });
}

}  // namespace xmlshred::app
