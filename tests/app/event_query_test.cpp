#define BOOST_TEST_MODULE event_query
#include <boost/test/unit_test.hpp>

#include "app/event_query.hpp"

#include <sstream>
#include <string>
#include <vector>

using namespace xmlshred::app;

namespace {

constexpr const char* run_a = "20261203T170059Z-3fa2c1";
constexpr const char* run_b = "20261203T170230Z-9b04e7";

/// A run with one poisonous record (443309, crashed on every attempt), one
/// that crashed once and then converted (127582), a writer circuit that
/// opened and closed, and a checkpoint. Lines follow the event log format.
const std::string crash_run =
    R"({"ts":"2026-12-03T17:00:59.812Z","run":"20261203T170059Z-3fa2c1","seq":1,"event":"run_started","source":"sqlite:source.db","target":"sqlite:target.db","contracts":["examples/contracts/credit_card.json"],"workers":2,"batch":200}
{"ts":"2026-12-03T17:00:59.815Z","run":"20261203T170059Z-3fa2c1","seq":2,"event":"actor_started","actor":"transformer-1","supervisor":"transform"}
{"ts":"2026-12-03T17:01:00.020Z","run":"20261203T170059Z-3fa2c1","seq":3,"event":"fault_injected","actor":"transformer-1","record":443309,"reason":"transform:throw:key=443309","stage":"transform","action":"throw"}
{"ts":"2026-12-03T17:01:00.021Z","run":"20261203T170059Z-3fa2c1","seq":4,"event":"actor_crashed","actor":"transformer-1","supervisor":"transform","record":443309,"reason":"injected fault at transform"}
{"ts":"2026-12-03T17:01:00.022Z","run":"20261203T170059Z-3fa2c1","seq":5,"event":"actor_restarted","actor":"transformer-1","supervisor":"transform","restarts":1,"strategy":"one_for_one"}
{"ts":"2026-12-03T17:01:00.023Z","run":"20261203T170059Z-3fa2c1","seq":6,"event":"record_retried","record":443309,"attempt":2,"actor":"transformer-1","reason":"injected fault at transform"}
{"ts":"2026-12-03T17:01:00.120Z","run":"20261203T170059Z-3fa2c1","seq":7,"event":"actor_crashed","actor":"transformer-2","supervisor":"transform","record":443309,"reason":"injected fault at transform"}
{"ts":"2026-12-03T17:01:00.121Z","run":"20261203T170059Z-3fa2c1","seq":8,"event":"actor_restarted","actor":"transformer-2","supervisor":"transform","restarts":2,"strategy":"one_for_one"}
{"ts":"2026-12-03T17:01:00.122Z","run":"20261203T170059Z-3fa2c1","seq":9,"event":"record_retried","record":443309,"attempt":3,"actor":"transformer-2","reason":"injected fault at transform"}
{"ts":"2026-12-03T17:01:00.230Z","run":"20261203T170059Z-3fa2c1","seq":10,"event":"actor_crashed","actor":"transformer-1","supervisor":"transform","record":443309,"reason":"injected fault at transform"}
{"ts":"2026-12-03T17:01:00.231Z","run":"20261203T170059Z-3fa2c1","seq":11,"event":"actor_restarted","actor":"transformer-1","supervisor":"transform","restarts":3,"strategy":"one_for_one"}
{"ts":"2026-12-03T17:01:00.232Z","run":"20261203T170059Z-3fa2c1","seq":12,"event":"record_failed","record":443309,"attempt":3,"category":"crash","reason":"crashed on every attempt"}
{"ts":"2026-12-03T17:01:01.500Z","run":"20261203T170059Z-3fa2c1","seq":13,"event":"actor_crashed","actor":"transformer-2","supervisor":"transform","record":127582,"reason":"std::bad_alloc"}
{"ts":"2026-12-03T17:01:01.501Z","run":"20261203T170059Z-3fa2c1","seq":14,"event":"backoff","actor":"transformer-2","supervisor":"transform","backoff_ms":100}
{"ts":"2026-12-03T17:01:01.602Z","run":"20261203T170059Z-3fa2c1","seq":15,"event":"actor_restarted","actor":"transformer-2","supervisor":"transform","restarts":4,"strategy":"one_for_one"}
{"ts":"2026-12-03T17:01:01.603Z","run":"20261203T170059Z-3fa2c1","seq":16,"event":"record_retried","record":127582,"attempt":2,"actor":"transformer-2","reason":"std::bad_alloc"}
{"ts":"2026-12-03T17:01:02.000Z","run":"20261203T170059Z-3fa2c1","seq":17,"event":"record_failed","record":510007,"attempt":1,"category":"mapping","reason":"required element /Provenir/Request/@ID missing"}
{"ts":"2026-12-03T17:01:03.000Z","run":"20261203T170059Z-3fa2c1","seq":18,"event":"circuit_opened","actor":"writer","failures":5}
{"ts":"2026-12-03T17:01:05.000Z","run":"20261203T170059Z-3fa2c1","seq":19,"event":"circuit_half_open","actor":"writer"}
{"ts":"2026-12-03T17:01:05.100Z","run":"20261203T170059Z-3fa2c1","seq":20,"event":"circuit_closed","actor":"writer","open_ms":2100}
{"ts":"2026-12-03T17:01:06.000Z","run":"20261203T170059Z-3fa2c1","seq":21,"event":"checkpoint","batches":1,"committed":26,"converted":24,"rejected":0,"failed":2}
{"ts":"2026-12-03T17:01:06.100Z","run":"20261203T170059Z-3fa2c1","seq":22,"event":"run_finished","read":28,"converted":24,"rejected":2,"failed":2,"already_done":0,"exit_code":1,"elapsed_s":6.3}
)";

