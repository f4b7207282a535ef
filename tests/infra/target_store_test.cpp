#define BOOST_TEST_MODULE target_store
#include "infra/target_store.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <regex>

#include "tests/infra/infra_test_support.hpp"

namespace xmlshred::infra {
namespace {

using domain::cell;
using domain::record_outcome;
using domain::record_status;
using domain::table_rows;

constexpr auto short_busy_timeout = std::chrono::milliseconds(50);
constexpr const char* run_id = "run-test";

struct target_fixture {
  test::temp_dir dir;
  std::string path = dir.file("target.db");
  std::unique_ptr<target_store> store;

  target_fixture() {
    target_options options;
    options.create_schema = true;
    options.busy_timeout = short_busy_timeout;
    auto url = std::get<database_url>(parse_database_url("sqlite:" + path));
    auto opened = target_store::open(
        url,
        {test::shipped_contract("credit_card"),
         test::shipped_contract("rec_lending")},
        options);
    BOOST_REQUIRE_MESSAGE(opened.ok(), test::failure_of(opened));
    store = std::move(opened.value());
  }

  batch_report write(const std::vector<record_outcome>& batch) {
    auto report = store->write_batch(batch, run_id);
    BOOST_REQUIRE_MESSAGE(report.ok(), test::failure_of(report));
    return report.value();
  }

  std::string count(const std::string& table) {
    return test::raw_sqlite(path).scalar("SELECT COUNT(*) FROM " + table);
  }

