// Contract loading: the shipped contracts load with one warning naming the
// skipped mapping types, and each kind of mistake is reported with the JSON
// path to fix, all of them in one load.
#define BOOST_TEST_MODULE contract_loader_test
#include "domain/contract.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace xmlshred::domain {
namespace {

using json = nlohmann::ordered_json;

std::string example_contract(const std::string& name) {
  return std::string(XMLSHRED_SOURCE_DIR) + "/examples/contracts/" + name +
         ".json";
}

/// A small valid contract: one keyed table, one enum column, one bit column.
json minimal_contract() {
  return json::parse(R"({
    "xml_root_element": "Provenir",
    "xml_application_path": "/Provenir/Request/CustData/application",
    "source_table": "app_xml",
    "source_column": "xml",
    "target_schema": "dbo",
    "table_insertion_order": ["app_base", "processing_log"],
    "mappings": [
      {"xml_path": "/Provenir/Request", "xml_attribute": "ID",
       "target_table": "app_base", "target_column": "app_id",
       "data_type": "int", "mapping_type": ["identity_insert"],
       "nullable": false, "required": true},
      {"xml_path": "/Provenir/Request/CustData/application",
       "xml_attribute": "app_source_ind", "target_table": "app_base",
       "target_column": "app_source_enum", "data_type": "smallint",
       "mapping_type": ["enum"], "nullable": true, "required": false},
      {"xml_path": "/Provenir/Request/CustData/application",
       "xml_attribute": "signature_ind", "target_table": "app_base",
       "target_column": "signature_flag", "data_type": "bit",
       "mapping_type": ["char_to_bit"], "default_value": "0",
       "nullable": false, "required": true}
    ],
    "enum_mappings": {"app_source_enum": {"I": 1, "M": 2}},
    "bit_conversions": {"char_to_bit": {"Y": 1, "N": 0, "": 0}}
  })");
}

contract_load_result load(const json& document) {
  return parse_contract(document.dump(), "contracts/test_contract.json");
}

/// The JSON paths of all problems, for readable comparisons.
std::vector<std::string> problem_paths(const contract_load_result& result) {
  std::vector<std::string> paths;
  for (const auto& problem : result.problems) {
    paths.push_back(problem.json_path);
  }
  return paths;
}

bool has_path(const contract_load_result& result, const std::string& path) {
  auto paths = problem_paths(result);
  return std::find(paths.begin(), paths.end(), path) != paths.end();
}

}  // namespace

BOOST_AUTO_TEST_CASE(credit_card_contract_loads_without_warnings) {
  auto result = load_contract_file(example_contract("credit_card"));
  BOOST_TEST(result.problems.empty());
  BOOST_REQUIRE(result.loaded.has_value());
  BOOST_TEST(result.loaded->name == "credit_card");
  BOOST_TEST(result.loaded->key_column() == "app_id");
  BOOST_TEST(result.warnings.empty());
}

BOOST_AUTO_TEST_CASE(rec_lending_contract_loads_without_warnings) {
  auto result = load_contract_file(example_contract("rec_lending"));
  BOOST_TEST(result.problems.empty());
  BOOST_REQUIRE(result.loaded.has_value());
  BOOST_TEST(result.loaded->name == "rec_lending");
  BOOST_TEST(result.loaded->enum_text_mappings.count(
                 "officer_code_to_email_enum") == 1u);
  BOOST_TEST(result.warnings.empty());
}

BOOST_AUTO_TEST_CASE(minimal_contract_loads_without_warnings) {
  auto result = load(minimal_contract());
  BOOST_TEST(problem_paths(result).empty());
  BOOST_TEST(result.warnings.empty());
  BOOST_REQUIRE(result.loaded.has_value());
  BOOST_TEST(result.loaded->name == "test_contract");
}

BOOST_AUTO_TEST_CASE(malformed_json_names_line_and_column) {
  auto result = parse_contract("{\n  \"mappings\": [\n    {,\n  ]\n}", "x.json");
  BOOST_REQUIRE_EQUAL(result.problems.size(), 1u);
  BOOST_TEST(result.problems[0].message.find("line 3, column") !=
             std::string::npos);
  BOOST_TEST(!result.loaded.has_value());
}

BOOST_AUTO_TEST_CASE(missing_required_key_names_its_path) {
  auto document = minimal_contract();
  document.erase("source_table");
  document["mappings"][1].erase("target_table");
  auto result = load(document);
  BOOST_TEST(has_path(result, "/source_table"));
  BOOST_TEST(has_path(result, "/mappings/1/target_table"));
  BOOST_TEST(!result.loaded.has_value());
}

BOOST_AUTO_TEST_CASE(wrong_json_type_names_its_path) {
  auto document = minimal_contract();
  document["table_insertion_order"] = "app_base";
  document["mappings"][0]["nullable"] = "no";
  document["mappings"][0]["data_length"] = "10";
  auto result = load(document);
  BOOST_TEST(has_path(result, "/table_insertion_order"));
  BOOST_TEST(has_path(result, "/mappings/0/nullable"));
  BOOST_TEST(has_path(result, "/mappings/0/data_length"));
}

BOOST_AUTO_TEST_CASE(unknown_mapping_type_names_its_position) {
  auto document = minimal_contract();
  document["mappings"][1]["mapping_type"] = {"enum", "to_upper"};
  document["mappings"][2]["mapping_type"] = {"add_score()"};
  auto result = load(document);
  BOOST_TEST(has_path(result, "/mappings/1/mapping_type/1"));
  BOOST_TEST(has_path(result, "/mappings/2/mapping_type/0"));
}