std::vector<event_line> events_of(const std::string& jsonl,
                                  std::vector<malformed_line>* bad = nullptr) {
  std::istringstream in{jsonl};
  std::vector<event_line> events;
  scan_events(
      in, [&](const event_line& event) { events.push_back(event); },
      [&](const malformed_line& line) {
        if (bad) {
          bad->push_back(line);
        }
      });
  return events;
}

std::vector<run_summary> summarise(const std::string& jsonl) {
  summary_builder builder;
  for (const auto& event : events_of(jsonl)) {
    builder.add(event);
  }
  return builder.finish();
}

std::vector<std::uint64_t> seqs_matching(const event_filter& filter) {
  std::vector<std::uint64_t> seqs;
  for (const auto& event : events_of(crash_run)) {
    if (matches(filter, event)) {
      seqs.push_back(event.seq);
    }
  }
  return seqs;
}

std::int64_t epoch_ms(const std::string& text) {
  return parse_utc_time(text).value().time_since_epoch().count();
}

std::string problem_of(const std::string& line) {
  auto parsed = parse_event_line(line, 7);
  BOOST_REQUIRE(std::holds_alternative<malformed_line>(parsed));
  return std::get<malformed_line>(parsed).problem;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(event_query)

// -- times --------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(parse_utc_time_reads_the_event_log_form_to_the_ms) {
  // 2026-12-03T17:01:02.123Z, counted independently of this code.
  BOOST_TEST(epoch_ms("2026-12-03T17:01:02.123Z") == 1796317262123);
}

BOOST_AUTO_TEST_CASE(parse_utc_time_reads_a_date_alone_as_midnight) {
  BOOST_TEST(epoch_ms("2026-12-03") == 1796256000000);
  BOOST_TEST(epoch_ms("2026-12-03Z") == 1796256000000);
}

BOOST_AUTO_TEST_CASE(parse_utc_time_accepts_shorter_times_and_a_space) {
  BOOST_TEST(epoch_ms("2024-02-29T23:59") == 1709251140000);
  BOOST_TEST(epoch_ms("2024-02-29 23:59:00Z") == 1709251140000);
  BOOST_TEST(epoch_ms("2026-12-03T17:01:02.123456789Z") == 1796317262123);
  BOOST_TEST(epoch_ms("2026-12-03T17:01:02.5") == 1796317262500);
}

