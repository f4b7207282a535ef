#define BOOST_TEST_MODULE generated_source_run
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/contract.hpp"
#include "infra/document_generator.hpp"
#include "tests/app/cli_fixture.hpp"

namespace {

namespace fs = std::filesystem;
using xmlshred::testing::cli_fixture;

// The job every case runs: 300 documents of seed 7, 5% with a defect.
constexpr const char* document_count = "300";
constexpr long long documents = 300;
constexpr std::uint64_t seed = 7;
constexpr double defect_rate = 0.05;
const std::string generated_url =
    "generated:?count=300&seed=7&defect-rate=0.05";

/// Keys of the job's documents that carry no defect, from the generator
/// itself: what the run must convert.
std::vector<std::string> defect_free_keys() {
  auto loaded = xmlshred::domain::load_contract_file(cli_fixture::contract());
  BOOST_REQUIRE_MESSAGE(loaded.loaded, "the contract does not load");
  xmlshred::infra::generator_options options;
  options.seed = seed;
  options.defect_rate = defect_rate;
  const xmlshred::infra::document_generator generator{*loaded.loaded,
                                                      options};
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < static_cast<std::size_t>(documents); ++i) {
    const auto document = generator.generate(i);
    if (document.defect == xmlshred::infra::defect_kind::none) {
      keys.push_back(std::to_string(document.key));
    }
  }
  return keys;
}

struct generated_fixture : cli_fixture {
  /// run from `source` into `target`; returns the exit code.
  int run_into(const std::string& source, const std::string& target) {
    return run({"run", "--source", source, "--target", target,
                "--contract", contract(), "--workers", "2",
                "--summary-json", path("summary.json")});
  }

  nlohmann::json summary() const {
    std::ifstream in{path("summary.json")};
    return nlohmann::json::parse(in);
  }

  std::string dump(const std::string& target) {
    std::string out;
    const int code =
        run_capturing({"dump", "--target", target, "--contract", contract()},
                      out);
    BOOST_REQUIRE_MESSAGE(code == 0, "dump exit code " << code);
    return out;
  }

  /// Runs `args`, expects exit 2 and that no target file appeared.
  void expect_refused(const std::vector<std::string>& args,
                      const std::string& wanted_message) {
    BOOST_TEST(run(args) == 2, "exit code of " << args.at(0));
    BOOST_TEST(last_log().find(wanted_message) != std::string::npos,
               last_log());
    BOOST_TEST(!fs::exists(target_db()));
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(generated_source_run, generated_fixture)

BOOST_AUTO_TEST_CASE(converts_every_defect_free_document_and_logs_every_key) {
  const int code = run_into(generated_url, target_url());
  BOOST_TEST((code == 0 || code == 1), "run exit code " << code);
  BOOST_TEST(query_number(target_db(), "SELECT COUNT(*) FROM processing_log")
             == documents);
  const auto converted = query_column(
      target_db(), "SELECT app_id FROM processing_log "
                   "WHERE status = 'converted' ORDER BY app_id");
  const auto wanted = defect_free_keys();
  BOOST_TEST(wanted.size() > 250U);
  for (const auto& key : wanted) {
    BOOST_TEST(std::binary_search(converted.begin(), converted.end(), key),
               "key " << key << " not converted");
  }
}

BOOST_AUTO_TEST_CASE(a_rerun_converts_nothing_and_skips_every_key) {
  run_into(generated_url, target_url());
  BOOST_TEST(run_into(generated_url, target_url()) == 0);
  const auto totals = summary();
  BOOST_TEST(totals.at("converted").get<long long>() == 0);
  BOOST_TEST(totals.at("records_read").get<long long>() == 0);
  BOOST_TEST(totals.at("already_done").get<long long>() == documents);
}

BOOST_AUTO_TEST_CASE(rows_equal_those_of_a_run_over_a_generated_sqlite_source) {
  BOOST_REQUIRE(run({"generate", "--count", document_count, "--seed", "7",
                     "--defect-rate", "0.05", "--source", source_url(),
                     "--contract", contract()}) == 0);
  const auto stored = "sqlite:" + path("stored.db");
  run_into(source_url(), stored);
  run_into(generated_url, target_url());
  const auto from_generator = dump(target_url());
  BOOST_TEST(from_generator.size() > 1000U);
  BOOST_TEST(from_generator == dump(stored));
}

BOOST_AUTO_TEST_CASE(bad_generated_urls_are_refused_naming_the_parameter) {
  const auto run_from = [&](const std::string& source) {
    return std::vector<std::string>{"run",      "--source", source,
                                    "--target", target_url(),
                                    "--contract", contract()};
  };
  expect_refused(run_from("generated:?seed=3"), "'count' is required");
  expect_refused(run_from("generated:?count=many"), "parameter 'count'");
  expect_refused(run_from("generated:?count=5&colour=red"),
                 "unknown parameter 'colour'");
  expect_refused(run_from("generated:?count=5&defect-rate=2"),
                 "parameter 'defect-rate'");
}

BOOST_AUTO_TEST_CASE(commands_that_write_or_need_a_database_refuse_it) {
  const std::string c = contract();
  expect_refused({"run", "--source", source_url(), "--target",
                  generated_url, "--contract", c},
                 "--target: '" + generated_url + "' makes documents");
  expect_refused({"import", samples(), "--source", generated_url,
                  "--contract", c},
                 "--source: '" + generated_url + "' makes documents");
  expect_refused({"generate", "--count", "3", "--source", generated_url,
                  "--contract", c},
                 "--source: '" + generated_url + "' makes documents");
  expect_refused({"requeue", "--target", generated_url, "--contract", c,
                  "--status", "failed"},
                 "--target: '" + generated_url + "' makes documents");
  expect_refused({"check", "--contract", c, "--target", generated_url},
                 "--target: '" + generated_url + "' makes documents");
  expect_refused({"verify", "--source", generated_url, "--target",
                  generated_url, "--contract", c},
                 "--target: '" + generated_url + "' makes documents");
}

BOOST_AUTO_TEST_CASE(no_ddl_with_a_generated_source_is_refused) {
  expect_refused({"run", "--source", generated_url, "--target", target_url(),
                  "--contract", contract(), "--no-ddl"},
                 "--no-ddl: a generated source has no table to check");
}

BOOST_AUTO_TEST_CASE(verify_accepts_the_generated_source_of_a_run) {
  run_into(generated_url, target_url());
  std::string out;
  BOOST_TEST(run_capturing({"verify", "--source", generated_url, "--target",
                            target_url(), "--contract", contract(),
                            "--json"},
                           out) == 0,
             last_log());
  const auto report = nlohmann::json::parse(out);
  BOOST_TEST(report.at("source_keys").get<long long>() == documents);
}

BOOST_AUTO_TEST_SUITE_END()
