#define BOOST_TEST_MODULE verify_dump_requeue
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "infra/canonical_value.hpp"
#include "tests/app/cli_fixture.hpp"

using xmlshred::testing::cli_fixture;

namespace {

constexpr int exit_ok = 0;
constexpr int exit_inconsistent = 1;
constexpr int exit_usage = 2;
/// A sample the reference converts, with contacts, addresses and scores.
constexpr const char* sample_key = "127582";
/// A key that no sample has.
constexpr const char* foreign_key = "999123";

/// The fixture plus the operator commands on its databases.
struct operator_fixture : cli_fixture {
  operator_fixture() {
    import_samples();
  }

  std::string dump(const std::string& target_url) {
    std::string out;
    const int code = run_capturing(
        {"dump", "--target", target_url, "--contract", contract()}, out);
    BOOST_TEST(code == exit_ok, last_log());
    return out;
  }

  int verify(nlohmann::json& report, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"verify",     "--source", source_url(),
                                  "--target",   target_url(), "--contract",
                                  contract(),   "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::string out;
    const int code = run_capturing(args, out);
    report = nlohmann::json::parse(out);
    return code;
  }

  int requeue(const std::vector<std::string>& selector, std::string& out) {
    std::vector<std::string> args{"requeue", "--target", target_url(),
                                  "--contract", contract()};
    args.insert(args.end(), selector.begin(), selector.end());
    return run_capturing(args, out);
  }

  std::string outcome_of(const std::string& key) {
    auto rows = query_column(target_db(),
                             "SELECT status || '/' || coalesce(category, '') "
                             "FROM processing_log WHERE app_id = " + key);
    return rows.empty() ? "none" : rows.front();
  }
};

/// The failing checks of a JSON report as "check table" strings.
std::vector<std::string> failed_checks(const nlohmann::json& report) {
  std::vector<std::string> failed;
  for (const auto& check : report["checks"]) {
    if (!check["ok"].get<bool>()) {
      failed.push_back(check["check"].get<std::string>() + " " +
                       check["table"].get<std::string>());
    }
  }
  return failed;
}

/// The examples of one check as text.
std::vector<std::string> examples_of(const nlohmann::json& report,
                                     const std::string& check,
                                     const std::string& table) {
  std::vector<std::string> examples;
  for (const auto& entry : report["checks"]) {
    if (entry["check"] == check && entry["table"] == table) {
      for (const auto& example : entry["examples"]) {
        examples.push_back(example.dump());
      }
    }
  }
  return examples;
}

bool has(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(verify_dump_requeue, operator_fixture)

// -- verify -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(verify_passes_on_a_fresh_full_run) {
  convert();
  std::string out;
  BOOST_TEST(run_capturing({"verify", "--source", source_url(), "--target",
                            target_url(), "--contract", contract()},
                           out) == exit_ok,
             out + last_log());
  BOOST_TEST(out.find("result: consistent") != std::string::npos, out);
}

BOOST_AUTO_TEST_CASE(verify_json_counts_tables_and_outcomes) {
  convert();
  nlohmann::json report;
  BOOST_TEST(verify(report) == exit_ok);
  BOOST_TEST(report["consistent"].get<bool>());
  BOOST_TEST(report["tables"]["processing_log"] == report["source_keys"]);
  BOOST_TEST(report["tables"]["app_base"].get<int>() > 0);
  BOOST_TEST(report["outcomes"][0]["status"] == "converted");
}

BOOST_AUTO_TEST_CASE(verify_names_a_source_key_without_a_log_row) {
  convert();
  execute(target_db(), std::string("DELETE FROM processing_log "
                                   "WHERE app_id = ") + sample_key);
  nlohmann::json report;
  BOOST_TEST(verify(report) == exit_inconsistent);
  BOOST_TEST(has(failed_checks(report), "missing_log_rows processing_log"));
  BOOST_TEST(examples_of(report, "missing_log_rows", "processing_log") ==
             std::vector<std::string>{sample_key});
}

BOOST_AUTO_TEST_CASE(verify_names_a_duplicate_log_row) {
  convert();
  // The key is processing_log's primary key: a copy without it lets a
  // duplicate in.
  execute(target_db(),
          std::string("CREATE TABLE plain_log AS SELECT * FROM processing_log;"
                      "DROP TABLE processing_log;"
                      "ALTER TABLE plain_log RENAME TO processing_log;"
                      "INSERT INTO processing_log SELECT * FROM processing_log"
                      " WHERE app_id = ") + sample_key);
  nlohmann::json report;
  BOOST_TEST(verify(report) == exit_inconsistent);
  BOOST_TEST(has(failed_checks(report), "duplicate_log_keys processing_log"));
  BOOST_TEST(examples_of(report, "duplicate_log_keys", "processing_log") ==
             std::vector<std::string>{sample_key});
}

BOOST_AUTO_TEST_CASE(verify_names_a_converted_record_without_its_parent_row) {
  convert();
  execute(target_db(), std::string("PRAGMA foreign_keys = OFF;"
                                   "DELETE FROM app_base WHERE app_id = ") +
                           sample_key);
  nlohmann::json report;
  BOOST_TEST(verify(report) == exit_inconsistent);
  BOOST_TEST(has(failed_checks(report), "converted_without_parent app_base"));
  BOOST_TEST(examples_of(report, "converted_without_parent", "app_base") ==
             std::vector<std::string>{sample_key});
}

BOOST_AUTO_TEST_CASE(verify_names_an_orphan_child_row) {
  convert();
  execute(target_db(), "PRAGMA foreign_keys = OFF;"
                       "INSERT INTO app_contact_address (con_id, "
                       "address_type_enum) VALUES (999999, 320)");
  nlohmann::json report;
  BOOST_TEST(verify(report) == exit_inconsistent);
  BOOST_TEST(failed_checks(report) ==
             std::vector<std::string>{"orphan_rows app_contact_address"});
  BOOST_TEST(examples_of(report, "orphan_rows", "app_contact_address") ==
             std::vector<std::string>{"999999"});
}

BOOST_AUTO_TEST_CASE(verify_warns_about_a_log_row_for_a_key_not_in_the_source) {
  convert();
  execute(target_db(),
          std::string("INSERT INTO processing_log (app_id, status, category,"
                      " run_id, finished_at) VALUES (") +
              foreign_key + ", 'failed', 'mapping', 'r', '2026-01-01')");
  nlohmann::json report;
  BOOST_TEST(verify(report) == exit_ok);
  BOOST_TEST(report["warnings"].get<int>() == 1);
  BOOST_TEST(examples_of(report, "log_keys_not_in_source", "processing_log") ==
             std::vector<std::string>{foreign_key});
  BOOST_TEST(verify(report, {"--strict"}) == exit_inconsistent);
}

// -- dump ---------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(dumps_of_two_runs_with_different_workers_are_identical) {
  BOOST_TEST(convert({"--workers", "1", "--batch", "3"}) == exit_ok,
             last_log());
  const auto other = "sqlite:" + path("other.db");
  BOOST_TEST(run({"run", "--source", source_url(), "--target", other,
                  "--contract", contract(), "--workers", "4", "--batch",
                  "50"}) == exit_ok);
  BOOST_TEST(query_column(target_db(), "SELECT run_id FROM runs") !=
             query_column(path("other.db"), "SELECT run_id FROM runs"));
  const auto first = dump(target_url());
  BOOST_TEST(first.find("== app_contact_address rows=") != std::string::npos);
  BOOST_TEST(first == dump(other));
}