BOOST_AUTO_TEST_CASE(parse_utc_time_rejects_impossible_dates_and_other_forms) {
  for (const char* text :
       {"2026-02-30", "2025-02-29", "2026-13-01", "2026-12-03T24:00:00",
        "2026-12-03T23:59:60", "2026-12-03T17:01:02+02:00", "2026-1-5",
        "2026-12-03T17", "2026-12-03T17:01.5", "2026-12-03T17:01:02.",
        "yesterday", ""}) {
    BOOST_TEST(!parse_utc_time(text).has_value(), text);
  }
}

BOOST_AUTO_TEST_CASE(format_utc_time_writes_the_event_log_form) {
  const auto time = parse_utc_time("2026-12-03 17:01:02.5").value();
  BOOST_TEST(format_utc_time(time) == "2026-12-03T17:01:02.500Z");
}

// -- reading ------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(parse_event_line_copies_out_the_common_fields) {
  const auto events = events_of(crash_run);
  BOOST_REQUIRE(events.size() == 22u);
  const auto& crash = events[3];
  BOOST_TEST(crash.line_number == 4u);
  BOOST_TEST(crash.run == run_a);
  BOOST_TEST(crash.seq == 4u);
  BOOST_TEST(crash.type == "actor_crashed");
  BOOST_TEST(format_utc_time(crash.time) == "2026-12-03T17:01:00.021Z");
  BOOST_TEST(crash.fields["record"].get<std::int64_t>() == 443309);
}

