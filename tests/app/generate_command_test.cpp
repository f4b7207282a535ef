#define BOOST_TEST_MODULE generate_command
#include <boost/test/unit_test.hpp>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "tests/app/cli_fixture.hpp"

namespace {

namespace fs = std::filesystem;
using xmlshred::testing::cli_fixture;

/// Generous bound on how much more memory a run of 10x the documents may
/// use: generation holds one document (at most 2 MB) at a time, so
/// anything near this means memory grows with the count.
constexpr double allowed_growth_mb = 48.0;

std::string read_file(const fs::path& path) {
  std::ifstream in{path, std::ios::binary};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Runs the binary with `args` (stderr discarded) and returns its exit
/// code and peak resident memory in MB.
std::pair<int, double> run_measured(const std::vector<std::string>& args) {
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    std::string binary = XMLSHRED_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& arg : copy) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    std::freopen("/dev/null", "w", stderr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1,
          static_cast<double>(usage.ru_maxrss) / 1024.0};
}

std::vector<std::string> generate_args(const std::string& count,
                                       const std::string& where,
                                       const std::string& target) {
  return {"generate", "--count", count, "--seed", "4", where, target,
          "--contract", cli_fixture::contract()};
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(generate_command_suite, cli_fixture)

BOOST_AUTO_TEST_CASE(writes_one_file_per_document_named_by_key) {
  BOOST_TEST(run(generate_args("5", "--out", path("docs"))) == 0);
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(path("docs"))) {
    BOOST_TEST(entry.path().filename().string().rfind("generated-", 0) == 0U);
    ++files;
  }
  BOOST_TEST(files == 5U);
  BOOST_TEST(fs::exists(path("docs/generated-10000004.xml")));
}

BOOST_AUTO_TEST_CASE(the_same_seed_writes_the_same_files) {
  BOOST_TEST(run(generate_args("3", "--out", path("a"))) == 0);
  BOOST_TEST(run(generate_args("3", "--out", path("b"))) == 0);
  const std::string name = "generated-10000002.xml";
  BOOST_TEST(read_file(path("a/" + name)) == read_file(path("b/" + name)));
}

BOOST_AUTO_TEST_CASE(generated_source_converts_with_the_contract) {
  auto args = generate_args("30", "--source", source_url());
  args.insert(args.end(), {"--defect-rate", "0.3"});
  BOOST_TEST(run(args) == 0);
  BOOST_TEST(query_number(source_db(),
                          "SELECT COUNT(*) FROM app_xml_staging") == 30);
  const int code = convert({"--workers", "2"});
  BOOST_TEST((code == 0 || code == 1), "run exit code " << code);
  BOOST_TEST(query_number(target_db(),
                          "SELECT COUNT(*) FROM processing_log") == 30);
  BOOST_TEST(query_number(target_db(), "SELECT COUNT(*) FROM processing_log "
                                       "WHERE status = 'converted'") > 15);
  BOOST_TEST(query_number(target_db(), "SELECT COUNT(*) FROM processing_log "
                                       "WHERE category = 'not_well_formed'")
             >= 1);
}

BOOST_AUTO_TEST_CASE(memory_stays_flat_as_the_count_grows) {
  const auto small = run_measured(
      generate_args("40", "--source", "sqlite:" + path("small.db")));
  const auto large = run_measured(
      generate_args("400", "--source", "sqlite:" + path("large.db")));
  BOOST_TEST(small.first == 0);
  BOOST_TEST(large.first == 0);
  // Reported so a reader sees the figures; only a gross leak fails.
  std::cout << "generate peak RSS: 40 documents " << small.second
            << " MB, 400 documents " << large.second << " MB\n";
  BOOST_TEST(large.second < small.second + allowed_growth_mb);
}

BOOST_AUTO_TEST_CASE(needs_a_destination) {
  BOOST_TEST(run({"generate", "--count", "1", "--contract",
                  cli_fixture::contract()}) == 2);
}

BOOST_AUTO_TEST_SUITE_END()