BOOST_AUTO_TEST_CASE(dump_leaves_out_run_dependent_columns) {
  convert();
  const auto text = dump(target_url());
  const auto run_id = query_column(target_db(), "SELECT run_id FROM runs");
  BOOST_TEST(text.find(run_id.front()) == std::string::npos);
  BOOST_TEST(text.find("== runs") == std::string::npos);
  BOOST_TEST(text.find("# columns: app_id\tcategory\tcontract\t"
                       "message\tstatus\n# left out: attempts\t"
                       "duration_ms\tfinished_at\trun_id\tstarted_at\n") !=
             std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(dump_of_one_table_has_one_section) {
  convert();
  std::string out;
  BOOST_TEST(run_capturing({"dump", "--target", target_url(), "--contract",
                            contract(), "--table", "scores"},
                           out) == exit_ok);
  BOOST_TEST(out.find("== scores rows=") != std::string::npos);
  BOOST_TEST(out.find("== app_base") == std::string::npos);
  BOOST_TEST(run_capturing({"dump", "--target", target_url(), "--contract",
                            contract(), "--table", "nosuch"},
                           out) == exit_usage);
}

BOOST_AUTO_TEST_CASE(numbers_render_the_same_whatever_the_column_type) {
  using xmlshred::infra::canonical_cell;
  using xmlshred::infra::value_class;
  BOOST_TEST(canonical_cell(value_class::decimal, std::string("5.00")) ==
             canonical_cell(value_class::integer, std::string("5")));
  BOOST_TEST(canonical_cell(value_class::decimal, std::string("1.0e+20")) ==
             "100000000000000000000");
  BOOST_TEST(canonical_cell(value_class::decimal, std::string("-0.0")) == "0");
  BOOST_TEST(canonical_cell(value_class::decimal, std::string("8333.330")) ==
             "8333.33");
}

BOOST_AUTO_TEST_CASE(times_nulls_and_separators_render_canonically) {
  using xmlshred::infra::canonical_cell;
  using xmlshred::infra::value_class;
  BOOST_TEST(canonical_cell(value_class::text,
                            std::string("2025-04-03T14:32:37.886000")) ==
             canonical_cell(value_class::temporal,
                            std::string("2025-04-03 14:32:37.886")));
  BOOST_TEST(canonical_cell(value_class::text,
                            std::string("1980-01-14 00:00:00")) ==
             "1980-01-14");
  BOOST_TEST(canonical_cell(value_class::text, std::nullopt) == "\\N");
  BOOST_TEST(canonical_cell(value_class::text, std::string("a\tb\\N")) ==
             "a\\tb\\\\N");
  BOOST_TEST(canonical_cell(value_class::text, std::string("01234")) ==
             "01234");
}

// -- requeue ------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(requeue_by_key_then_rerun_restores_the_dump) {
  convert();
  const auto before = dump(target_url());
  std::string out;
  BOOST_TEST(requeue({"--key", sample_key}, out) == exit_ok, last_log());
  BOOST_TEST(out.find("requeued 1 record(s)") != std::string::npos, out);
  BOOST_TEST(outcome_of(sample_key) == "none");
  BOOST_TEST(query_number(target_db(),
                          std::string("SELECT count(*) FROM app_contact_base"
                                      " WHERE app_id = ") + sample_key) == 0);
  BOOST_TEST(convert() == exit_ok);
  BOOST_TEST(dump(target_url()) == before);
}

BOOST_AUTO_TEST_CASE(requeue_leaves_no_orphan_rows_behind) {
  convert();
  std::string out;
  BOOST_TEST(requeue({"--key", sample_key}, out) == exit_ok, last_log());
  nlohmann::json report;
  BOOST_TEST(verify(report) == exit_inconsistent);
  BOOST_TEST(failed_checks(report) ==
             std::vector<std::string>{"missing_log_rows processing_log"});
}

BOOST_AUTO_TEST_CASE(requeue_creates_its_audit_table_when_missing) {
  convert();
  execute(target_db(), "DROP TABLE requeue_log");
  std::string out;
  BOOST_TEST(requeue({"--key", sample_key}, out) == exit_ok, last_log());
  BOOST_TEST(query_number(target_db(), "SELECT count(*) FROM requeue_log") ==
             1);
}

BOOST_AUTO_TEST_CASE(requeue_of_crashed_records_lets_a_rerun_convert_them) {
  convert({"--fault", std::string("transform:throw:key=") + sample_key});
  BOOST_TEST(outcome_of(sample_key) == "failed/crash");
  std::string out;
  BOOST_TEST(requeue({"--category", "crash"}, out) == exit_ok, last_log());
  BOOST_TEST(out.find("requeued 1 record(s)") != std::string::npos, out);
  BOOST_TEST(convert() == exit_ok, last_log());
  BOOST_TEST(outcome_of(sample_key) == "converted/");
}

BOOST_AUTO_TEST_CASE(requeue_writes_an_audit_row_per_record) {
  convert({"--fault", std::string("transform:throw:key=") + sample_key});
  const auto run_id = query_column(target_db(), "SELECT run_id FROM runs");
  std::string out;
  BOOST_TEST(requeue({"--status", "failed"}, out) == exit_ok, last_log());
  const auto audit = query_column(
      target_db(), "SELECT selector || '|' || app_id || '|' || "
                   "previous_status || '|' || previous_category || '|' || "
                   "previous_run_id FROM requeue_log");
  BOOST_TEST(audit == std::vector<std::string>{"status=failed|" +
                                               std::string(sample_key) +
                                               "|failed|crash|" +
                                               run_id.front()});
}

BOOST_AUTO_TEST_CASE(requeue_dry_run_changes_nothing) {
  convert();
  const auto before = dump(target_url());
  std::string out;
  BOOST_TEST(requeue({"--key", sample_key, "--dry-run"}, out) == exit_ok);
  BOOST_TEST(out.find("would requeue 1 record(s)") != std::string::npos, out);
  BOOST_TEST(dump(target_url()) == before);
  BOOST_TEST(query_number(target_db(), "SELECT count(*) FROM requeue_log") ==
             0);
}

BOOST_AUTO_TEST_CASE(requeue_needs_exactly_one_selector) {
  convert();
  std::string out;
  BOOST_TEST(requeue({"--key", sample_key, "--status", "failed"}, out) ==
             exit_usage);
  BOOST_TEST(requeue({}, out) == exit_usage);
  BOOST_TEST(outcome_of(sample_key) == "converted/");
}

BOOST_AUTO_TEST_SUITE_END()
