#define BOOST_TEST_MODULE supervision
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/app/cli_fixture.hpp"

namespace {

constexpr int exit_ok = 0;
constexpr int exit_some_failed = 1;
constexpr int exit_aborted = 3;
constexpr int exit_sigabrt = 134;
constexpr int exit_sigkill = 137;
constexpr const char* poison_key = "127582";

using json = nlohmann::json;

/// Runs the shipped samples through xmlshred with a configuration file and
/// reads back the event log.
struct supervision_fixture : xmlshred::testing::cli_fixture {
  supervision_fixture() { import_samples(); }

  int convert_with(const std::string& toml,
                   const std::vector<std::string>& extra = {}) {
    std::ofstream{path("run.toml")} << toml;
    std::vector<std::string> args{"--config", path("run.toml"), "--events",
                                  events_file()};
    args.insert(args.end(), extra.begin(), extra.end());
    return convert(args);
  }

  std::string events_file() const { return path("events.jsonl"); }

  std::vector<json> events(const std::string& type = "") const {
    std::vector<json> found;
    std::ifstream in{events_file()};
    for (std::string line; std::getline(in, line);) {
      auto event = json::parse(line);
      if (type.empty() || event["event"] == type) {
        found.push_back(std::move(event));
      }
    }
    return found;
  }

  /// Actors of `supervisor` that were restarted, by name.
  std::set<std::string> restarted(const std::string& supervisor) const {
    std::set<std::string> names;
    for (const auto& event : events("actor_restarted")) {
      if (event["supervisor"] == supervisor) {
        names.insert(event["actor"].get<std::string>());
      }
    }
    return names;
  }

  std::string crashed_transformer() const {
    return events("actor_crashed").at(0)["actor"].get<std::string>();
  }

  long long log_rows(const std::string& where = "1 = 1") {
    return query_number(target_db(),
                        "SELECT count(*) FROM processing_log WHERE " + where);
  }

  long long source_rows() {
    return query_number(source_db(), "SELECT count(*) FROM app_xml_staging");
  }

