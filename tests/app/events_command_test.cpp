#define BOOST_TEST_MODULE events_command
#include <boost/test/unit_test.hpp>

#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/app/cli_fixture.hpp"

using xmlshred::testing::cli_fixture;

namespace {

constexpr int exit_ok = 0;
constexpr int exit_malformed = 1;
constexpr int exit_usage = 2;

/// Two runs appending to one file: the first crashes on record 443309 until
/// it fails, its writer circuit opens and closes; the second is stopped by
/// SIGTERM while its writer circuit is open.
const std::vector<std::string> two_runs{
    R"({"ts":"2026-12-03T17:00:59.812Z","run":"20261203T170059Z-3fa2c1","seq":1,"event":"run_started","source":"sqlite:source.db","target":"sqlite:target.db","contracts":["examples/contracts/credit_card.json"],"workers":2,"batch":200})",
    R"({"ts":"2026-12-03T17:01:00.021Z","run":"20261203T170059Z-3fa2c1","seq":2,"event":"actor_crashed","actor":"transformer-1","supervisor":"transform","record":443309,"reason":"injected fault at transform"})",
    R"({"ts":"2026-12-03T17:01:00.022Z","run":"20261203T170059Z-3fa2c1","seq":3,"event":"actor_restarted","actor":"transformer-1","supervisor":"transform","restarts":1,"strategy":"one_for_one"})",
    R"({"ts":"2026-12-03T17:01:00.023Z","run":"20261203T170059Z-3fa2c1","seq":4,"event":"record_retried","record":443309,"attempt":2,"actor":"transformer-1","reason":"injected fault at transform"})",
    R"({"ts":"2026-12-03T17:01:00.120Z","run":"20261203T170059Z-3fa2c1","seq":5,"event":"actor_crashed","actor":"transformer-2","supervisor":"transform","record":443309,"reason":"injected fault at transform"})",
    R"({"ts":"2026-12-03T17:01:00.121Z","run":"20261203T170059Z-3fa2c1","seq":6,"event":"actor_restarted","actor":"transformer-2","supervisor":"transform","restarts":2,"strategy":"one_for_one"})",
    R"({"ts":"2026-12-03T17:01:00.232Z","run":"20261203T170059Z-3fa2c1","seq":7,"event":"record_failed","record":443309,"attempt":2,"category":"crash","reason":"crashed on every attempt"})",
    R"({"ts":"2026-12-03T17:02:30.001Z","run":"20261203T170230Z-9b04e7","seq":1,"event":"run_started","source":"sqlite:other.db","target":"sqlite:target.db","contracts":["examples/contracts/rec_lending.json"],"workers":1,"batch":50})",
    R"({"ts":"2026-12-03T17:02:31.000Z","run":"20261203T170059Z-3fa2c1","seq":8,"event":"circuit_opened","actor":"writer","failures":5})",
    R"({"ts":"2026-12-03T17:02:33.500Z","run":"20261203T170059Z-3fa2c1","seq":9,"event":"circuit_closed","actor":"writer","open_ms":2500})",
    R"({"ts":"2026-12-03T17:02:34.000Z","run":"20261203T170230Z-9b04e7","seq":2,"event":"circuit_opened","actor":"writer","failures":3})",
    R"({"ts":"2026-12-03T17:02:40.000Z","run":"20261203T170059Z-3fa2c1","seq":10,"event":"run_finished","read":28,"converted":26,"rejected":1,"failed":1,"already_done":0,"exit_code":1,"elapsed_s":100.2})",
    R"({"ts":"2026-12-03T17:02:41.000Z","run":"20261203T170230Z-9b04e7","seq":3,"event":"shutdown_requested","signal":15})",
};

std::string join(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) {
    text += line + "\n";
  }
  return text;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in{text};
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// A scratch folder holding the two-run event log as events.jsonl.
struct events_fixture : cli_fixture {
  events_fixture() { write_file("events.jsonl", join(two_runs)); }

  /// `xmlshred events events.jsonl ARGS...`; stdout in `output`.
  int events(const std::vector<std::string>& args) {
    std::vector<std::string> full{"events", path("events.jsonl")};
    full.insert(full.end(), args.begin(), args.end());
    return run_capturing(full, output);
  }

