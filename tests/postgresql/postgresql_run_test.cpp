#define BOOST_TEST_MODULE postgresql_run
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/app/cli_fixture.hpp"
#include "tests/postgresql/postgresql_server.hpp"

// The real binary with source and target in a real PostgreSQL server (see
// with_server.sh); each case works in a database of its own.

namespace xmlshred::testing {
namespace {

constexpr int exit_ok = 0;
constexpr int exit_some_failed = 1;
constexpr int exit_usage = 2;
constexpr auto poll_interval = std::chrono::milliseconds(20);
constexpr auto poll_limit = std::chrono::seconds(60);
/// Records committed before the connections are cut mid-run.
constexpr long long logged_before_cut = 2;
constexpr const char* secret = "Pw-k9Zq-Secret-77";

std::string read_file(const std::string& path) {
  std::ifstream in{path};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

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

/// "line N: A | B" for the first line where `a` and `b` differ, or "".
std::string first_difference(const std::string& a, const std::string& b) {
  std::istringstream left{a};
  std::istringstream right{b};
  std::string left_line;
  std::string right_line;
  for (int line = 1;; ++line) {
    const bool more_left = static_cast<bool>(std::getline(left, left_line));
    const bool more_right =
        static_cast<bool>(std::getline(right, right_line));
    if (!more_left && !more_right) {
      return "";
    }
    if (more_left != more_right || left_line != right_line) {
      return "line " + std::to_string(line) + ": " + left_line + " | " +
             right_line;
    }
  }
}

std::set<std::string> as_set(const std::vector<std::string>& values) {
  return {values.begin(), values.end()};
}

struct postgresql_run_fixture : cli_fixture {
  postgresql_server server;
  scratch_database database{server};
  std::string url = server.admin_url(database.name());

  int import_to(const std::string& source) {
    return run({"import", samples(), "--source", source, "--contract",
                contract()});
  }

  std::vector<std::string> run_args(const std::string& source,
                                    const std::string& target,
                                    const std::vector<std::string>& extra) {
    std::vector<std::string> args{"run",      "--source", source,
                                  "--target", target,     "--contract",
                                  contract(), "--events",
                                  path("events.jsonl")};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  int convert_in_postgresql(const std::vector<std::string>& extra = {}) {
    return run(run_args(url, url, extra));
  }

  long long count(const std::string& sql) {
    return server.query_number(database.name(), sql);
  }

  std::string dump(const std::string& target) {
    std::string out;
    const int code = run_capturing(
        {"dump", "--target", target, "--contract", contract()}, out);
    BOOST_TEST(code == exit_ok, last_log());
    return out;
  }

  // Waits until `sql` counts at least `wanted`; false on timeout.
  bool wait_for_count(const std::string& sql, long long wanted) {
    const auto deadline = std::chrono::steady_clock::now() + poll_limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (count(sql) >= wanted) {
        return true;
      }
      std::this_thread::sleep_for(poll_interval);
    }
    return false;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(postgresql_run, postgresql_run_fixture)

BOOST_AUTO_TEST_CASE(samples_convert_in_postgresql_and_a_rerun_converts_none) {
  BOOST_TEST(import_to(url) == exit_some_failed);  // bloat.xml has no key
  const int code = convert_in_postgresql();
  BOOST_TEST((code == exit_ok || code == exit_some_failed), last_log());
  const auto converted = server.query_column(
      database.name(),
      "SELECT app_id FROM migration.processing_log "
      "WHERE status = 'converted'");
  BOOST_TEST(as_set(converted) == expected_converted_keys());
  BOOST_TEST(count("SELECT count(*) FROM migration.app_base") ==
             static_cast<long long>(converted.size()));

  BOOST_TEST(convert_in_postgresql({"--summary-json", path("again.json")}) ==
             exit_ok, last_log());
  const auto summary = nlohmann::json::parse(read_file(path("again.json")));
  BOOST_TEST(summary["converted"].get<int>() == 0);
  BOOST_TEST(summary["records_read"].get<int>() == 0);
}

BOOST_AUTO_TEST_CASE(target_schema_of_the_contract_holds_every_target_table) {
  auto json = nlohmann::json::parse(read_file(contract()));
  json["target_schema"] = "credit_cards";
  write_file("renamed.json", json.dump());
  import_to(url);
  const int code = run({"run", "--source", url, "--target", url,
                        "--contract", path("renamed.json"), "--events",
                        path("events.jsonl")});
  BOOST_TEST((code == exit_ok || code == exit_some_failed), last_log());

  const auto in_schema = [&](const std::string& schema) {
    return count("SELECT count(*) FROM information_schema.tables "
                 "WHERE table_schema = '" + schema + "'");
  };
  BOOST_TEST(in_schema("migration") == 0);
  BOOST_TEST(count("SELECT count(*) FROM information_schema.tables WHERE "
                   "table_schema = 'public' AND table_name <> "
                   "'app_xml_staging'") == 0);
  BOOST_TEST(count("SELECT count(*) FROM credit_cards.processing_log") ==
             count("SELECT count(*) FROM app_xml_staging"));
  BOOST_TEST(count("SELECT count(*) FROM credit_cards.app_base") > 0);
}

BOOST_AUTO_TEST_CASE(dump_of_a_postgresql_run_equals_dump_of_a_sqlite_run) {
  import_samples();
  convert();
  import_to(url);
  convert_in_postgresql();
  const auto from_sqlite = dump(target_url());
  const auto from_postgresql = dump(url);
  BOOST_TEST(from_sqlite.size() > 1000u);
  BOOST_TEST(first_difference(from_sqlite, from_postgresql) == "");
}

BOOST_AUTO_TEST_CASE(a_url_password_never_reaches_logs_events_or_summary) {
  const auto role = unique_name("xmlshred_pw");
  server.execute(database.name(),
                 "CREATE ROLE " + role + " LOGIN PASSWORD '" + secret +
                     "'; ALTER DATABASE " + database.name() + " OWNER TO " +
                     role + "; GRANT CREATE ON SCHEMA public TO " + role);
  const auto with_password = server.tcp_url(role, secret, database.name());
  BOOST_TEST(import_to(with_password) == exit_some_failed, last_log());
  std::string everything = last_log();
  auto args = run_args(with_password, with_password,
                       {"--summary-json", path("summary.json")});
  args.insert(args.begin(), {"--log-level", "debug"});
  const int code = run(args);
  BOOST_TEST((code == exit_ok || code == exit_some_failed), last_log());
  everything += last_log() + read_file(path("events.jsonl")) +
                read_file(path("summary.json"));
  BOOST_TEST(everything.find(role) != std::string::npos);  // URLs are there
  for (const auto& settings : server.query_column(
           database.name(), "SELECT settings FROM migration.runs")) {
    everything += settings;
  }

  // A refused password is reported without it, too.
  const auto wrong = server.tcp_url(role, std::string(secret) + "x",
                                    database.name());
  BOOST_TEST(run(run_args(wrong, wrong, {})) == exit_usage);
  everything += last_log();
  BOOST_TEST(everything.find("Secret") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_run_whose_connections_are_killed_recovers) {
  import_to(url);
  const auto records = count("SELECT count(*) FROM app_xml_staging");
  const auto pid = start(run_args(
      url, url, {"--fault", "transform:delay:every=1:ms=50", "--workers", "1",
                 "--batch", "2"}));
  BOOST_REQUIRE(wait_for_count(
      "SELECT count(*) FROM information_schema.tables WHERE "
      "table_schema = 'migration' AND table_name = 'processing_log'", 1));
  BOOST_REQUIRE(wait_for_count(
      "SELECT count(*) FROM migration.processing_log", logged_before_cut));
  const auto killed = count(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
      "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  BOOST_TEST(killed > 0);
  BOOST_TEST(count("SELECT count(*) FROM migration.processing_log") <
             records);  // the cut came mid-run

  const int code = wait_for(pid);
  BOOST_TEST((code == exit_ok || code == exit_some_failed), last_log());
  BOOST_TEST(count("SELECT count(*) FROM migration.processing_log") ==
             records);
  BOOST_TEST(count("SELECT count(*) FROM migration.app_base") ==
             count("SELECT count(*) FROM migration.processing_log "
                   "WHERE status = 'converted'"));
  std::string report;
  BOOST_TEST(run_capturing({"verify", "--source", url, "--target", url,
                            "--contract", contract()},
                           report) == exit_ok,
             report + last_log());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace xmlshred::testing