BOOST_AUTO_TEST_CASE(malformed_line_problem_names_the_position_not_content) {
  // A line cut off mid-write, holding text that must not be echoed.
  const auto problem = problem_of(
      R"({"ts":"2026-12-03T17:01:00.021Z","run":"r","seq":4,"event":"x","reason":"holder Jane Q Doe)");
  BOOST_TEST(problem.find("not valid JSON") == 0u);
  BOOST_TEST(problem.find("Jane") == std::string::npos);
  BOOST_TEST(problem.find("holder") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(parse_event_line_names_the_field_at_fault) {
  const std::string head =
      R"({"ts":"2026-12-03T17:01:00.021Z","run":"r1","seq":4,"event":"record_failed",)";
  BOOST_TEST(problem_of(head + R"("record":"443309"})") ==
             "field `record` is not an integer");
  BOOST_TEST(problem_of(head + R"("reason":42})") ==
             "field `reason` is not a string");
  BOOST_TEST(problem_of(R"({"ts":"2026-12-03T17:01:00Z","run":"r1","event":"x"})") ==
             "field `seq` is missing or not a non-negative integer");
  BOOST_TEST(problem_of(R"({"ts":"03/12/2026","run":"r1","seq":1,"event":"x"})") ==
             "field `ts` is not an ISO-8601 UTC time");
  BOOST_TEST(problem_of(R"([1,2,3])") == "not a JSON object");
}

BOOST_AUTO_TEST_CASE(parse_event_line_refuses_a_line_nested_absurdly_deep) {
  // Well-formed JSON, but printing it would recurse 100000 levels.
  const std::string depth(100000, '[');
  const auto problem = problem_of(
      R"({"ts":"2026-12-03T17:01:00.021Z","run":"r1","seq":4,"event":"x","v":)" +
      depth + std::string(100000, ']') + "}");
  BOOST_TEST(problem == "nested more than 32 levels");
}

BOOST_AUTO_TEST_CASE(scan_events_numbers_lines_and_skips_blank_ones) {
  const std::string text =
      "\n" +
      std::string{R"({"ts":"2026-12-03T17:01:00.000Z","run":"r1","seq":1,"event":"checkpoint"})"} +
      "\r\n   \n{\"ts\":\n" +
      R"({"ts":"2026-12-03T17:01:01.000Z","run":"r1","seq":2,"event":"checkpoint"})";
  std::vector<malformed_line> bad;
  const auto events = events_of(text, &bad);
  BOOST_REQUIRE(events.size() == 2u);
  BOOST_TEST(events[0].line_number == 2u);
  BOOST_TEST(events[1].line_number == 5u);
  BOOST_REQUIRE(bad.size() == 1u);
  BOOST_TEST(bad[0].line_number == 4u);
}

// -- filtering and printing ---------------------------------------------------

BOOST_AUTO_TEST_CASE(filter_criteria_combine_with_and) {
  event_filter filter;
  filter.record = 443309;
  filter.actor = "transformer-1";
  BOOST_TEST(seqs_matching(filter) == (std::vector<std::uint64_t>{3, 4, 6, 10}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(filter_types_are_alternatives) {
  event_filter filter;
  filter.types = {"record_failed", "circuit_opened"};
  BOOST_TEST(seqs_matching(filter) == (std::vector<std::uint64_t>{12, 17, 18}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(filter_since_keeps_events_at_or_after_the_time) {
  event_filter filter;
  filter.since = parse_utc_time("2026-12-03T17:01:05.100Z");
  BOOST_TEST(seqs_matching(filter) == (std::vector<std::uint64_t>{20, 21, 22}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(filter_run_and_empty_filter) {
  event_filter filter;
  BOOST_TEST(seqs_matching(filter).size() == 22u);
  filter.run = run_b;
  BOOST_TEST(seqs_matching(filter).empty());
}

BOOST_AUTO_TEST_CASE(format_event_shows_time_type_run_seq_then_fields) {
  const auto events = events_of(crash_run);
  BOOST_TEST(format_event(events[5]) ==
             "2026-12-03T17:01:00.023Z  record_retried      "
             "20261203T170059Z-3fa2c1 #6       actor=transformer-1 "
             "record=443309 attempt=2 reason=\"injected fault at transform\"");
}

BOOST_AUTO_TEST_CASE(format_event_orders_a_types_own_fields_as_documented) {
  const auto events = events_of(crash_run);
  BOOST_TEST(format_event(events.back()) ==
             "2026-12-03T17:01:06.100Z  run_finished        "
             "20261203T170059Z-3fa2c1 #22      read=28 converted=24 "
             "rejected=2 failed=2 already_done=0 exit_code=1 elapsed_s=6.3");
}

BOOST_AUTO_TEST_CASE(format_event_escapes_control_characters_and_quotes) {
  const auto events = events_of(
      R"({"ts":"2026-12-03T17:01:00.000Z","run":"r1","seq":1,"event":"systemic_failure","reason":"disk \"full\"\u001b[2J"})");
  BOOST_TEST(format_event(events.at(0)) ==
             "2026-12-03T17:01:00.000Z  systemic_failure    r1 #1       "
             "reason=\"disk \\\"full\\\"\\u001b[2J\"");
}

BOOST_AUTO_TEST_CASE(quote_if_needed_leaves_plain_names_bare) {
  BOOST_TEST(quote_if_needed("transformer-1") == "transformer-1");
  BOOST_TEST(quote_if_needed("two words") == "\"two words\"");
  BOOST_TEST(quote_if_needed("\x1b[31mred") == "\"\\u001b[31mred\"");
  BOOST_TEST(quote_if_needed("") == "\"\"");
}

// -- summarising --------------------------------------------------------------

BOOST_AUTO_TEST_CASE(summary_counts_restarts_per_supervisor_and_actor) {
  const auto run = summarise(crash_run).at(0);
  BOOST_TEST(run.supervisors.at("transform").restarts == 4u);
  BOOST_TEST(run.actors.at("transformer-1").crashes == 2u);
  BOOST_TEST(run.actors.at("transformer-1").restarts == 2u);
  BOOST_TEST(run.actors.at("transformer-2").crashes == 2u);
  BOOST_TEST(run.actors.count("writer") == 0u);
}

BOOST_AUTO_TEST_CASE(summary_ranks_records_by_crashes_with_attempts) {
  const auto ranked = summarise(crash_run).at(0).most_crashed;
  BOOST_REQUIRE(ranked.size() == 2u);
  BOOST_TEST(ranked[0].key == 443309);
  BOOST_TEST(ranked[0].crashes == 3u);
  BOOST_TEST(ranked[0].attempts == 3);
  BOOST_TEST(ranked[0].failed_category == "crash");
  BOOST_TEST(ranked[1].key == 127582);
  BOOST_TEST(ranked[1].attempts == 2);
  BOOST_TEST(ranked[1].failed_category.empty());
}

BOOST_AUTO_TEST_CASE(summary_lists_at_most_ten_crashed_records) {
  std::string text;
  for (int i = 1; i <= 12; ++i) {
    // Record 1000+i crashes i times, so the two lowest drop off.
    for (int crash = 1; crash <= i; ++crash) {
      text += R"({"ts":"2026-12-03T17:01:00.000Z","run":"r1","seq":1,)"
              R"("event":"actor_crashed","actor":"transformer-1",)"
              R"("supervisor":"transform","record":)" +
              std::to_string(1000 + i) + "}\n";
    }
  }
  const auto ranked = summarise(text).at(0).most_crashed;
  BOOST_REQUIRE(ranked.size() == most_crashed_limit);
  BOOST_TEST(ranked.front().key == 1012);
  BOOST_TEST(ranked.back().key == 1003);
}

BOOST_AUTO_TEST_CASE(summary_counts_failed_records_by_category) {
  const auto failed = summarise(crash_run).at(0).failed_by_category;
  BOOST_TEST(failed.size() == 2u);
  BOOST_TEST(failed.at("crash") == 1u);
  BOOST_TEST(failed.at("mapping") == 1u);
}

BOOST_AUTO_TEST_CASE(summary_times_a_closed_circuit_from_open_to_close) {
  const auto run = summarise(crash_run).at(0);
  BOOST_REQUIRE(run.circuit_openings.size() == 1u);
  const auto& opening = run.circuit_openings[0];
  BOOST_TEST(opening.actor == "writer");
  BOOST_TEST(opening.open_for.count() == 2100);
  BOOST_TEST(opening.failures.value() == 5);
  BOOST_TEST(opening.half_opens == 1u);
  BOOST_TEST(run.reading_paused.count() == 2100);
}

BOOST_AUTO_TEST_CASE(summary_reports_a_circuit_still_open_at_the_end) {
  const auto run = summarise(
      R"({"ts":"2026-12-03T18:00:00.000Z","run":"r1","seq":1,"event":"circuit_opened","actor":"writer","failures":3}
{"ts":"2026-12-03T18:00:02.000Z","run":"r1","seq":2,"event":"circuit_half_open","actor":"writer"}
{"ts":"2026-12-03T18:00:02.050Z","run":"r1","seq":3,"event":"circuit_opened","actor":"writer","failures":4}
{"ts":"2026-12-03T18:00:07.500Z","run":"r1","seq":4,"event":"shutdown_requested","signal":15}
)").at(0);
  BOOST_REQUIRE(run.circuit_openings.size() == 1u);
  const auto& opening = run.circuit_openings[0];
  BOOST_TEST(!opening.closed.has_value());
  BOOST_TEST(opening.reopens == 1u);
  BOOST_TEST(opening.open_for.count() == 7500);
  BOOST_TEST(run.reading_paused.count() == 7500);
}

BOOST_AUTO_TEST_CASE(summary_infers_an_opening_cut_off_before_the_events) {
  const auto run = summarise(
      R"({"ts":"2026-12-03T18:00:10.000Z","run":"r1","seq":9,"event":"circuit_closed","actor":"source","open_ms":4000})")
                       .at(0);
  BOOST_REQUIRE(run.circuit_openings.size() == 1u);
  BOOST_TEST(run.circuit_openings[0].start_inferred);
  BOOST_TEST(format_utc_time(run.circuit_openings[0].opened) ==
             "2026-12-03T18:00:06.000Z");
}

BOOST_AUTO_TEST_CASE(summary_counts_overlapping_openings_once_as_paused) {
  // writer open 0s..4s, source open 3s..5s: reading paused 5s, not 6s.
  const auto run = summarise(
      R"({"ts":"2026-12-03T18:00:00.000Z","run":"r1","seq":1,"event":"circuit_opened","actor":"writer","failures":5}
{"ts":"2026-12-03T18:00:03.000Z","run":"r1","seq":2,"event":"circuit_opened","actor":"source","failures":5}
{"ts":"2026-12-03T18:00:04.000Z","run":"r1","seq":3,"event":"circuit_closed","actor":"writer","open_ms":4000}
{"ts":"2026-12-03T18:00:05.000Z","run":"r1","seq":4,"event":"circuit_closed","actor":"source","open_ms":2000}
)").at(0);
  BOOST_TEST(run.circuit_openings.size() == 2u);
  BOOST_TEST(run.reading_paused.count() == 5000);
}

BOOST_AUTO_TEST_CASE(summary_keeps_runs_apart_in_order_of_appearance) {
  const std::string interleaved =
      R"({"ts":"2026-12-03T17:02:30.001Z","run":"20261203T170230Z-9b04e7","seq":1,"event":"run_started","workers":1,"batch":50}
)" + crash_run +
      R"({"ts":"2026-12-03T17:02:31.000Z","run":"20261203T170230Z-9b04e7","seq":2,"event":"intensity_exceeded","supervisor":"pipeline","restarts":11,"reason":"11 restarts in 60s"}
{"ts":"2026-12-03T17:02:31.001Z","run":"20261203T170230Z-9b04e7","seq":3,"event":"escalated","supervisor":"pipeline","reason":"restart intensity exceeded"}
)";
  const auto runs = summarise(interleaved);
  BOOST_REQUIRE(runs.size() == 2u);
  BOOST_TEST(runs[0].run == run_b);
  BOOST_TEST(runs[0].events == 3u);
  BOOST_TEST(runs[0].supervisors.at("pipeline").intensity_exceeded == 1u);
  BOOST_TEST(runs[0].supervisors.at("pipeline").escalations == 1u);
  BOOST_TEST(runs[0].finished.is_null());
  BOOST_TEST(runs[1].run == run_a);
  BOOST_TEST(runs[1].events == 22u);
}

BOOST_AUTO_TEST_CASE(summary_keeps_the_run_finished_counts_and_type_counts) {
  const auto run = summarise(crash_run).at(0);
  BOOST_TEST(run.finished["converted"].get<int>() == 24);
  BOOST_TEST(run.finished["exit_code"].get<int>() == 1);
  BOOST_TEST(run.finished.contains("ts") == false);
  BOOST_TEST(run.events_by_type.at("actor_crashed") == 4u);
  BOOST_TEST(run.events_by_type.at("record_retried") == 3u);
}

BOOST_AUTO_TEST_CASE(summary_lifts_nested_run_settings) {
  const auto run = summarise(
      R"({"ts":"2026-12-03T17:33:59.897Z","run":"r1","seq":1,"event":"run_started","supervisor":"root","settings":{"source":"sqlite:s.db","workers":2,"batch":200}})")
                       .at(0);
  BOOST_TEST(run.started["workers"].get<int>() == 2);
  BOOST_TEST(run.started["source"].get<std::string>() == "sqlite:s.db");
  BOOST_TEST(!run.started.contains("supervisor"));
  BOOST_TEST(!run.started.contains("settings"));
}

BOOST_AUTO_TEST_CASE(summary_to_json_holds_every_section) {
  const auto json = summary_to_json(summarise(crash_run), 2);
  BOOST_TEST(json["malformed_lines"].get<int>() == 2);
  const auto& run = json["runs"][0];
  BOOST_TEST(run["run"].get<std::string>() == run_a);
  BOOST_TEST(run["supervisors"]["transform"]["restarts"].get<int>() == 4);
  BOOST_TEST(run["most_crashed_records"][0]["record"].get<int>() == 443309);
  BOOST_TEST(run["circuit_openings"][0]["closed"].get<std::string>() ==
             "2026-12-03T17:01:05.100Z");
  BOOST_TEST(run["reading_paused_ms"].get<int>() == 2100);
  BOOST_TEST(run["finished"]["read"].get<int>() == 28);
}

BOOST_AUTO_TEST_SUITE_END()
