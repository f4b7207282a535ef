#define BOOST_TEST_MODULE reliability
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "tests/app/cli_fixture.hpp"

namespace {

constexpr int exit_ok = 0;
constexpr int exit_some_failed = 1;
constexpr int exit_sigabrt = 134;
constexpr int max_process_crashes = 3;

struct reliability_fixture : xmlshred::testing::cli_fixture {
  reliability_fixture() { import_samples(); }

  long long log_rows(const std::string& where) {
    return query_number(target_db(),
                        "SELECT count(*) FROM processing_log WHERE " + where);
  }
  long long source_rows() {
    return query_number(source_db(), "SELECT count(*) FROM app_xml_staging");
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(reliability, reliability_fixture)

BOOST_AUTO_TEST_CASE(a_record_that_aborts_the_process_ends_as_process_crash) {
  const std::vector<std::string> poison{"--fault",
                                        "transform:abort:key=127582"};
  for (int death = 1; death <= max_process_crashes; ++death) {
    BOOST_TEST(convert(poison) == exit_sigabrt, "death " << death);
  }
  BOOST_TEST(convert(poison) == exit_some_failed, last_log());
  BOOST_TEST(log_rows("app_id = 127582 AND status = 'failed' AND "
                      "category = 'process_crash'") == 1);
  BOOST_TEST(log_rows("status = 'converted'") == source_rows() - 1);
}

BOOST_AUTO_TEST_CASE(an_innocent_record_in_flight_at_a_death_still_converts) {
  // One death counts against what was in flight, below the limit: those
  // records are tried again and convert.
  BOOST_TEST(convert({"--fault", "transform:abort:key=127582:times=1"}) ==
             exit_sigabrt);
  BOOST_TEST(convert() == exit_ok);
  BOOST_TEST(log_rows("status = 'converted'") == source_rows());
}

BOOST_AUTO_TEST_CASE(supervise_restarts_a_dying_run_until_the_job_is_done) {
  std::ofstream{path("run.toml")}
      << "[supervision.process]\nbackoff_min_ms = 1\n";
  BOOST_TEST(convert({"--supervise", "--config", path("run.toml"),
                      "--events", path("events.jsonl"), "--fault",
                      "transform:abort:key=127582"}) == exit_some_failed,
             last_log());
  BOOST_TEST(log_rows("app_id = 127582 AND category = 'process_crash'") == 1);
  BOOST_TEST(log_rows("status = 'converted'") == source_rows() - 1);
  std::ifstream events{path("events.jsonl")};
  int restarts = 0;
  for (std::string line; std::getline(events, line);) {
    restarts += line.find("\"process_restarted\"") != std::string::npos;
  }
  BOOST_TEST(restarts == max_process_crashes);
}

BOOST_AUTO_TEST_CASE(absurdly_deep_nesting_fails_the_record_not_the_run) {
  std::string deep = "<Provenir><Request ID=\"999002\">";
  for (int level = 0; level < 100000; ++level) {
    deep += "<a>";
  }
  execute(source_db(), "INSERT INTO app_xml_staging (app_id, app_XML) "
                       "VALUES (999002, '" + deep + "')");
  BOOST_TEST(convert() == exit_some_failed);
  BOOST_TEST(log_rows("app_id = 999002 AND status = 'failed'") == 1);
  BOOST_TEST(log_rows("status = 'converted'") == source_rows() - 1);
}

BOOST_AUTO_TEST_SUITE_END()