BOOST_AUTO_TEST_CASE(parameterised_mapping_types_are_known) {
  auto document = minimal_contract();
  document["mappings"][2]["target_column"] = "";
  document["mappings"][2]["mapping_type"] = {"add_score(TU_DIE)"};
  auto result = load(document);
  BOOST_TEST(problem_paths(result).empty());
  BOOST_TEST(result.warnings.empty());
}

BOOST_AUTO_TEST_CASE(unknown_data_type_names_its_path) {
  auto document = minimal_contract();
  document["mappings"][1]["data_type"] = "varchar";
  auto result = load(document);
  BOOST_TEST(has_path(result, "/mappings/1/data_type"));
}

BOOST_AUTO_TEST_CASE(table_missing_from_insertion_order_is_reported) {
  auto document = minimal_contract();
  document["mappings"][1]["target_table"] = "app_operational";
  auto result = load(document);
  BOOST_TEST(has_path(result, "/mappings/1/target_table"));
}

BOOST_AUTO_TEST_CASE(enum_table_derived_from_column_must_exist) {
  auto document = minimal_contract();
  document["mappings"][1]["target_column"] = "app_origin_enum";
  auto result = load(document);
  BOOST_TEST(has_path(result, "/mappings/1/target_column"));
}

BOOST_AUTO_TEST_CASE(explicit_enum_name_must_exist) {
  auto document = minimal_contract();
  document["mappings"][1]["enum_name"] = "y_n_d_enum";
  auto result = load(document);
  BOOST_TEST(has_path(result, "/mappings/1/enum_name"));
}

BOOST_AUTO_TEST_CASE(bit_conversion_table_must_exist) {
  auto document = minimal_contract();
  document["bit_conversions"].erase("char_to_bit");
  auto result = load(document);
  BOOST_TEST(has_path(result, "/mappings/2/mapping_type/0"));
}

BOOST_AUTO_TEST_CASE(expression_that_does_not_parse_is_reported) {
  auto document = minimal_contract();
  document["mappings"][1]["mapping_type"] = {"calculated_field"};
  document["mappings"][1]["expression"] = "CASE WHEN a = THEN 1 END";
  auto result = load(document);
  BOOST_TEST(has_path(result, "/mappings/1/expression"));
}

BOOST_AUTO_TEST_CASE(filter_rule_attribute_must_be_true_or_a_list) {
  auto document = minimal_contract();
  document["element_filtering"] = json::parse(R"({"filter_rules": [
    {"element_type": "contact",
     "xml_parent_path": "/Provenir/Request/CustData/application",
     "xml_child_path": "/Provenir/Request/CustData/application/contact",
     "required_attributes": {"con_id": "yes", "ac_role_tp_c": []}}]})");
  auto result = load(document);
  BOOST_TEST(has_path(
      result, "/element_filtering/filter_rules/0/required_attributes/con_id"));
  BOOST_TEST(has_path(result, "/element_filtering/filter_rules/0/"
                              "required_attributes/ac_role_tp_c"));
}

BOOST_AUTO_TEST_CASE(relationship_tables_must_be_in_insertion_order) {
  auto document = minimal_contract();
  document["relationships"] = json::parse(R"([
    {"parent_table": "app_base", "child_table": "app_contact_base",
     "foreign_key_column": "app_id", "xml_parent_path": "/Provenir/Request",
     "xml_child_path": "/Provenir/Request/CustData/application/contact"}])");
  auto result = load(document);
  BOOST_TEST(has_path(result, "/relationships/0/child_table"));
  BOOST_TEST(!has_path(result, "/relationships/0/parent_table"));
}

BOOST_AUTO_TEST_CASE(contract_without_identity_mapping_is_refused) {
  auto document = minimal_contract();
  document["mappings"][0]["mapping_type"] = json::array();
  auto result = load(document);
  BOOST_TEST(has_path(result, "/mappings"));
}

BOOST_AUTO_TEST_CASE(every_problem_is_reported_in_one_load) {
  auto document = minimal_contract();
  document.erase("xml_root_element");
  document["mappings"][0]["data_type"] = "number";
  document["mappings"][1]["mapping_type"] = {"lookup"};
  document["mappings"][2]["target_table"] = "nowhere";
  auto result = load(document);
  BOOST_TEST(has_path(result, "/xml_root_element"));
  BOOST_TEST(has_path(result, "/mappings/0/data_type"));
  BOOST_TEST(has_path(result, "/mappings/1/mapping_type/0"));
  BOOST_TEST(has_path(result, "/mappings/2/target_table"));
  BOOST_TEST(result.problems.size() == 4u);
}

BOOST_AUTO_TEST_CASE(problem_messages_say_what_to_do) {
  auto document = minimal_contract();
  document["mappings"][1]["target_table"] = "app_operational";
  auto result = load(document);
  BOOST_REQUIRE(!result.problems.empty());
  BOOST_TEST(result.problems[0].message.find("table_insertion_order") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(unreadable_file_is_a_problem) {
  auto result = load_contract_file("/nonexistent/contract.json");
  BOOST_REQUIRE_EQUAL(result.problems.size(), 1u);
  BOOST_TEST(result.problems[0].message.find("/nonexistent/contract.json") !=
             std::string::npos);
}

}  // namespace xmlshred::domain
