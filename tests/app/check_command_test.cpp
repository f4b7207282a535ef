// `xmlshred check` through the real binary: contracts alone, together, and
// against a live SQLite target.
#define BOOST_TEST_MODULE check_command_test
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/app/cli_fixture.hpp"

using json = nlohmann::json;
using xmlshred::testing::cli_fixture;

namespace {

constexpr int exit_clean = 0;
constexpr int exit_problems = 2;

std::string shipped_contract(const std::string& name) {
  return std::string{XMLSHRED_SOURCE_DIR} + "/examples/contracts/" + name +
         ".json";
}

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// A contract made on purpose: one keyed table `loan` whose mappings meet
/// each kind of schema mismatch the check looks for.
json loan_contract() {
  return json::parse(R"({
    "xml_root_element": "Provenir",
    "xml_application_path": "/Provenir/Request/CustData/application",
    "source_table": "app_xml",
    "source_column": "xml",
    "table_insertion_order": ["loan", "loan_note"],
    "mappings": [
      {"xml_path": "/Provenir/Request", "xml_attribute": "ID",
       "target_table": "loan", "target_column": "app_id",
       "data_type": "int", "mapping_type": ["identity_insert"],
       "nullable": false},
      {"xml_path": "/Provenir/Request/CustData/application",
       "xml_attribute": "amount", "target_table": "loan",
       "target_column": "amount", "data_type": "decimal"},
      {"xml_path": "/Provenir/Request/CustData/application",
       "xml_attribute": "term", "target_table": "loan",
       "target_column": "rate", "data_type": "int"},
      {"xml_path": "/Provenir/Request/CustData/application",
       "xml_attribute": "officer", "target_table": "loan",
       "target_column": "officer", "data_type": "string",
       "data_length": 20},
      {"xml_path": "/Provenir/Request/CustData/application",
       "xml_attribute": "branch", "target_table": "loan",
       "target_column": "branch", "data_type": "string"},
      {"xml_path": "/Provenir/Request/CustData/application",
       "xml_attribute": "note", "target_table": "loan_note",
       "target_column": "note", "data_type": "string"}
    ]
  })");
}

/// The target the loan contract is checked against: `amount` is an
/// INTEGER, `officer` holds 10 characters, `branch` is missing, `status`
/// is NOT NULL without default or mapping, `loan_note` does not exist.
constexpr const char* loan_schema =
    "CREATE TABLE loan (app_id INTEGER NOT NULL PRIMARY KEY,"
    " amount INTEGER, rate REAL, officer VARCHAR(10),"
    " status TEXT NOT NULL, created TEXT NOT NULL DEFAULT 'x');";

struct check_fixture : cli_fixture {
  /// Runs `check` with the contracts (and target when not empty).
  int check(const std::vector<std::string>& contracts,
            const std::string& target = "") {
    std::vector<std::string> args{"check"};
    for (const auto& c : contracts) {
      args.insert(args.end(), {"--contract", c});
    }
    if (!target.empty()) {
      args.insert(args.end(), {"--target", target});
    }
    return run_capturing(args, output);
  }

  /// A target holding the loan schema, and the loan contract file.
  std::string make_loan_target() {
    write_file("target.db", "");  // an empty file is an empty database
    execute(target_db(), loan_schema);
    write_file("loan.json", loan_contract().dump());
    return path("loan.json");
  }

  std::string output;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(check_command, check_fixture)

BOOST_AUTO_TEST_CASE(shipped_contracts_pass_and_differing_sources_warn) {
  BOOST_TEST(check({shipped_contract("credit_card"),
                    shipped_contract("rec_lending")}) == exit_clean,
             output << last_log());
  BOOST_TEST(mentions(output, "0 problem(s)"), output);
  BOOST_TEST(mentions(output, "warning: " + shipped_contract("rec_lending") +
                                  ": /source_table: differs"),
             output);
}

BOOST_AUTO_TEST_CASE(every_problem_is_listed_with_file_and_json_path) {
  auto broken = loan_contract();
  broken["mappings"][1]["data_type"] = "money";
  broken["mappings"][4]["target_table"] = "nowhere";
  write_file("broken.json", broken.dump());
  BOOST_TEST(check({path("broken.json"), shipped_contract("credit_card")}) ==
             exit_problems);
  BOOST_TEST(mentions(output, "error: " + path("broken.json") +
                                  ": /mappings/1/data_type: "),
             output);
  BOOST_TEST(mentions(output, "error: " + path("broken.json") +
                                  ": /mappings/4/target_table: "),
             output);
  BOOST_TEST(!mentions(output, "error: " + shipped_contract("credit_card")),
             output);
}

BOOST_AUTO_TEST_CASE(schema_mismatches_are_listed_per_mapping) {
  const auto contract = make_loan_target();
  BOOST_TEST(check({contract}, target_url()) == exit_problems, last_log());
  const auto at = "error: " + contract + ": ";
  BOOST_TEST(mentions(output, at + "/mappings/1: column loan.amount: a "
                                   "decimal mapping into an integer column"),
             output);
  BOOST_TEST(mentions(output, at + "/mappings/3: column loan.officer holds "
                                   "10 characters"),
             output);
  BOOST_TEST(mentions(output, at + "/mappings/4: column loan.branch does not "
                                   "exist"),
             output);
  BOOST_TEST(mentions(output, at + "/table_insertion_order/0: column "
                                   "loan.status is NOT NULL"),
             output);
  BOOST_TEST(mentions(output, at + "/table_insertion_order/1: table "
                                   "loan_note does not exist"),
             output);
  BOOST_TEST(mentions(output, "5 problem(s)"), output);
}

BOOST_AUTO_TEST_CASE(integer_into_real_and_defaulted_columns_are_fine) {
  const auto contract = make_loan_target();
  BOOST_TEST(check({contract}, target_url()) == exit_problems);
  BOOST_TEST(!mentions(output, "loan.rate"), output);
  BOOST_TEST(!mentions(output, "loan.created"), output);
  BOOST_TEST(!mentions(output, "loan.app_id"), output);
}

BOOST_AUTO_TEST_CASE(shipped_contracts_match_the_schema_a_run_creates) {
  BOOST_TEST_REQUIRE(run({"import", samples(), "--source", source_url(),
                          "--contract", contract()}) == 1, last_log());
  BOOST_TEST_REQUIRE(convert() == 0, last_log());
  BOOST_TEST(check({shipped_contract("credit_card")}, target_url()) ==
                 exit_clean,
             output);
  BOOST_TEST(mentions(output, "against the target: 0 problem(s)"), output);
}

BOOST_AUTO_TEST_CASE(an_unreadable_target_is_a_database_error) {
  BOOST_TEST(check({shipped_contract("credit_card")},
                   "sqlite:" + path("missing.db")) == 3);
  BOOST_TEST(mentions(last_log(), "cannot read the target"), last_log());
}

BOOST_AUTO_TEST_SUITE_END()
