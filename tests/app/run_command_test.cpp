#define BOOST_TEST_MODULE run_command
#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/app/cli_fixture.hpp"

using xmlshred::testing::cli_fixture;

namespace {

constexpr int exit_ok = 0;
constexpr int exit_some_failed = 1;
constexpr int exit_usage = 2;
constexpr int exit_sigterm = 143;

/// Application ids the reference conversion marks "ok" among the shipped
/// samples, read from the shipped expected files.
std::set<std::string> expected_converted_keys() {
  std::set<std::string> keys;
  const auto dir = std::filesystem::path{XMLSHRED_TEST_DATA_DIR} /
                   "expected" / "cc";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in{entry.path()};
    auto expected = nlohmann::json::parse(in);
    if (expected["status"] == "ok") {
      keys.insert(expected["app_id"].get<std::string>());
    }
  }
  return keys;
}

std::set<std::string> as_set(const std::vector<std::string>& values) {
  return {values.begin(), values.end()};
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(run_command, cli_fixture)

BOOST_AUTO_TEST_CASE(import_names_unreadable_files_and_loads_the_rest) {
  BOOST_TEST(import_samples() == exit_some_failed);
  BOOST_TEST(last_log().find("bloat.xml") != std::string::npos);
  const auto loaded = query_number(source_db(),
                                   "SELECT count(*) FROM app_xml_staging");
  BOOST_TEST(loaded == static_cast<long long>(expected_converted_keys().size()));
}

BOOST_AUTO_TEST_CASE(import_never_overwrites_a_present_key) {
  import_samples();
  execute(source_db(), "UPDATE app_xml_staging SET app_XML = 'kept' "
                       "WHERE app_id = 127582");
  import_samples();
  BOOST_TEST(last_log().find("already in the source") != std::string::npos);
  BOOST_TEST(query_column(source_db(), "SELECT app_XML FROM app_xml_staging "
                                       "WHERE app_id = 127582")
                 .front() == "kept");
}

BOOST_AUTO_TEST_CASE(run_converts_every_sample_the_reference_converts) {
  import_samples();
  const int code = convert();
  BOOST_TEST((code == exit_ok || code == exit_some_failed), last_log());
  const auto converted = query_column(
      target_db(),
      "SELECT app_id FROM processing_log WHERE status = 'converted'");
  BOOST_TEST(as_set(converted) == expected_converted_keys());
  BOOST_TEST(query_number(target_db(), "SELECT count(*) FROM app_base") ==
             static_cast<long long>(converted.size()));
}

BOOST_AUTO_TEST_CASE(every_source_record_gets_exactly_one_log_row) {
  import_samples();
  convert();
  BOOST_TEST(query_number(target_db(), "SELECT count(*) FROM processing_log") ==
             query_number(source_db(), "SELECT count(*) FROM app_xml_staging"));
  BOOST_TEST(query_number(target_db(),
                          "SELECT count(DISTINCT app_id) FROM processing_log") ==
             query_number(target_db(), "SELECT count(*) FROM processing_log"));
}

BOOST_AUTO_TEST_CASE(a_second_run_converts_nothing_and_exits_zero) {
  import_samples();
  convert();
  const auto rows_before =
      query_number(target_db(), "SELECT count(*) FROM app_contact_base");
  BOOST_TEST(convert({"--summary-json", path("second.json")}) == exit_ok);
  std::ifstream in{path("second.json")};
  const auto summary = nlohmann::json::parse(in);
  BOOST_TEST(summary["converted"].get<int>() == 0);
  BOOST_TEST(summary["records_read"].get<int>() == 0);
  BOOST_TEST(query_number(target_db(), "SELECT count(*) FROM app_contact_base")
             == rows_before);
}

BOOST_AUTO_TEST_CASE(a_hand_inserted_broken_document_fails_with_a_reason) {
  import_samples();
  execute(source_db(), "INSERT INTO app_xml_staging (app_id, app_XML) "
                       "VALUES (999001, '<Provenir><Request ID=\"999001\">')");
  BOOST_TEST(convert() == exit_some_failed);
  const auto row = query_column(
      target_db(), "SELECT status || '/' || category FROM processing_log "
                   "WHERE app_id = 999001");
  BOOST_TEST(row.front() == "failed/not_well_formed");
  BOOST_TEST(query_column(target_db(), "SELECT message FROM processing_log "
                                       "WHERE app_id = 999001")
                 .front() != "NULL");
}

BOOST_AUTO_TEST_CASE(a_record_that_crashes_the_transformer_fails_alone) {
  import_samples();
  BOOST_TEST(convert({"--fault", "transform:throw:key=127582"}) ==
             exit_some_failed);
  BOOST_TEST(query_column(target_db(),
                          "SELECT status || '/' || category || '/' || attempts "
                          "FROM processing_log WHERE app_id = 127582")
                 .front() == "failed/crash/3");
  BOOST_TEST(query_number(target_db(),
                          "SELECT count(*) FROM processing_log WHERE "
                          "status = 'converted'") ==
             static_cast<long long>(expected_converted_keys().size() - 1));
}

BOOST_AUTO_TEST_CASE(a_constraint_violation_rolls_back_only_its_record) {
  import_samples();
  convert();
  // Forget three records; leave one of them a conflicting app_base row.
  forget_records(target_db(), "127582, 127781, 142305");
  execute(target_db(), "INSERT INTO app_base (app_id, receive_date, "
                       "product_line_enum) VALUES (127582, "
                       "'2015-11-05 00:00:00', 600)");
  BOOST_TEST(convert() == exit_some_failed);
  BOOST_TEST(query_column(target_db(),
                          "SELECT status || '/' || category FROM processing_log "
                          "WHERE app_id = 127582")
                 .front() == "failed/constraint");
  BOOST_TEST(query_number(target_db(), "SELECT count(*) FROM app_contact_base "
                                       "WHERE app_id = 127582") == 0);
  BOOST_TEST(query_number(target_db(),
                          "SELECT count(*) FROM processing_log WHERE app_id IN "
                          "(127781, 142305) AND status = 'converted'") == 2);
}

BOOST_AUTO_TEST_CASE(sigterm_stops_cleanly_and_a_rerun_completes) {
  import_samples();
  const auto pid = start({"run", "--source", source_url(), "--target",
                          target_url(), "--contract", contract(), "--workers",
                          "1", "--batch", "2", "--fault",
                          "transform:delay:every=1:ms=150"});
  std::this_thread::sleep_for(std::chrono::milliseconds{1500});
  kill(pid, SIGTERM);
  BOOST_TEST(wait_for(pid) == exit_sigterm, last_log());
  const auto done_first =
      query_number(target_db(), "SELECT count(*) FROM processing_log");
  const auto total =
      query_number(source_db(), "SELECT count(*) FROM app_xml_staging");
  BOOST_TEST(done_first > 0);
  BOOST_TEST(done_first < total);
  convert();
  BOOST_TEST(query_number(target_db(), "SELECT count(*) FROM processing_log") ==
             total);
}

BOOST_AUTO_TEST_CASE(a_broken_contract_stops_before_anything_is_written) {
  import_samples();
  std::ofstream{path("broken.json")} << "{\"mappings\": [}";
  BOOST_TEST(run({"run", "--source", source_url(), "--target", target_url(),
                  "--contract", path("broken.json")}) == exit_usage);
  BOOST_TEST(last_log().find("broken.json") != std::string::npos);
  BOOST_TEST(!std::filesystem::exists(target_db()));
}

BOOST_AUTO_TEST_CASE(an_unknown_config_key_names_file_and_path) {
  std::ofstream{path("run.toml")} << "[run]\nwokers = 4\n";
  BOOST_TEST(run({"run", "--config", path("run.toml"), "--source",
                  source_url(), "--target", target_url(), "--contract",
                  contract()}) == exit_usage);
  BOOST_TEST(last_log().find("run.toml: run.wokers") != std::string::npos,
             last_log());
  BOOST_TEST(!std::filesystem::exists(target_db()));
}

BOOST_AUTO_TEST_CASE(a_bad_fault_spec_is_refused_at_start) {
  import_samples();
  BOOST_TEST(convert({"--fault", "transform:explode:key=1"}) == exit_usage);
  BOOST_TEST(last_log().find("unknown action") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