  std::string log_field(domain::record_key key, const std::string& column) {
    return test::raw_sqlite(path).scalar(
        "SELECT " + column + " FROM processing_log WHERE app_id = " +
        std::to_string(key));
  }
};

table_rows base_row(const std::string& app_id) {
  return {"app_base",
          {"app_id", "product_line_enum", "receive_date"},
          {{cell(app_id), cell("600"), cell("2024-05-01 10:00:00")}}};
}

table_rows contact_row(const std::string& app_id, const std::string& con_id) {
  return {"app_contact_base",
          {"con_id", "app_id", "contact_type_enum", "birth_date",
           "first_name", "last_name", "ssn", "middle_initial"},
          {{cell(con_id), cell(app_id), cell("281"), cell("1970-01-01"),
            cell("Ann"), cell("Smith"), cell("123456789"), std::nullopt}}};
}

record_outcome converted(domain::record_key key,
                         std::vector<table_rows> tables) {
  auto outcome = domain::converted_outcome(key, std::move(tables));
  outcome.contract_name = "credit_card";
  return outcome;
}

record_outcome application(domain::record_key key, const std::string& con) {
  const auto id = std::to_string(key);
  return converted(key, {base_row(id), contact_row(id, con)});
}

record_outcome with_address(record_outcome outcome, const std::string& con,
                            const std::string& type) {
  outcome.tables.push_back({"app_contact_address",
                            {"con_id", "address_type_enum", "city"},
                            {{cell(con), cell(type), cell("Town")}}});
  return outcome;
}

// The expected rows of one shipped sample document as a converted outcome
// (tables and columns in the file's order, which is the insertion order).
std::optional<record_outcome> expected_outcome(const nlohmann::ordered_json& doc) {
  if (doc.at("status") != "ok") {
    return std::nullopt;
  }
  std::vector<table_rows> tables;
  for (const auto& [table, rows] : doc.at("tables").items()) {
    table_rows block{table, {}, {}};
    for (const auto& [column, value] : rows.at(0).items()) {
      block.columns.push_back(column);
    }
    for (const auto& row : rows) {
      std::vector<cell> cells;
      for (const auto& column : block.columns) {
        const auto& value = row.at(column);
        cells.push_back(value.is_null() ? cell() : cell(value.get<std::string>()));
      }
      block.rows.push_back(std::move(cells));
    }
    tables.push_back(std::move(block));
  }
  return converted(std::stoll(doc.at("app_id").get<std::string>()),
                   std::move(tables));
}

// The converted documents of an expected-rows folder, ascending by key.
std::vector<record_outcome> expected_outcomes(const std::string& folder) {
  std::vector<record_outcome> outcomes;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    auto doc =
        nlohmann::ordered_json::parse(test::read_text_file(entry.path()));
    if (auto outcome = expected_outcome(doc)) {
      outcomes.push_back(std::move(*outcome));
    }
  }
  std::sort(outcomes.begin(), outcomes.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  return outcomes;
}

// Every shipped sample of the shared-database set, in ascending key order.
std::vector<record_outcome> shipped_sample_outcomes() {
  return expected_outcomes(std::string(XMLSHRED_TEST_DATA_DIR) +
                           "/expected-shared-db/cc");
}

const std::string shared_corpus =
    std::string(XMLSHRED_SHARED_DIR) + "/corpus";

boost::test_tools::assertion_result shared_corpus_present(
    boost::unit_test::test_unit_id) {
  boost::test_tools::assertion_result present(
      std::filesystem::exists(shared_corpus + "/expected-shared-db/rl"));
  present.message() << shared_corpus << " is not available";
  return present;
}

// "table: c1=v1 c2=v2" for every row of `tables` limited to `columns`.
std::multiset<std::string> row_keys(const std::vector<table_rows>& tables,
                                    const std::string& table,
                                    const std::vector<std::string>& columns) {
  std::multiset<std::string> keys;
  for (const auto& rows : tables) {
    if (rows.table != table) {
      continue;
    }
    for (const auto& row : rows.rows) {
      std::string key;
      for (const auto& column : columns) {
        const auto index = static_cast<std::size_t>(
            std::find(rows.columns.begin(), rows.columns.end(), column) -
            rows.columns.begin());
        key += column + "=" + row.at(index).value_or("<null>") + " ";
      }
      keys.insert(key);
    }
  }
  return keys;
}

// Cells of `rows` that read back from the database differently.
std::vector<std::string> read_back_mismatches(test::raw_sqlite& db,
                                              domain::record_key key,
                                              const table_rows& rows) {
  std::vector<std::string> mismatches;
  std::string columns;
  for (const auto& column : rows.columns) {
    columns += (columns.empty() ? "" : ", ") + column;
  }
  const auto stored = db.query("SELECT " + columns + " FROM " + rows.table +
                               " WHERE app_id = " + std::to_string(key));
  if (stored.size() != 1u) {
    return {rows.table + ": " + std::to_string(stored.size()) + " rows"};
  }
  for (std::size_t i = 0; i < rows.columns.size(); ++i) {
    if (stored[0][i] != rows.rows[0][i]) {
      mismatches.push_back(rows.table + "." + rows.columns[i] + " of " +
                           std::to_string(key));
    }
  }
  return mismatches;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(target_store_suite, target_fixture)

BOOST_AUTO_TEST_CASE(write_batch_commits_rows_and_log_rows) {
  const auto report = write({application(101, "9001"),
                             application(102, "9002")});
  BOOST_TEST(report.rows_per_table.at("app_base") == 2u);
  BOOST_TEST(report.rows_per_table.at("app_contact_base") == 2u);
  BOOST_TEST(count("app_contact_base") == "2");
  BOOST_TEST(log_field(101, "status") == "converted");
  BOOST_TEST(log_field(102, "run_id") == run_id);
  BOOST_TEST(log_field(102, "contract") == "credit_card");
}

BOOST_AUTO_TEST_CASE(refused_record_is_rolled_back_alone) {
  // 202's contact has a type code missing from app_enums: its app_base row,
  // inserted first, must disappear with it, while 201 and 203 commit.
  auto refused = application(202, "9200");
  refused.tables[1].rows[0][2] = cell("9999");
  const auto report = write({application(201, "9100"), refused,
                             application(203, "9300")});
  BOOST_TEST((report.written.at(0).status == record_status::converted));
  BOOST_TEST((report.written.at(1).status == record_status::failed));
  BOOST_TEST((report.written.at(2).status == record_status::converted));
  BOOST_TEST(count("app_base WHERE app_id = 202") == "0");
  BOOST_TEST(count("app_base") == "2");
  BOOST_TEST(report.rows_per_table.at("app_base") == 2u);
}

BOOST_AUTO_TEST_CASE(refused_record_is_logged_failed_with_table_and_kind) {
  // 302 carries 301's application id: the primary key refuses it.
  auto duplicate = converted(302, {base_row("301")});
  write({application(301, "9400"), duplicate});
  BOOST_TEST(log_field(302, "status") == "failed");
  BOOST_TEST(log_field(302, "category") == "constraint");
  BOOST_TEST(log_field(302, "message") ==
             "insert into app_base: UNIQUE constraint failed: "
             "app_base.app_id");
}

BOOST_AUTO_TEST_CASE(contact_taken_by_an_earlier_record_is_skipped) {
  // 352 reuses 351's con_id: its contact and its colliding address are left
  // out, the application itself converts, and notes say so.
  auto first = with_address(application(351, "9500"), "9500", "320");
  auto second = with_address(application(352, "9500"), "9500", "320");
  const auto report = write({first, second});
  const auto& skipped = report.written.at(1);
  BOOST_TEST((skipped.status == record_status::converted));
  BOOST_TEST(skipped.row_count() == 1u);
  BOOST_TEST(count("app_contact_base") == "1");
  BOOST_TEST(count("app_contact_address") == "1");
  BOOST_TEST(count("app_base") == "2");
  BOOST_TEST(log_field(352, "message") ==
             "app_contact_base: 1 row(s) skipped, their con_id already "
             "belongs to another record; app_contact_address: 1 row(s) "
             "skipped, already present");
}

BOOST_AUTO_TEST_CASE(later_record_adds_a_missing_address_to_a_taken_contact) {
  // As in the reference's shared-database results: the contact stays the
  // first record's, an address of a type it lacks is still attached.
  auto first = application(361, "9600");
  auto second = with_address(application(362, "9600"), "9600", "321");
  const auto report = write({first, second});
  BOOST_TEST(report.rows_per_table.at("app_contact_address") == 1u);
  BOOST_TEST(count("app_contact_address WHERE con_id = 9600") == "1");
  BOOST_TEST(report.written.at(1).row_count() == 2u);
}

BOOST_AUTO_TEST_CASE(batch_is_written_in_ascending_key_order) {
  // Handed over newest first, the lower key still keeps the shared contact;
  // the report stays in the order given.
  const auto report = write({application(372, "9700"),
                             application(371, "9700")});
  BOOST_TEST(report.written.at(0).key == 372);
  BOOST_TEST(report.written.at(0).row_count() == 1u);
  BOOST_TEST(test::raw_sqlite(path).scalar(
                 "SELECT app_id FROM app_contact_base") == "371");
}

BOOST_AUTO_TEST_CASE(type_refusal_message_carries_no_value) {
  auto bad = converted(401, {base_row("401")});
  bad.tables[0].rows[0][1] = cell("SECRET-VALUE");
  const auto report = write({bad});
  const auto& message = report.written.at(0).message;
  BOOST_TEST((report.written.at(0).status == record_status::failed));
  BOOST_TEST(message == "insert into app_base: cannot store TEXT value in "
                        "INTEGER column app_base.product_line_enum");
}

BOOST_AUTO_TEST_CASE(rejected_record_gets_only_its_log_row) {
  auto rejected = domain::unconverted_outcome(
      501, record_status::rejected, domain::failure_category::wrong_root,
      "root element is not Provenir");
  const auto report = write({rejected});
  BOOST_TEST(report.rows_per_table.empty());
  BOOST_TEST(log_field(501, "status") == "rejected");
  BOOST_TEST(log_field(501, "category") == "wrong_root");
  BOOST_TEST(log_field(501, "message") == "root element is not Provenir");
}

BOOST_AUTO_TEST_CASE(notes_of_a_converted_record_go_to_the_message) {
  auto outcome = application(601, "9601");
  outcome.notes = {"contact 7 skipped", "address dropped"};
  write({outcome});
  BOOST_TEST(log_field(601, "message") ==
             "contact 7 skipped; address dropped");
  BOOST_TEST(log_field(601, "category") == "<none>");
}

BOOST_AUTO_TEST_CASE(logged_keys_returns_only_keys_with_a_log_row) {
  write({application(701, "9701"),
         domain::unconverted_outcome(703, record_status::failed,
                                     domain::failure_category::mapping,
                                     "bad date")});
  auto logged = store->logged_keys({701, 702, 703});
  BOOST_REQUIRE(logged.ok());
  BOOST_TEST(logged.value().size() == 2u);
  BOOST_TEST(logged.value().count(701) == 1u);
  BOOST_TEST(logged.value().count(702) == 0u);
}

BOOST_AUTO_TEST_CASE(busy_database_fails_the_batch_as_transient) {
  test::raw_sqlite other(path);
  BOOST_REQUIRE(other.exec("BEGIN IMMEDIATE") == SQLITE_OK);
  auto failed = store->write_batch({application(801, "9801")}, run_id);
  BOOST_REQUIRE(!failed.ok());
  BOOST_TEST((failed.error().kind == db_error_kind::transient));

  BOOST_REQUIRE(other.exec("ROLLBACK") == SQLITE_OK);
  BOOST_TEST(count("processing_log") == "0");
  BOOST_TEST(count("app_base") == "0");
  write({application(801, "9801")});
  BOOST_TEST(count("app_base") == "1");
}

BOOST_AUTO_TEST_CASE(log_times_are_utc_text_with_milliseconds) {
  auto outcome = application(901, "9901");
  outcome.started_at = std::chrono::system_clock::time_point(
      std::chrono::milliseconds(1709251198123));  // 2024-02-29 23:59:58.123
  outcome.duration = std::chrono::microseconds(2500);
  write({outcome});
  BOOST_TEST(log_field(901, "started_at") == "2024-02-29 23:59:58.123");
  BOOST_TEST(log_field(901, "duration_ms") == "2");
  const std::regex utc_millis(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})");
  BOOST_TEST(std::regex_match(log_field(901, "finished_at"), utc_millis));
}

BOOST_AUTO_TEST_CASE(a_failed_key_can_be_retried_but_a_converted_one_stays) {
  write({domain::unconverted_outcome(1001, record_status::failed,
                                     domain::failure_category::timeout,
                                     "took too long")});
  write({application(1001, "10001")});
  BOOST_TEST(log_field(1001, "status") == "converted");

  const auto again = write({application(1001, "10002")});
  BOOST_TEST((again.written.at(0).status == record_status::failed));
  BOOST_TEST(log_field(1001, "status") == "converted");
}

BOOST_AUTO_TEST_CASE(runs_row_records_settings_and_totals) {
  BOOST_REQUIRE(store->begin_run("run-42", "{\"workers\":2}").ok());
  run_totals totals;
  totals.read = 10;
  totals.converted = 7;
  totals.rejected = 2;
  totals.failed = 1;
  BOOST_REQUIRE(store->finish_run("run-42", totals, 3).ok());
  auto rows = test::raw_sqlite(path).query(
      "SELECT settings, read_count, converted_count, rejected_count,"
      " failed_count, exit_code, finished_at IS NOT NULL FROM runs");
  BOOST_REQUIRE(rows.size() == 1u);
  const std::vector<std::string> expected{"{\"workers\":2}", "10", "7", "2",
                                         "1", "3", "1"};
  BOOST_TEST(test::printable(rows[0]) == expected,
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(every_shipped_sample_row_is_accepted_in_one_batch) {
  const auto outcomes = shipped_sample_outcomes();
  BOOST_REQUIRE(!outcomes.empty());
  const auto report = write(outcomes);
  std::map<std::string, std::size_t> expected_counts;
  for (const auto& outcome : outcomes) {
    for (const auto& rows : outcome.tables) {
      expected_counts[rows.table] += rows.rows.size();
    }
  }
  for (const auto& written : report.written) {
    BOOST_TEST((written.status == record_status::converted), written.message);
  }
  BOOST_TEST(report.rows_per_table == expected_counts);
  BOOST_TEST(count("processing_log") == std::to_string(outcomes.size()));
}

BOOST_AUTO_TEST_CASE(single_row_tables_read_back_exactly_as_bound) {
  // Covers every column type: integers, bits, enum codes, datetimes and
  // decimals such as "450.0" must come back as the text that was bound.
  const auto outcomes = shipped_sample_outcomes();
  write(outcomes);
  test::raw_sqlite db(path);
  std::vector<std::string> mismatches;
  for (const auto& outcome : outcomes) {
    for (const auto& rows : outcome.tables) {
      if (rows.rows.size() == 1u && rows.table != "app_contact_base" &&
          rows.table.rfind("app_", 0) == 0 &&
          std::find(rows.columns.begin(), rows.columns.end(), "app_id") !=
              rows.columns.end() &&
          rows.table.find("lookup") == std::string::npos) {
        auto found = read_back_mismatches(db, outcome.key, rows);
        mismatches.insert(mismatches.end(), found.begin(), found.end());
      }
    }
  }
  BOOST_TEST(mismatches.empty(),
             (mismatches.empty() ? "" : mismatches.front()));
}

BOOST_AUTO_TEST_CASE(
    reused_contacts_end_as_in_the_reference_shared_database,
    *boost::unit_test::precondition(shared_corpus_present)) {
  // The per-document rows of the recreational-lending corpus, written into
  // one database, must leave exactly the reference's shared-database rows
  // for contacts, addresses and employments (nine documents reuse con_id
  // 24065).
  const auto report = write(expected_outcomes(shared_corpus + "/expected/rl"));
  const auto reference =
      expected_outcomes(shared_corpus + "/expected-shared-db/rl");
  std::vector<table_rows> written_rows;
  std::vector<table_rows> reference_rows;
  for (const auto& outcome : report.written) {
    written_rows.insert(written_rows.end(), outcome.tables.begin(),
                        outcome.tables.end());
  }
  for (const auto& outcome : reference) {
    reference_rows.insert(reference_rows.end(), outcome.tables.begin(),
                          outcome.tables.end());
  }
  const std::vector<std::pair<std::string, std::vector<std::string>>> keys{
      {"app_contact_base", {"con_id", "app_id"}},
      {"app_contact_address", {"con_id", "address_type_enum"}},
      {"app_contact_employment", {"con_id", "employment_type_enum"}}};
  BOOST_TEST(row_keys(reference_rows, "app_contact_base", {"con_id"}).size() >
             1u);
  for (const auto& [table, columns] : keys) {
    BOOST_TEST(row_keys(written_rows, table, columns) ==
                   row_keys(reference_rows, table, columns),
               table);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace xmlshred::infra
