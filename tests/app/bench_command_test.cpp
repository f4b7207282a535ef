#define BOOST_TEST_MODULE bench_command
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "tests/app/cli_fixture.hpp"

namespace {

using xmlshred::testing::cli_fixture;

/// A tiny benchmark: enough to run every stage, far too small for figures
/// worth reading. Nothing here looks at speed.
struct bench_fixture : cli_fixture {
  std::string output;
  nlohmann::json report;

  int run_bench(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{
        "bench",     "--documents",      "12",
        "--workers", "2",                "--generated-pool",
        "3",         "--contract",       contract(),
        "--samples", samples(),          "--json",
        path("bench.json"),              "--work-dir",
        path("work")};
    args.insert(args.end(), extra.begin(), extra.end());
    const int code = run_capturing(args, output);
    std::ifstream in{path("bench.json")};
    report = nlohmann::json::parse(in, nullptr, false);
    return code;
  }

  std::set<std::string> stage_names() const {
    std::set<std::string> names;
    for (const auto& stage : report["stages"]) {
      names.insert(stage["stage"].get<std::string>());
    }
    return names;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(bench_command_suite, bench_fixture)

BOOST_AUTO_TEST_CASE(runs_every_stage_and_prints_the_table) {
  BOOST_TEST_REQUIRE(run_bench() == 0, last_log());
  for (const char* stage : {"parse", "transform", "transform_full_tree",
                            "end_to_end_sqlite", "resume_sqlite",
                            "load_source"}) {
    BOOST_TEST(output.find(stage) != std::string::npos, stage);
  }
  BOOST_TEST(output.find("ratios") != std::string::npos);
  BOOST_TEST(output.find("targets") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(json_holds_stages_ratios_and_targets) {
  BOOST_TEST_REQUIRE(run_bench() == 0, last_log());
  BOOST_TEST_REQUIRE(report.is_object());
  BOOST_TEST(report["documents"] == 12);
  BOOST_TEST(report["workers"] == 2);
  const std::set<std::string> expected{
      "parse",       "transform",         "transform_full_tree", "fault_hooks",
      "load_source", "end_to_end_sqlite", "resume_sqlite"};
  BOOST_TEST(stage_names() == expected);
  for (const char* field : {"documents_per_second", "mb_per_second",
                            "peak_rss_mb", "seconds", "workers"}) {
    BOOST_TEST(report["stages"][0].contains(field), field);
  }
  BOOST_TEST(report["ratios"].contains("transform_n_vs_parse_n"));
  BOOST_TEST(report["ratios"].contains("end_to_end_sqlite_n_vs_parse_n"));
  BOOST_TEST(report["ratios"].contains("transform_full_tree_1_vs_parse_1"));
  BOOST_TEST(report["targets"].contains("peak_rss_mb"));
}

BOOST_AUTO_TEST_CASE(end_to_end_runs_convert_every_document) {
  BOOST_TEST_REQUIRE(run_bench() == 0, last_log());
  for (const auto& stage : report["stages"]) {
    if (stage["stage"] == "end_to_end_sqlite") {
      BOOST_TEST(stage["documents"] == 12);
      BOOST_TEST(stage["failed"] == 0);
      BOOST_TEST(stage["peak_rss_mb"].get<double>() > 0);
    }
    if (stage["stage"] == "resume_sqlite") {
      BOOST_TEST(stage["already_done"] == 12);
      BOOST_TEST(stage["documents"] == 0);
    }
  }
}

BOOST_AUTO_TEST_CASE(idle_fault_hooks_never_strike) {
  BOOST_TEST_REQUIRE(run_bench({"--stages", "transform"}) == 0, last_log());
  for (const auto& stage : report["stages"]) {
    if (stage["stage"] == "fault_hooks") {
      BOOST_TEST(stage["failed"] == 0);
      BOOST_TEST(stage["documents"].get<std::size_t>() > 12);
    }
  }
  BOOST_TEST(
      report["ratios"]["idle_fault_hooks_vs_transform_cpu"].is_number());
}

BOOST_AUTO_TEST_CASE(memory_scaling_compares_a_small_and_a_large_run) {
  BOOST_TEST_REQUIRE(run_bench({"--stages", "sqlite", "--memory-scaling",
                                "--scaling-documents", "40"}) == 0,
                     last_log());
  BOOST_TEST(stage_names().count("memory_sqlite_2") == 1);
  BOOST_TEST(stage_names().count("memory_sqlite_40") == 1);
  for (const auto& stage : report["stages"]) {
    if (stage["stage"] == "memory_sqlite_40") {
      BOOST_TEST(stage["documents"] == 40);
      BOOST_TEST(stage["failed"] == 0);
      BOOST_TEST(stage["peak_rss_mb"].get<double>() > 0);
      // Generated documents' size is not known to the benchmark.
      BOOST_TEST(stage["mb_per_second"] == 0);
    }
  }
  BOOST_TEST(report["ratios"]["memory_large_vs_small"].is_number());
  BOOST_TEST(report["targets"].contains("memory_large_vs_small"));
}

BOOST_AUTO_TEST_CASE(stages_option_limits_what_runs) {
  BOOST_TEST_REQUIRE(run_bench({"--stages", "parse"}) == 0, last_log());
  BOOST_TEST(stage_names() == std::set<std::string>{"parse"});
}

BOOST_AUTO_TEST_SUITE_END()
