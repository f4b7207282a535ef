#include "app/event_query.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <iomanip>
#include <limits>
#include <locale>
#include <sstream>
#include <string_view>

namespace xmlshred::app {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using std::chrono::milliseconds;

// -- times --------------------------------------------------------------------

/// Lengths of the accepted prefixes: date, date+minutes, date+seconds.
constexpr std::size_t date_length = 10;
constexpr std::size_t minutes_length = 16;
constexpr std::size_t seconds_length = 19;
/// Where the date and time meet (the `T` or a space).
constexpr std::size_t date_time_separator = 10;
constexpr std::size_t max_fraction_digits = 9;
constexpr std::size_t millisecond_digits = 3;
constexpr int milliseconds_per_second = 1000;
constexpr int decimal_base = 10;

/// True when `text` has exactly the shape `pattern`, where `d` stands for
/// any digit and every other character for itself.
bool has_shape(std::string_view text, std::string_view pattern) {
  if (text.size() != pattern.size()) {
    return false;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool digit = std::isdigit(static_cast<unsigned char>(text[i])) != 0;
    if (pattern[i] == 'd' ? !digit : text[i] != pattern[i]) {
      return false;
    }
  }
  return true;
}

/// The std::get_time format for a date-time prefix of this length.
const char* format_for(std::size_t length) {
  switch (length) {
    case date_length:
      return "%Y-%m-%d";
    case minutes_length:
      return "%Y-%m-%dT%H:%M";
    default:
      return "%Y-%m-%dT%H:%M:%S";
  }
}

/// Milliseconds from a fraction's digits (`.5` is 500, `.123456` is 123).
std::optional<int> fraction_milliseconds(std::string_view digits) {
  if (digits.empty() || digits.size() > max_fraction_digits ||
      !std::all_of(digits.begin(), digits.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
      })) {
    return std::nullopt;
  }
  int millis = 0;
  for (std::size_t i = 0; i < millisecond_digits; ++i) {
    const int digit = i < digits.size() ? digits[i] - '0' : 0;
    millis = millis * decimal_base + digit;
  }
  return millis;
}

/// Seconds since the epoch for calendar fields, or nullopt when the fields
/// name no real time: timegm() would quietly roll 2026-02-30 into March,
/// so the result must convert back to the same fields.
std::optional<std::time_t> to_epoch_seconds(const std::tm& fields) {
  std::tm normalised = fields;
  const std::time_t seconds = timegm(&normalised);
  std::tm back{};
  if (gmtime_r(&seconds, &back) == nullptr) {
    return std::nullopt;
  }
  const bool same = back.tm_year == fields.tm_year &&
                    back.tm_mon == fields.tm_mon &&
                    back.tm_mday == fields.tm_mday &&
                    back.tm_hour == fields.tm_hour &&
                    back.tm_min == fields.tm_min &&
                    back.tm_sec == fields.tm_sec;
  if (!same) {
    return std::nullopt;
  }
  return seconds;
}