  std::string output;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(events_command, events_fixture)

BOOST_AUTO_TEST_CASE(lists_every_event_one_line_each_time_and_type_first) {
  BOOST_TEST(events({}) == exit_ok, last_log());
  const auto lines = lines_of(output);
  BOOST_REQUIRE(lines.size() == two_runs.size());
  BOOST_TEST(lines[3] ==
             "2026-12-03T17:01:00.023Z  record_retried      "
             "20261203T170059Z-3fa2c1 #4       actor=transformer-1 "
             "record=443309 attempt=2 reason=\"injected fault at transform\"");
}

BOOST_AUTO_TEST_CASE(filters_by_run_type_and_record_together) {
  BOOST_TEST(events({"--run", "20261203T170059Z-3fa2c1", "--type",
                     "actor_crashed", "--type", "record_failed", "--record",
                     "443309"}) == exit_ok);
  const auto lines = lines_of(output);
  BOOST_REQUIRE(lines.size() == 3u);
  BOOST_TEST(contains(lines[0], "actor_crashed"));
  BOOST_TEST(contains(lines[2], "record_failed"));
}

BOOST_AUTO_TEST_CASE(since_and_actor_narrow_the_events) {
  BOOST_TEST(events({"--since", "2026-12-03T17:02:33Z", "--actor", "writer"}) ==
             exit_ok);
  const auto lines = lines_of(output);
  BOOST_REQUIRE(lines.size() == 2u);
  BOOST_TEST(contains(lines[0], "circuit_closed"));
  BOOST_TEST(contains(lines[1], "circuit_opened"));
}

BOOST_AUTO_TEST_CASE(json_prints_the_matching_lines_unchanged) {
  BOOST_TEST(events({"--json", "--run", "20261203T170230Z-9b04e7"}) ==
             exit_ok);
  BOOST_TEST(output == join({two_runs[7], two_runs[10], two_runs[12]}));
}

BOOST_AUTO_TEST_CASE(summary_shows_each_section_per_run) {
  BOOST_TEST(events({"--summary"}) == exit_ok, last_log());
  BOOST_TEST(contains(output, "run 20261203T170059Z-3fa2c1\n"));
  BOOST_TEST(contains(output, "run 20261203T170230Z-9b04e7\n"));
  BOOST_TEST(contains(output, "    transform                    2"));
  BOOST_TEST(contains(output, "    443309                         2         2  "
                              "failed: crash"));
  BOOST_TEST(contains(output, "still open at end"));
  BOOST_TEST(contains(output, "  reading paused  2.500s\n"));
  BOOST_TEST(contains(output, "  finished  read=28 converted=26 rejected=1 "
                              "failed=1 already_done=0 exit_code=1"));
}

BOOST_AUTO_TEST_CASE(summary_json_is_one_object_with_every_run) {
  BOOST_TEST(events({"--summary", "--json"}) == exit_ok);
  const auto summary = nlohmann::json::parse(output);
  BOOST_REQUIRE(summary["runs"].size() == 2u);
  BOOST_TEST(summary["malformed_lines"].get<int>() == 0);
  const auto& stopped = summary["runs"][1];
  BOOST_TEST(stopped["circuit_openings"][0]["still_open"].get<bool>());
  BOOST_TEST(stopped["circuit_openings"][0]["open_ms"].get<int>() == 7000);
}

BOOST_AUTO_TEST_CASE(malformed_line_is_named_by_number_and_never_echoed) {
  auto lines = two_runs;
  // A line cut off mid-write whose text must not reach the terminal.
  lines.insert(lines.begin() + 2,
               R"({"ts":"2026-12-03T17:01:00.021Z","run":"20261203T170059Z-3fa2c1","reason":"card 4111111111111111)");
  write_file("events.jsonl", join(lines));
  BOOST_TEST(events({}) == exit_malformed);
  BOOST_TEST(lines_of(output).size() == two_runs.size());
  BOOST_TEST(contains(last_log(), "events.jsonl:3: skipped: not valid JSON"));
  BOOST_TEST(!contains(last_log(), "4111111111111111"));
  BOOST_TEST(!contains(output, "4111111111111111"));
}

BOOST_AUTO_TEST_CASE(missing_file_is_a_usage_error) {
  std::string ignored;
  BOOST_TEST(run_capturing({"events", path("absent.jsonl")}, ignored) ==
             exit_usage);
}

BOOST_AUTO_TEST_CASE(bad_since_or_record_is_a_usage_error) {
  BOOST_TEST(events({"--since", "2026-02-30"}) == exit_usage);
  BOOST_TEST(contains(last_log(), "--since"));
  BOOST_TEST(output.empty());
  BOOST_TEST(events({"--record", "not-a-key"}) == exit_usage);
}

BOOST_AUTO_TEST_CASE(summarises_the_log_of_a_real_run_with_a_poisonous_record) {
  // The fault crashes the transformer on 127582 at every attempt (3 by
  // default), so the record fails as crash and the others convert.
  BOOST_REQUIRE(import_samples() == exit_malformed);
  const auto log = path("run-events.jsonl");
  convert({"--fault", "transform:throw:key=127582", "--events", log,
           "--workers", "2"});
  BOOST_TEST(run_capturing({"events", log, "--summary", "--json"}, output) ==
             exit_ok, last_log());
  const auto run = nlohmann::json::parse(output)["runs"].at(0);
  const auto& worst = run["most_crashed_records"].at(0);
  BOOST_TEST(worst["record"].get<long long>() == 127582);
  BOOST_TEST(worst["crashes"].get<int>() == 3);
  BOOST_TEST(worst["failed_category"].get<std::string>() == "crash");
  BOOST_TEST(run["failed_by_category"]["crash"].get<int>() == 1);
  BOOST_TEST(run["finished"]["failed"].get<int>() == 1);
  BOOST_TEST(run["started"]["workers"].get<int>() == 2);
}

BOOST_AUTO_TEST_SUITE_END()