  /// Every source record has exactly one log row and one app_base row per
  /// converted record: nothing lost, nothing written twice.
  void check_exactly_once() {
    BOOST_TEST(log_rows() == source_rows());
    BOOST_TEST(query_number(target_db(), "SELECT count(DISTINCT app_id) "
                                         "FROM processing_log") ==
               source_rows());
    BOOST_TEST(query_number(target_db(), "SELECT count(*) FROM app_base") ==
               log_rows("status = 'converted'"));
  }
};

std::string pool_config(const std::string& strategy) {
  return "[run]\nworkers = 3\n[supervision.transform]\nstrategy = \"" +
         strategy + "\"\nbackoff_min_ms = 1\n";
}

std::string transformer_name(int index) {
  return "transformer-" + std::to_string(index);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(supervision, supervision_fixture)

BOOST_AUTO_TEST_CASE(one_for_one_restarts_only_the_crashed_transformer) {
  convert_with(pool_config("one_for_one"),
               {"--fault", "transform:throw:key=127582:times=1"});
  BOOST_TEST(restarted("transform") ==
             std::set<std::string>{crashed_transformer()});
}

BOOST_AUTO_TEST_CASE(one_for_all_restarts_every_transformer) {
  convert_with(pool_config("one_for_all"),
               {"--fault", "transform:throw:key=127582:times=1"});
  BOOST_TEST(restarted("transform") ==
             (std::set<std::string>{transformer_name(1), transformer_name(2),
                                    transformer_name(3)}));
  check_exactly_once();
}

BOOST_AUTO_TEST_CASE(rest_for_one_restarts_the_crashed_and_later_ones) {
  convert_with(pool_config("rest_for_one"),
               {"--fault", "transform:throw:key=127582:times=1"});
  const auto crashed = crashed_transformer();
  const int first = crashed.back() - '0';
  std::set<std::string> expected;
  for (int index = first; index <= 3; ++index) {
    expected.insert(transformer_name(index));
  }
  BOOST_TEST(restarted("transform") == expected);
}

BOOST_AUTO_TEST_CASE(a_poison_record_fails_after_max_attempts_alone) {
  BOOST_TEST(convert_with("[pipeline]\nmax_attempts = 4\n",
                          {"--fault", "transform:throw:key=127582"}) ==
             exit_some_failed);
  BOOST_TEST(events("record_retried").size() == 3U);
  BOOST_TEST(log_rows("status = 'failed'") == 1);
  BOOST_TEST(log_rows("app_id = 127582 AND category = 'crash' AND "
                      "attempts = 4") == 1);
}

BOOST_AUTO_TEST_CASE(intensity_exceeded_escalates_exits_3_and_rerun_completes) {
  const auto code = convert_with(
      "[supervision.source]\nmax_restarts = 2\nbackoff_min_ms = 1\n",
      {"--fault", "read:throw:every=1"});
  BOOST_TEST(code == exit_aborted, last_log());
  BOOST_TEST(events("intensity_exceeded").size() == 1U);
  BOOST_TEST(events("escalated").size() == 2U);  // source, then root
  BOOST_TEST(convert() == exit_ok);
  check_exactly_once();
}

BOOST_AUTO_TEST_CASE(write_errors_at_five_percent_convert_every_record_once) {
  // Strikes are a function of seed, key and event number; with seed 4 this
  // fault strikes several times on the shipped samples.
  BOOST_TEST(convert_with("[run]\nbatch = 5\nfault_seed = 4\n"
                          "[circuit]\ncooldown_ms = 20\n",
                          {"--fault", "write:error:p=0.05"}) == exit_ok,
             last_log());
  BOOST_TEST(events("fault_injected").size() >= 2U);
  check_exactly_once();
}

BOOST_AUTO_TEST_CASE(a_dropped_connection_reconnects_and_loses_nothing) {
  BOOST_TEST(convert_with("[run]\nbatch = 4\n",
                          {"--fault", "write:disconnect:every=3:times=2"}) ==
             exit_ok);
  BOOST_TEST(events("fault_injected").size() == 2U);
  check_exactly_once();
}

BOOST_AUTO_TEST_CASE(a_crashed_writer_restarts_and_gets_its_batch_again) {
  BOOST_TEST(convert_with("[run]\nbatch = 4\n[supervision.sink]\n"
                          "backoff_min_ms = 1\n",
                          {"--fault", "commit:throw:every=2:times=1"}) ==
             exit_ok);
  BOOST_TEST(restarted("sink") == std::set<std::string>{"writer"});
  check_exactly_once();
}

BOOST_AUTO_TEST_CASE(the_breaker_opens_pauses_and_closes) {
  BOOST_TEST(convert_with("[circuit]\nfailures = 3\ncooldown_ms = 50\n",
                          {"--fault", "commit:error:every=1:times=4"}) ==
             exit_ok);
  BOOST_TEST(events("circuit_opened").size() == 1U);
  BOOST_TEST(events("circuit_half_open").size() == 2U);
  BOOST_TEST(events("circuit_closed").size() == 1U);
  check_exactly_once();
}

BOOST_AUTO_TEST_CASE(a_target_down_too_long_ends_the_run_resumably) {
  BOOST_TEST(convert_with("[circuit]\nfailures = 1\ncooldown_ms = 200\n"
                          "give_up_after_s = 1\n",
                          {"--fault", "commit:error:every=1"}) ==
             exit_aborted);
  BOOST_TEST(log_rows() == 0);
  BOOST_TEST(convert() == exit_ok);
  check_exactly_once();
}

BOOST_AUTO_TEST_CASE(an_abort_kills_the_process_and_a_rerun_completes) {
  BOOST_TEST(convert_with("", {"--fault", "parse:abort:after=5"}) ==
             exit_sigabrt);
  BOOST_TEST(convert() == exit_ok);
  check_exactly_once();
}

BOOST_AUTO_TEST_CASE(a_kill_during_commit_loses_nothing_on_rerun) {
  BOOST_TEST(convert_with("[run]\nbatch = 3\n",
                          {"--fault", "commit:kill:after=2"}) == exit_sigkill);
  const auto committed = log_rows();
  BOOST_TEST(committed == 6);  // two batches of three
  BOOST_TEST(convert() == exit_ok);
  check_exactly_once();
}

BOOST_AUTO_TEST_CASE(a_hanging_record_fails_as_timeout_and_the_run_goes_on) {
  BOOST_TEST(convert_with("", {"--fault", "transform:hang:key=127582:ms=3000",
                               "--record-timeout-ms", "500"}) ==
             exit_some_failed);
  BOOST_TEST(log_rows("app_id = 127582 AND category = 'timeout'") == 1);
  BOOST_TEST(log_rows("status = 'converted'") == source_rows() - 1);
}

BOOST_AUTO_TEST_CASE(a_delay_strikes_without_failing_any_record) {
  BOOST_TEST(convert_with("", {"--fault", "transform:delay:every=5:ms=20"}) ==
             exit_ok);
  BOOST_TEST(events("fault_injected").size() ==
             static_cast<std::size_t>(source_rows() / 5));
  check_exactly_once();
}

BOOST_AUTO_TEST_CASE(the_same_seed_with_one_worker_repeats_the_events) {
  auto run_once = [&](const std::string& target) {
    std::vector<std::string> args{"run",        "--source", source_url(),
                                  "--target",   target,     "--contract",
                                  contract(),   "--workers", "1",
                                  "--events",   events_file(),
                                  "--fault",    "transform:throw:p=0.3",
                                  "--fault-seed", "7"};
    run(args);
    // Each supervisor's own events are sequential; across supervisors the
    // threads may interleave, so sequences are compared per supervisor.
    std::map<std::string, std::vector<std::string>> per_supervisor;
    for (const auto& event : events()) {
      std::string line = event["event"].get<std::string>();
      for (const char* field : {"actor", "record", "attempt", "category",
                                "backoff_ms", "restarts"}) {
        if (event.contains(field)) {
          line += " " + event[field].dump();
        }
      }
      per_supervisor[event.value("supervisor", "")].push_back(line);
    }
    std::remove(events_file().c_str());
    return per_supervisor;
  };
  const auto first = run_once("sqlite:" + path("first.db"));
  const auto second = run_once("sqlite:" + path("second.db"));
  BOOST_TEST(first.at("transform").size() > 3U);
  BOOST_TEST((first == second));
}

BOOST_AUTO_TEST_SUITE_END()