/// The shape of the date-time part: its prefix length, or nullopt.
std::optional<std::size_t> date_time_length(std::string_view text) {
  for (auto [length, pattern] :
       {std::pair{seconds_length, "dddd-dd-ddTdd:dd:dd"},
        std::pair{minutes_length, "dddd-dd-ddTdd:dd"},
        std::pair{date_length, "dddd-dd-dd"}}) {
    if (text.size() >= length && has_shape(text.substr(0, length), pattern)) {
      return length;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<utc_time> parse_utc_time(const std::string& input) {
  // Operators paste times from SQL output too: a space may stand for `T`.
  std::string text = input;
  if (text.size() > date_time_separator && text[date_time_separator] == ' ') {
    text[date_time_separator] = 'T';
  }
  if (!text.empty() && text.back() == 'Z') {
    text.pop_back();
  }
  const auto length = date_time_length(text);
  if (!length) {
    return std::nullopt;
  }

  // Only whole seconds may carry a fraction; nothing else may follow.
  int millis = 0;
  if (text.size() > *length) {
    const auto rest = std::string_view{text}.substr(*length);
    auto fraction = rest.front() == '.' && *length == seconds_length
                        ? fraction_milliseconds(rest.substr(1))
                        : std::nullopt;
    if (!fraction) {
      return std::nullopt;
    }
    millis = *fraction;
  }

  // The calendar fields, then the calendar arithmetic, from the library.
  std::tm fields{};
  std::istringstream in{text.substr(0, *length)};
  in.imbue(std::locale::classic());
  in >> std::get_time(&fields, format_for(*length));
  if (in.fail()) {
    return std::nullopt;
  }
  const auto seconds = to_epoch_seconds(fields);
  if (!seconds) {
    return std::nullopt;
  }
  return utc_time{milliseconds{static_cast<std::int64_t>(*seconds) *
                                   milliseconds_per_second +
                               millis}};
}

std::string format_utc_time(utc_time time) {
  const auto since_epoch = time.time_since_epoch();
  const auto whole = std::chrono::floor<std::chrono::seconds>(since_epoch);
  const auto millis = (since_epoch - whole).count();
  const std::time_t seconds = static_cast<std::time_t>(whole.count());
  std::tm fields{};
  gmtime_r(&seconds, &fields);
  std::ostringstream out;
  out.imbue(std::locale::classic());
  out << std::put_time(&fields, "%Y-%m-%dT%H:%M:%S") << '.'
      << std::setw(static_cast<int>(millisecond_digits)) << std::setfill('0')
      << millis << 'Z';
  return out.str();
}

namespace {

// -- checking a line ----------------------------------------------------------

/// Fields every line carries; they are shown apart from the others.
constexpr std::array<const char*, 4> common_fields{"ts", "run", "seq",
                                                   "event"};
constexpr std::array<const char*, 4> integer_fields{"record", "attempt",
                                                    "restarts", "backoff_ms"};
constexpr std::array<const char*, 5> string_fields{
    "actor", "supervisor", "category", "reason", "strategy"};

/// Event lines nest two or three levels (run settings hold a list); far
/// more than that is not an event line.
constexpr int max_nesting_depth = 32;

/// True for a JSON integer that fits in an int64 (record keys do).
bool is_int64(const json& value) {
  if (value.is_number_unsigned()) {
    return value.get<std::uint64_t>() <=
           static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  }
  return value.is_number_integer();
}

bool is_non_empty_string(const json& value) {
  return value.is_string() && !value.get_ref<const std::string&>().empty();
}

/// The first problem with the common and the typed optional fields.
std::optional<std::string> field_problem(const json& fields) {
  for (const char* name : {"ts", "run", "event"}) {
    if (!fields.contains(name) || !is_non_empty_string(fields[name])) {
      return std::string{"field `"} + name + "` is missing or not a string";
    }
  }
  if (!fields.contains("seq") || !fields["seq"].is_number_unsigned()) {
    return std::string{"field `seq` is missing or not a non-negative integer"};
  }
  for (const char* name : integer_fields) {
    if (fields.contains(name) && !is_int64(fields[name])) {
      return std::string{"field `"} + name + "` is not an integer";
    }
  }
  for (const char* name : string_fields) {
    if (fields.contains(name) && !fields[name].is_string()) {
      return std::string{"field `"} + name + "` is not a string";
    }
  }
  return std::nullopt;
}

/// The line as a JSON object, or what is wrong with it.
std::variant<json, std::string> parse_object(const std::string& text) {
  // Printing a value recurses once per level: a line nested absurdly deep
  // would exhaust the stack later, so it is refused here.
  bool too_deep = false;
  const json::parser_callback_t watch_depth =
      [&too_deep](int depth, json::parse_event_t, json&) {
        too_deep = too_deep || depth > max_nesting_depth;
        return true;
      };
  json fields;
  try {
    fields = json::parse(text, watch_depth);
  } catch (const json::parse_error& error) {
    // what() quotes the text around the error, which may be anything: only
    // the position is reported.
    return "not valid JSON (byte " + std::to_string(error.byte) + ")";
  }
  if (too_deep) {
    return "nested more than " + std::to_string(max_nesting_depth) +
           " levels";
  }
  if (!fields.is_object()) {
    return std::string{"not a JSON object"};
  }
  return fields;
}

}  // namespace

std::variant<event_line, malformed_line> parse_event_line(
    const std::string& text, std::size_t line_number) {
  auto parsed = parse_object(text);
  if (auto* problem = std::get_if<std::string>(&parsed)) {
    return malformed_line{line_number, std::move(*problem)};
  }
  auto& fields = std::get<json>(parsed);
  if (auto problem = field_problem(fields)) {
    return malformed_line{line_number, std::move(*problem)};
  }
  const auto time = parse_utc_time(fields["ts"].get<std::string>());
  if (!time) {
    return malformed_line{line_number,
                          "field `ts` is not an ISO-8601 UTC time"};
  }

  event_line event;
  event.line_number = line_number;
  event.text = text;
  event.time = *time;
  event.run = fields["run"].get<std::string>();
  event.seq = fields["seq"].get<std::uint64_t>();
  event.type = fields["event"].get<std::string>();
  event.fields = std::move(fields);
  return event;
}

scan_counts scan_events(
    std::istream& in, const std::function<void(const event_line&)>& on_event,
    const std::function<void(const malformed_line&)>& on_malformed) {
  scan_counts counts;
  std::string text;
  std::size_t line_number = 0;
  while (std::getline(in, text)) {
    ++line_number;
    if (!text.empty() && text.back() == '\r') {
      text.pop_back();
    }
    if (std::all_of(text.begin(), text.end(), [](char c) {
          return std::isspace(static_cast<unsigned char>(c)) != 0;
        })) {
      continue;
    }
    auto parsed = parse_event_line(text, line_number);
    if (auto* event = std::get_if<event_line>(&parsed)) {
      ++counts.events;
      on_event(*event);
    } else {
      ++counts.malformed;
      on_malformed(std::get<malformed_line>(parsed));
    }
  }
  return counts;
}

// -- filtering and printing ---------------------------------------------------

bool matches(const event_filter& filter, const event_line& event) {
  if (filter.run && event.run != *filter.run) {
    return false;
  }
  if (!filter.types.empty() &&
      std::find(filter.types.begin(), filter.types.end(), event.type) ==
          filter.types.end()) {
    return false;
  }
  if (filter.since && event.time < *filter.since) {
    return false;
  }
  const auto& fields = event.fields;
  if (filter.record &&
      (!fields.contains("record") ||
       fields["record"].get<std::int64_t>() != *filter.record)) {
    return false;
  }
  return !filter.actor ||
         (fields.contains("actor") &&
          fields["actor"].get<std::string>() == *filter.actor);
}

const std::vector<std::string>& known_event_types() {
  static const std::vector<std::string> types{
      "run_started",       "run_finished",      "actor_started",
      "actor_crashed",     "actor_restarted",   "backoff",
      "intensity_exceeded", "escalated",        "record_retried",
      "record_failed",     "circuit_opened",    "circuit_half_open",
      "circuit_closed",    "fault_injected",    "shutdown_requested",
      "checkpoint",        "systemic_failure"};
  return types;
}

namespace {

/// Column widths of the event line: the longest known type, and `#` plus
/// six digits of seq, so columns line up in runs of up to a million events.
constexpr std::size_t type_width = 18;
constexpr std::size_t seq_width = 7;
constexpr const char* column_gap = "  ";

/// Shown right after the type, in this order; `reason` comes last.
constexpr std::array<const char*, 8> leading_fields{
    "actor",  "supervisor", "record",   "attempt",
    "category", "strategy", "restarts", "backoff_ms"};

/// Strings print bare unless a reader could misread where they end or a
/// terminal could act on them.
bool needs_quotes(const std::string& text) {
  if (text.empty()) {
    return true;
  }
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= ' ' || byte == 0x7f || c == '"' || c == '=' || c == '\\';
  });
}

/// A JSON value as printed after `name=`.
std::string render_value(const json& value) {
  if (value.is_string() &&
      !needs_quotes(value.get_ref<const std::string&>())) {
    return value.get<std::string>();
  }
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

void append_field(std::string& out, const std::string& name,
                  const json& value) {
  out += ' ';
  out += name;
  out += '=';
  out += render_value(value);
}

/// `name=value` for the fields of `object`: the `leading` names first in
/// their order, then the rest by name except `skipped`, then `trailing`.
std::string render_fields(const json& object,
                          const std::vector<std::string>& leading,
                          const std::vector<std::string>& skipped,
                          const std::string& trailing) {
  std::string out;
  for (const auto& name : leading) {
    if (object.contains(name)) {
      append_field(out, name, object[name]);
    }
  }
  for (const auto& [name, value] : object.items()) {
    const bool listed =
        std::find(leading.begin(), leading.end(), name) != leading.end() ||
        std::find(skipped.begin(), skipped.end(), name) != skipped.end() ||
        name == trailing;
    if (!listed) {
      append_field(out, name, value);
    }
  }
  if (!trailing.empty() && object.contains(trailing)) {
    append_field(out, trailing, object[trailing]);
  }
  return out.empty() ? out : out.substr(1);
}

std::string padded(std::string text, std::size_t width) {
  if (text.size() < width) {
    text.append(width - text.size(), ' ');
  }
  return text;
}

}  // namespace

std::vector<std::string> field_order(const std::string& type) {
  static const std::map<std::string, std::vector<std::string>> own_fields{
      {"run_started", {"source", "target", "contracts", "workers", "batch"}},
      {"run_finished",
       {"read", "converted", "rejected", "failed", "already_done",
        "exit_code", "elapsed_s"}},
      {"checkpoint",
       {"batches", "committed", "converted", "rejected", "failed"}},
      {"fault_injected", {"stage", "action"}},
  };
  std::vector<std::string> order{leading_fields.begin(), leading_fields.end()};
  const auto own = own_fields.find(type);
  if (own != own_fields.end()) {
    order.insert(order.end(), own->second.begin(), own->second.end());
  }
  return order;
}

std::string quote_if_needed(const std::string& text) {
  return render_value(json(text));
}

std::string format_event(const event_line& event) {
  static const std::vector<std::string> skipped{common_fields.begin(),
                                                common_fields.end()};
  const auto fields = render_fields(event.fields, field_order(event.type),
                                    skipped, "reason");
  // The normalised time keeps the column aligned whatever form ts took.
  std::string line = format_utc_time(event.time);
  line += column_gap;
  line += padded(quote_if_needed(event.type), type_width);
  line += column_gap;
  line += quote_if_needed(event.run);
  line += ' ';
  line += padded("#" + std::to_string(event.seq), seq_width);
  if (!fields.empty()) {
    line += column_gap;
    line += fields;
  }
  // Without fields the padding would be trailing blanks.
  while (!line.empty() && line.back() == ' ') {
    line.pop_back();
  }
  return line;
}

}  // namespace xmlshred::app

// -- summarising --------------------------------------------------------------

namespace xmlshred::app {
namespace {

/// Stands for a missing category in the failed-records count.
constexpr const char* unknown_category = "unknown";
/// Stands for a missing actor or supervisor name in the restart counts.
constexpr const char* unnamed_group = "(unnamed)";

/// The fields an event carries beyond the common ones.
/// The fields of a run_started or run_finished event that describe the
/// run: not the common ones, nor who emitted it. A nested `settings`
/// object is lifted, so the run's settings read the same whether the
/// writer nests them or not.
json run_fields(const json& fields) {
  json extra = json::object();
  for (const auto& [name, value] : fields.items()) {
    const bool common =
        std::find(common_fields.begin(), common_fields.end(), name) !=
        common_fields.end();
    if (!common && name != "actor" && name != "supervisor" &&
        name != "settings") {
      extra[name] = value;
    }
  }
  const auto settings = fields.find("settings");
  if (settings != fields.end() && settings->is_object()) {
    for (const auto& [name, value] : settings->items()) {
      extra.emplace(name, value);
    }
  }
  return extra;
}

/// A string field checked by parse_event_line, or "" when absent.
std::string string_field(const json& fields, const char* name) {
  const auto found = fields.find(name);
  return found == fields.end() ? std::string{} : found->get<std::string>();
}

/// The actor or supervisor an event is counted under; events that leave
/// it out are counted together rather than dropped.
std::string group_name(const json& fields, const char* name) {
  auto value = string_field(fields, name);
  return value.empty() ? unnamed_group : value;
}

/// An integer field, or nullopt when absent or (for unchecked fields) not
/// an integer.
std::optional<std::int64_t> integer_field(const json& fields,
                                          const char* name) {
  const auto found = fields.find(name);
  if (found == fields.end() || !is_int64(*found)) {
    return std::nullopt;
  }
  return found->get<std::int64_t>();
}

/// Total time covered by at least one of the openings.
milliseconds covered_time(const std::vector<circuit_opening>& openings) {
  std::vector<std::pair<utc_time, utc_time>> spans;
  for (const auto& opening : openings) {
    spans.emplace_back(opening.opened, opening.opened + opening.open_for);
  }
  std::sort(spans.begin(), spans.end());

  // Merge overlapping spans: reading is paused once, however many
  // circuits are open at the same moment.
  milliseconds total{0};
  std::optional<std::pair<utc_time, utc_time>> current;
  for (const auto& span : spans) {
    if (current && span.first <= current->second) {
      current->second = std::max(current->second, span.second);
      continue;
    }
    if (current) {
      total += current->second - current->first;
    }
    current = span;
  }
  if (current) {
    total += current->second - current->first;
  }
  return total;
}

/// Follows one run's events, in file order, and summarises them.
class run_tracker {
 public:
  explicit run_tracker(const event_line& first) {
    summary_.run = first.run;
    summary_.first_event = first.time;
    summary_.last_event = first.time;
  }

  void add(const event_line& event) {
    summary_.first_event = std::min(summary_.first_event, event.time);
    summary_.last_event = std::max(summary_.last_event, event.time);
    ++summary_.events;
    ++summary_.events_by_type[event.type];

    // Only some types feed the sections beyond the counts.
    const auto found = handlers().find(event.type);
    if (found != handlers().end()) {
      (this->*(found->second))(event.fields, event.time);
    }
  }

  run_summary finish() const;

 private:
  using handler = void (run_tracker::*)(const json&, utc_time);
  static const std::map<std::string, handler>& handlers();

  void on_run_started(const json& fields, utc_time) {
    summary_.started = run_fields(fields);
  }
  void on_run_finished(const json& fields, utc_time) {
    summary_.finished = run_fields(fields);
  }
  void on_actor_crashed(const json& fields, utc_time);
  void on_actor_restarted(const json& fields, utc_time);
  void on_intensity_exceeded(const json& fields, utc_time) {
    ++summary_.supervisors[group_name(fields, "supervisor")]
          .intensity_exceeded;
  }
  void on_escalated(const json& fields, utc_time) {
    ++summary_.supervisors[group_name(fields, "supervisor")].escalations;
  }
  void on_record_retried(const json& fields, utc_time);
  void on_record_failed(const json& fields, utc_time);
  void on_circuit_opened(const json& fields, utc_time time);
  void on_circuit_half_open(const json& fields, utc_time);
  void on_circuit_closed(const json& fields, utc_time time);

  /// The record's entry, created on first mention; keeps its top attempt.
  troubled_record& note_record(domain::record_key key, const json& fields);

  run_summary summary_;
  std::map<domain::record_key, troubled_record> records_;
  std::map<std::string, circuit_opening> open_circuits_;
};

const std::map<std::string, run_tracker::handler>& run_tracker::handlers() {
  static const std::map<std::string, handler> table{
      {"run_started", &run_tracker::on_run_started},
      {"run_finished", &run_tracker::on_run_finished},
      {"actor_crashed", &run_tracker::on_actor_crashed},
      {"actor_restarted", &run_tracker::on_actor_restarted},
      {"intensity_exceeded", &run_tracker::on_intensity_exceeded},
      {"escalated", &run_tracker::on_escalated},
      {"record_retried", &run_tracker::on_record_retried},
      {"record_failed", &run_tracker::on_record_failed},
      {"circuit_opened", &run_tracker::on_circuit_opened},
      {"circuit_half_open", &run_tracker::on_circuit_half_open},
      {"circuit_closed", &run_tracker::on_circuit_closed}};
  return table;
}

troubled_record& run_tracker::note_record(domain::record_key key,
                                          const json& fields) {
  auto& entry = records_[key];
  entry.key = key;
  if (auto attempt = integer_field(fields, "attempt")) {
    entry.attempts = std::max<int>(entry.attempts, static_cast<int>(*attempt));
  }
  return entry;
}

void run_tracker::on_actor_crashed(const json& fields, utc_time) {
  ++summary_.actors[group_name(fields, "actor")].crashes;
  if (auto key = integer_field(fields, "record")) {
    ++note_record(*key, fields).crashes;
  }
}

void run_tracker::on_actor_restarted(const json& fields, utc_time) {
  ++summary_.actors[group_name(fields, "actor")].restarts;
  ++summary_.supervisors[group_name(fields, "supervisor")].restarts;
}

void run_tracker::on_record_retried(const json& fields, utc_time) {
  if (auto key = integer_field(fields, "record")) {
    note_record(*key, fields);
  }
}

void run_tracker::on_record_failed(const json& fields, utc_time) {
  auto category = string_field(fields, "category");
  if (category.empty()) {
    category = unknown_category;
  }
  ++summary_.failed_by_category[category];

  // Only records that crashed or were retried are ranked.
  const auto key = integer_field(fields, "record");
  if (key && records_.count(*key) != 0) {
    note_record(*key, fields).failed_category = category;
  }
}

void run_tracker::on_circuit_opened(const json& fields, utc_time time) {
  const auto actor = string_field(fields, "actor");
  auto [entry, opened] = open_circuits_.try_emplace(actor);
  if (!opened) {
    // A failed half-open probe: the same pause goes on.
    ++entry->second.reopens;
    return;
  }
  entry->second.actor = actor;
  entry->second.opened = time;
  entry->second.failures = integer_field(fields, "failures");
}

void run_tracker::on_circuit_half_open(const json& fields, utc_time) {
  const auto entry = open_circuits_.find(string_field(fields, "actor"));
  if (entry != open_circuits_.end()) {
    ++entry->second.half_opens;
  }
}

void run_tracker::on_circuit_closed(const json& fields, utc_time time) {
  const auto actor = string_field(fields, "actor");
  const auto entry = open_circuits_.find(actor);
  if (entry != open_circuits_.end()) {
    auto opening = std::move(entry->second);
    open_circuits_.erase(entry);
    opening.closed = time;
    opening.open_for = time - opening.opened;
    summary_.circuit_openings.push_back(std::move(opening));
    return;
  }

  // The opening was not among the events read; open_ms tells its start.
  if (auto open_ms = integer_field(fields, "open_ms")) {
    circuit_opening opening;
    opening.actor = actor;
    opening.open_for = milliseconds{*open_ms};
    opening.opened = time - opening.open_for;
    opening.closed = time;
    opening.start_inferred = true;
    summary_.circuit_openings.push_back(std::move(opening));
  }
}

run_summary run_tracker::finish() const {
  run_summary result = summary_;

  // Circuits still open pause reading at least until the last event.
  for (const auto& [actor, open] : open_circuits_) {
    auto opening = open;
    opening.open_for = result.last_event - opening.opened;
    result.circuit_openings.push_back(std::move(opening));
  }
  std::stable_sort(
      result.circuit_openings.begin(), result.circuit_openings.end(),
      [](const auto& a, const auto& b) { return a.opened < b.opened; });
  result.reading_paused = covered_time(result.circuit_openings);

  // Most crashes first, then most attempts, then the lowest key.
  std::vector<troubled_record> ranked;
  for (const auto& [key, entry] : records_) {
    ranked.push_back(entry);
  }
  const auto limit = std::min(ranked.size(), most_crashed_limit);
  std::partial_sort(ranked.begin(), ranked.begin() + limit, ranked.end(),
                    [](const auto& a, const auto& b) {
                      return std::tie(b.crashes, b.attempts, a.key) <
                             std::tie(a.crashes, a.attempts, b.key);
                    });
  ranked.resize(limit);
  result.most_crashed = std::move(ranked);
  return result;
}

}  // namespace

struct summary_builder::run_state {
  explicit run_state(const event_line& first) : tracker(first) {}
  run_tracker tracker;
};

summary_builder::summary_builder() = default;
summary_builder::~summary_builder() = default;

void summary_builder::add(const event_line& event) {
  auto& state = runs_[event.run];
  if (!state) {
    state = std::make_unique<run_state>(event);
    order_.push_back(event.run);
  }
  state->tracker.add(event);
}

std::vector<run_summary> summary_builder::finish() const {
  std::vector<run_summary> result;
  for (const auto& run : order_) {
    result.push_back(runs_.at(run)->tracker.finish());
  }
  return result;
}

namespace {

ordered_json or_null(const std::optional<std::string>& value) {
  return value ? ordered_json(*value) : ordered_json(nullptr);
}

ordered_json opening_to_json(const circuit_opening& opening) {
  return ordered_json{
      {"actor", opening.actor},
      {"opened", format_utc_time(opening.opened)},
      {"closed", or_null(opening.closed ? std::optional{format_utc_time(
                                              *opening.closed)}
                                        : std::nullopt)},
      {"still_open", !opening.closed.has_value()},
      {"open_ms", opening.open_for.count()},
      {"failures", opening.failures ? ordered_json(*opening.failures)
                                    : ordered_json(nullptr)},
      {"half_opens", opening.half_opens},
      {"reopens", opening.reopens},
      {"start_inferred", opening.start_inferred}};
}

ordered_json records_to_json(const std::vector<troubled_record>& records) {
  ordered_json list = ordered_json::array();
  for (const auto& record : records) {
    list.push_back(
        {{"record", record.key},
         {"crashes", record.crashes},
         {"attempts", record.attempts},
         {"failed_category",
          or_null(record.failed_category.empty()
                      ? std::nullopt
                      : std::optional{record.failed_category})}});
  }
  return list;
}

ordered_json restarts_to_json(const run_summary& run, ordered_json& actors) {
  ordered_json supervisors = ordered_json::object();
  for (const auto& [name, counts] : run.supervisors) {
    supervisors[name] = {{"restarts", counts.restarts},
                         {"intensity_exceeded", counts.intensity_exceeded},
                         {"escalations", counts.escalations}};
  }
  actors = ordered_json::object();
  for (const auto& [name, counts] : run.actors) {
    actors[name] = {{"crashes", counts.crashes},
                    {"restarts", counts.restarts}};
  }
  return supervisors;
}

ordered_json run_to_json(const run_summary& run) {
  ordered_json actors;
  auto supervisors = restarts_to_json(run, actors);
  ordered_json openings = ordered_json::array();
  for (const auto& opening : run.circuit_openings) {
    openings.push_back(opening_to_json(opening));
  }
  return ordered_json{{"run", run.run},
                      {"first_event", format_utc_time(run.first_event)},
                      {"last_event", format_utc_time(run.last_event)},
                      {"events", run.events},
                      {"started", run.started},
                      {"finished", run.finished},
                      {"supervisors", std::move(supervisors)},
                      {"actors", std::move(actors)},
                      {"most_crashed_records",
                       records_to_json(run.most_crashed)},
                      {"failed_by_category", run.failed_by_category},
                      {"circuit_openings", std::move(openings)},
                      {"reading_paused_ms", run.reading_paused.count()},
                      {"events_by_type", run.events_by_type}};
}

}  // namespace

ordered_json summary_to_json(const std::vector<run_summary>& runs,
                             std::size_t malformed_lines) {
  ordered_json list = ordered_json::array();
  for (const auto& run : runs) {
    list.push_back(run_to_json(run));
  }
  return ordered_json{{"runs", std::move(list)},
                      {"malformed_lines", malformed_lines}};
}

std::string format_fields(const json& object,
                          const std::vector<std::string>& leading) {
  return render_fields(object, leading, {}, "");
}

}  // namespace xmlshred::app
