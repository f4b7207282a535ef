#define BOOST_TEST_MODULE chaos
#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/app/cli_fixture.hpp"

namespace {

constexpr int exit_ok = 0;
constexpr int exit_sigkill = 137;
constexpr unsigned chaos_seed = 20261203;
constexpr int kill_points_wanted = 32;
constexpr int runs_per_round_at_most = 40;
const std::vector<std::string> stages{"read", "parse", "transform", "write",
                                      "commit"};

/// Kills xmlshred again and again at points chosen from a seed, resumes
/// after each kill, and compares the finished job with a clean run.
struct chaos_fixture : xmlshred::testing::cli_fixture {
  chaos_fixture() {
    import_samples();
    // Random kills cannot be told apart from records that kill the
    // process, so the quarantine limit is raised: innocent records caught
    // in flight by many kills must not end as process_crash here.
    std::ofstream{path("chaos.toml")}
        << "[run]\nbatch = 3\n[pipeline]\nmax_process_crashes = 1000\n";
  }

  std::vector<std::string> run_args(const std::string& target) const {
    return {"run",      "--source", source_url(), "--target", target,
            "--contract", contract(), "--config", path("chaos.toml")};
  }

  std::string dump_of(const std::string& target) {
    const auto file = path("dump.txt");
    run({"dump", "--target", target, "--contract", contract(), "--out",
         file});
    std::ifstream in{file};
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  /// One run that a fault kills from inside at `stage`.
  int run_with_kill_fault(const std::string& target, std::mt19937& random,
                          int point) {
    const auto& stage = stages[point % stages.size()];
    std::uniform_int_distribution<int> after{0, stage == "read" ? 2 : 8};
    auto args = run_args(target);
    args.insert(args.end(), {"--fault", stage + ":kill:after=" +
                                            std::to_string(after(random))});
    return run(args);
  }

  /// One run slowed down and killed from outside after a random time.
  int run_with_external_kill(const std::string& target,
                             std::mt19937& random) {
    std::uniform_int_distribution<int> delay_ms{20, 400};
    auto args = run_args(target);
    args.insert(args.end(), {"--fault", "transform:delay:every=1:ms=15"});
    const auto pid = start(args);
    std::this_thread::sleep_for(std::chrono::milliseconds{delay_ms(random)});
    kill(pid, SIGKILL);
    return wait_for(pid);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(chaos, chaos_fixture)

BOOST_AUTO_TEST_CASE(killed_anywhere_the_job_ends_as_a_clean_run) {
  const auto clean_target = "sqlite:" + path("clean.db");
  BOOST_REQUIRE(run(run_args(clean_target)) == exit_ok);
  const auto clean_dump = dump_of(clean_target);

  std::mt19937 random{chaos_seed};
  int kill_points = 0;
  int rounds = 0;
  while (kill_points < kill_points_wanted) {
    const auto target = "sqlite:" + path("round" + std::to_string(++rounds) +
                                         ".db");
    int code = exit_sigkill;
    for (int attempt = 0; attempt < runs_per_round_at_most &&
                          code == exit_sigkill;
         ++attempt) {
      code = (kill_points % 2 == 0)
                 ? run_with_kill_fault(target, random, kill_points)
                 : run_with_external_kill(target, random);
      kill_points += code == exit_sigkill;
    }
    // Whatever was killed last, one plain rerun finishes the job.
    if (code != exit_ok) {
      BOOST_REQUIRE(run(run_args(target)) == exit_ok);
    }
    BOOST_TEST(run({"verify", "--source", source_url(), "--target", target,
                    "--contract", contract()}) == exit_ok,
               "round " << rounds);
    BOOST_TEST(dump_of(target) == clean_dump, "round " << rounds);
  }
  BOOST_TEST_MESSAGE("kill points " << kill_points << " in " << rounds
                                    << " rounds");
  BOOST_TEST(kill_points >= kill_points_wanted);
}

BOOST_AUTO_TEST_SUITE_END()
