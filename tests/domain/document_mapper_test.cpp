// The document mapper and router on documents made for each rule: routing
// categories, key checks, element filtering and duplicate contacts.
#define BOOST_TEST_MODULE document_mapper_test
#include "domain/document_mapper.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>
#include <variant>

#include "infra/xml_document.hpp"

namespace xmlshred::domain {
namespace {

namespace fs = std::filesystem;

constexpr int concurrent_mappers = 4;

std::shared_ptr<const contract> example(const std::string& name) {
  auto result = load_contract_file(std::string(XMLSHRED_SOURCE_DIR) +
                                   "/examples/contracts/" + name + ".json");
  BOOST_REQUIRE(result.loaded.has_value());
  return std::make_shared<const contract>(std::move(*result.loaded));
}

/// The credit-card and recreational-lending contracts, loaded once.
struct router_fixture {
  std::shared_ptr<const contract> cc = example("credit_card");
  std::shared_ptr<const contract> rl = example("rec_lending");
  document_router router{{cc, rl}};

  record_outcome map(const std::string& text, record_key key) {
    auto parsed = infra::parse_xml(text);
    BOOST_REQUIRE(std::holds_alternative<infra::xml_doc_ptr>(parsed));
    return router.map(*std::get<infra::xml_doc_ptr>(parsed), key);
  }
};

/// A credit-card document around the given application content.
std::string cc_document(const std::string& id, const std::string& content) {
  return "<Provenir><Request ID=\"" + id +
         "\"><CustData><application app_receive_date=\"2023-01-02\" "
         "app_source_ind=\"I\">" +
         content + "</application></CustData></Request></Provenir>";
}

std::string contact(const std::string& con_id, const std::string& role,
                    const std::string& name, const std::string& children = "") {
  return "<contact con_id=\"" + con_id + "\" ac_role_tp_c=\"" + role +
         "\" first_name=\"" + name + "\">" + children + "</contact>";
}

/// A recreational-lending document around the given application content.
std::string rl_document(const std::string& id, const std::string& content) {
  return "<Provenir><Request ID=\"" + id +
         "\"><CustData><IL_application app_entry_date=\"2024-01-02\" "
         "app_type_code=\"MARINE\">" +
         content + "</IL_application></CustData></Request></Provenir>";
}

const table_rows* table(const record_outcome& outcome,
                        const std::string& name) {
  for (const auto& rows : outcome.tables) {
    if (rows.table == name) {
      return &rows;
    }
  }
  return nullptr;
}

/// One column of a table's rows, "NULL" for SQL NULL, in row order.
std::vector<std::string> column_values(const record_outcome& outcome,
                                       const std::string& table_name,
                                       const std::string& column) {
  std::vector<std::string> values;
  const table_rows* rows = table(outcome, table_name);
  if (rows == nullptr) {
    return values;
  }
  auto it = std::find(rows->columns.begin(), rows->columns.end(), column);
  if (it == rows->columns.end()) {
    return values;
  }
  auto index = static_cast<std::size_t>(it - rows->columns.begin());
  for (const auto& row : rows->rows) {
    values.push_back(row[index] ? *row[index] : "NULL");
  }
  return values;
}

std::string category(const record_outcome& outcome) {
  return outcome.category ? std::string(to_string(*outcome.category)) : "";
}

using strings = std::vector<std::string>;

}  // namespace

BOOST_FIXTURE_TEST_SUITE(document_mapper_suite, router_fixture)

BOOST_AUTO_TEST_CASE(other_root_is_rejected_as_wrong_root) {
  auto outcome = map("<Journals><Journal/></Journals>", 1);
  BOOST_TEST(to_string(outcome.status) == "rejected");
  BOOST_TEST(category(outcome) == "wrong_root");
}

BOOST_AUTO_TEST_CASE(known_root_without_application_is_unsupported) {
  auto outcome =
      map("<Provenir><Request ID=\"5\"><CustData/></Request></Provenir>", 5);
  BOOST_TEST(to_string(outcome.status) == "rejected");
  BOOST_TEST(category(outcome) == "unsupported_type");
}

BOOST_AUTO_TEST_CASE(missing_or_non_integer_key_is_rejected) {
  BOOST_TEST(category(map(cc_document("", ""), 0)) == "missing_key");
  BOOST_TEST(category(map(cc_document("12x", ""), 12)) == "missing_key");
}

BOOST_AUTO_TEST_CASE(key_differing_from_the_source_fails_the_mapping) {
  auto outcome = map(cc_document("100", ""), 101);
  BOOST_TEST(to_string(outcome.status) == "failed");
  BOOST_TEST(category(outcome) == "mapping");
}

BOOST_AUTO_TEST_CASE(document_is_routed_by_its_application_path) {
  auto parsed = infra::parse_xml(
      "<Provenir><Request ID=\"9\"><CustData><IL_application/></CustData>"
      "</Request></Provenir>");
  const auto& document = *std::get<infra::xml_doc_ptr>(parsed);
  BOOST_REQUIRE(router.route(document) != nullptr);
  BOOST_TEST(router.route(document)->rules().name == "rec_lending");
}

BOOST_AUTO_TEST_CASE(application_row_gets_the_key_and_converted_values) {
  auto outcome = map(cc_document("100", ""), 100);
  BOOST_TEST(to_string(outcome.status) == "converted");
  BOOST_TEST(outcome.contract_name == "credit_card");
  BOOST_TEST(column_values(outcome, "app_base", "app_id") == strings{"100"});
  BOOST_TEST(column_values(outcome, "app_base", "receive_date") ==
             strings{"2023-01-02 00:00:00"});
  BOOST_TEST(column_values(outcome, "app_base", "app_source_enum") ==
             strings{"1"});
}

BOOST_AUTO_TEST_CASE(contacts_need_a_con_id_and_a_listed_role) {
  auto outcome = map(cc_document("100", contact("1", "PR", "A") +
                                            contact("", "PR", "B") +
                                            contact("3", "WEIRD", "C") +
                                            contact("4", "AUTHU", "D")),
                     100);
  BOOST_TEST(column_values(outcome, "app_contact_base", "con_id") ==
             (strings{"1", "4"}));
  BOOST_TEST(column_values(outcome, "app_contact_base", "app_id") ==
             (strings{"100", "100"}));
}

BOOST_AUTO_TEST_CASE(later_contact_with_the_same_con_id_wins) {
  auto outcome = map(
      cc_document("100", contact("7", "PR", "FIRST") + contact("8", "AUTHU", "X") +
                             contact("7", "PR", "SECOND")),
      100);
  BOOST_TEST(column_values(outcome, "app_contact_base", "first_name") ==
             (strings{"SECOND", "X"}));
}

BOOST_AUTO_TEST_CASE(primary_contact_is_not_replaced_by_an_authorized_user) {
  auto outcome = map(
      cc_document("100", contact("7", "PR", "PRIMARY") +
                             contact("7", "AUTHU", "USER")),
      100);
  BOOST_TEST(column_values(outcome, "app_contact_base", "first_name") ==
             strings{"PRIMARY"});
}

BOOST_AUTO_TEST_CASE(addresses_need_a_listed_type_and_a_kept_contact) {
  std::string addresses =
      "<contact_address address_tp_c=\"CURR\" city=\"ONE\"/>"
      "<contact_address address_tp_c=\"MAIL\" city=\"TWO\"/>"
      "<contact_address city=\"THREE\"/>";
  auto outcome = map(cc_document("100", contact("7", "PR", "A", addresses) +
                                            contact("", "PR", "B", addresses)),
                     100);
  BOOST_TEST(column_values(outcome, "app_contact_address", "city") ==
             strings{"ONE"});
  BOOST_TEST(column_values(outcome, "app_contact_address", "con_id") ==
             strings{"7"});
}

BOOST_AUTO_TEST_CASE(element_row_with_only_its_type_code_is_not_written) {
  std::string children =
      "<contact_employment employment_tp_c=\"PREV\" b_other_income_amt=\"0\"/>"
      "<contact_employment employment_tp_c=\"CURR\" b_name=\"SHOP\"/>";
  auto outcome =
      map(cc_document("100", contact("7", "PR", "A", children)), 100);
  BOOST_TEST(column_values(outcome, "app_contact_employment",
                           "business_name") == strings{"SHOP"});
}

BOOST_AUTO_TEST_CASE(unusable_required_value_fails_without_echoing_it) {
  auto outcome = map(cc_document("100", contact("SECRET9", "PR", "A")), 100);
  BOOST_TEST(to_string(outcome.status) == "failed");
  BOOST_TEST(category(outcome) == "mapping");
  BOOST_TEST(outcome.message.find("app_contact_base.con_id") !=
             std::string::npos);
  BOOST_TEST(outcome.message.find("SECRET9") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(attribute_names_match_ignoring_case) {
  auto outcome = map(
      cc_document("100", "<app_product Decision_TP_C=\"APPRV\"/>"), 100);
  BOOST_TEST(column_values(outcome, "app_base", "decision_enum") ==
             strings{"50"});
}

BOOST_AUTO_TEST_CASE(history_rows_name_attribute_and_element) {
  auto outcome = map(
      cc_document("100", "<app_product EX_EVS_score=\" 940 \" "
                         "risk_model_score=\"null\" TU_L2C_score=\"\"/>"),
      100);
  BOOST_TEST(column_values(outcome, "app_historical_lookup", "name") ==
             strings{"[EX_EVS_score]"});
  BOOST_TEST(column_values(outcome, "app_historical_lookup", "source") ==
             strings{"[app_product]"});
  BOOST_TEST(column_values(outcome, "app_historical_lookup", "value") ==
             strings{"940"});
}

BOOST_AUTO_TEST_CASE(scores_round_half_up_and_skip_non_numbers) {
  auto outcome = map(
      cc_document("100", "<app_product EX_DIE_score=\"52.5\" "
                         "EX_TIE_score=\"n/a\"/>"),
      100);
  BOOST_TEST(column_values(outcome, "scores", "score_identifier") ==
             strings{"EX_DIE"});
  BOOST_TEST(column_values(outcome, "scores", "score") == strings{"53"});
}

BOOST_AUTO_TEST_CASE(indicators_are_written_only_for_yes) {
  auto outcome = map(
      cc_document("100", "<app_product intrnl_fraud_ssn_ind=\"y\" "
                         "intrnl_fraud_address_ind=\"N\"/>"),
      100);
  BOOST_TEST(column_values(outcome, "indicators", "indicator") ==
             strings{"internal_fraud_ssn_ind"});
  BOOST_TEST(column_values(outcome, "indicators", "value") == strings{"1"});
}

BOOST_AUTO_TEST_CASE(report_lookup_rows_carry_the_report_key) {
  auto outcome =
      map(cc_document("100", "<app_product InstantID_Score=\"950\"/>"), 100);
  BOOST_TEST(column_values(outcome, "app_report_results_lookup",
                           "source_report_key") == strings{"IDV"});
  BOOST_TEST(column_values(outcome, "app_report_results_lookup", "name") ==
             strings{"InstantID_Score"});
}

BOOST_AUTO_TEST_CASE(primary_contact_values_come_from_the_last_valid_one) {
  auto card = [](const std::string& line) {
    return "<app_prod_bcard allocated_credit_line=\"" + line + "\"/>";
  };
  auto outcome = map(cc_document("100", contact("1", "PR", "A", card("300")) +
                                            contact("2", "PR", "B", card("500")) +
                                            contact("", "PR", "C", card("900"))),
                     100);
  BOOST_TEST(column_values(outcome, "app_pricing_cc", "credit_line") ==
             strings{"500"});
}

BOOST_AUTO_TEST_CASE(primary_contact_address_values_prefer_current_ones) {
  std::string addresses =
      "<contact_address address_tp_c=\"PREV\" residence_monthly_pymnt=\"9\"/>"
      "<contact_address address_tp_c=\"CURR\" residence_monthly_pymnt=\"\"/>"
      "<contact_address address_tp_c=\"CURR\" "
      "residence_monthly_pymnt=\"893.549\"/>";
  auto outcome =
      map(cc_document("100", contact("1", "PR", "A", addresses)), 100);
  BOOST_TEST(column_values(outcome, "app_operational_cc",
                           "housing_monthly_payment") == strings{"893.55"});
}

BOOST_AUTO_TEST_CASE(blank_primary_contact_value_gives_an_empty_column) {
  auto outcome = map(
      cc_document("100", "<contact con_id=\"1\" ac_role_tp_c=\"PR\" "
                         "banking_aba=\"\"/>"),
      100);
  BOOST_TEST(column_values(outcome, "app_operational_cc", "sc_bank_aba") ==
             strings{"NULL"});
}

BOOST_AUTO_TEST_CASE(contact_phones_come_from_the_current_address) {
  std::string addresses =
      "<contact_address address_tp_c=\"PREV\" cell_phone=\"111\"/>"
      "<contact_address address_tp_c=\"CURR\" "
      "cell_phone=\"(266) 995-3856\"/>";
  auto outcome =
      map(cc_document("100", contact("1", "PR", "A", addresses)), 100);
  BOOST_TEST(column_values(outcome, "app_contact_base", "cell_phone") ==
             strings{"2669953856"});
}

BOOST_AUTO_TEST_CASE(authorized_user_flag_comes_from_the_last_authu_contact) {
  std::string card_yes = "<app_prod_bcard issue_card_ind=\"Y\"/>";
  auto outcome = map(cc_document("100", contact("1", "PR", "A") +
                                            contact("2", "AUTHU", "B") +
                                            contact("", "AUTHU", "C", card_yes)),
                     100);
  BOOST_TEST(column_values(outcome, "app_operational_cc",
                           "auth_user_issue_card_flag") == strings{"1"});
}

BOOST_AUTO_TEST_CASE(calculated_columns_use_the_element_and_its_ancestors) {
  std::string job =
      "<contact_employment employment_tp_c=\"CURR\" b_months_at_job=\"3\" "
      "b_years_at_job=\"2\" b_salary=\"30001\" "
      "b_salary_basis_tp_c=\"ANNUM\"/>";
  auto outcome = map(cc_document("100", contact("1", "PR", "A", job)), 100);
  BOOST_TEST(column_values(outcome, "app_contact_employment",
                           "months_at_job") == strings{"27"});
  BOOST_TEST(column_values(outcome, "app_contact_employment",
                           "monthly_salary") == strings{"2500.08"});
}

BOOST_AUTO_TEST_CASE(calculated_empty_text_gives_an_empty_column) {
  auto outcome = map(
      cc_document("100", "<app_product adverse_actn1_type_cd=\"\"/>"), 100);
  BOOST_TEST(column_values(outcome, "app_operational_cc",
                           "cb_score_factor_type_1") == strings{"NULL"});
}

BOOST_AUTO_TEST_CASE(collateral_slots_with_data_become_numbered_rows) {
  auto outcome = map(
      rl_document("200", "<IL_collateral coll1_make=\"SEA-DOO\" "
                         "coll1_year=\"2018\" coll2_value=\"0\" "
                         "coll3_value=\"0.00\" coll_option5=\"0.00\"/>"),
      200);
  BOOST_TEST(column_values(outcome, "app_collateral_rl", "sort_order") ==
             (strings{"1", "3"}));
  BOOST_TEST(column_values(outcome, "app_collateral_rl", "make") ==
             (strings{"SEA-DOO", "MISSING"}));
  BOOST_TEST(column_values(outcome, "app_collateral_rl", "year") ==
             (strings{"2018", "9999"}));
}

BOOST_AUTO_TEST_CASE(warranty_rows_keep_values_as_written) {
  auto outcome = map(
      rl_document("200", "<IL_backend_policies service_contract_amount="
                         "\"1500\" service_contract_company=\"ACME\" "
                         "service_contract_term=\"48\"/>"),
      200);
  BOOST_TEST(column_values(outcome, "app_warranties_rl", "amount") ==
             strings{"1500"});
  BOOST_TEST(column_values(outcome, "app_warranties_rl",
                           "warranty_type_enum") == strings{"626"});
  BOOST_TEST(column_values(outcome, "app_warranties_rl",
                           "merrick_lienholder_flag") == strings{"0"});
}

BOOST_AUTO_TEST_CASE(policy_exceptions_share_the_notes) {
  auto outcome = map(
      rl_document("200", "<IL_app_decision_info override_credit=\"LOWFICO\" "
                         "override_capacity=\"\" "
                         "override_type_code_notes=\"approved by lead\"/>"),
      200);
  BOOST_TEST(column_values(outcome, "app_policy_exceptions_rl",
                           "policy_exception_type_enum") == strings{"632"});
  BOOST_TEST(column_values(outcome, "app_policy_exceptions_rl",
                           "reason_code") == strings{"LOWFICO"});
  BOOST_TEST(column_values(outcome, "app_policy_exceptions_rl", "notes") ==
             strings{"approved by lead"});
}

BOOST_AUTO_TEST_CASE(concurrent_mapping_gives_identical_results) {
  std::ifstream input(std::string(XMLSHRED_SOURCE_DIR) +
                      "/examples/cc/sample-source-xml-contact-test.xml");
  std::ostringstream text;
  text << input.rdbuf();
  auto parsed = infra::parse_xml(text.str());
  const auto& document = *std::get<infra::xml_doc_ptr>(parsed);
  auto key = *router.route(document)->read_key(document);
  auto reference = router.map(document, key);

  std::vector<std::future<record_outcome>> runs;
  for (int i = 0; i < concurrent_mappers; ++i) {
    runs.push_back(std::async(std::launch::async,
                              [&] { return router.map(document, key); }));
  }
  for (auto& run : runs) {
    auto outcome = run.get();
    BOOST_REQUIRE_EQUAL(outcome.tables.size(), reference.tables.size());
    for (std::size_t t = 0; t < outcome.tables.size(); ++t) {
      BOOST_TEST(outcome.tables[t].rows == reference.tables[t].rows);
    }
  }
}

BOOST_AUTO_TEST_CASE(shipped_samples_map_at_a_useful_rate) {
  // Reported, not asserted: machines differ. Parsing is included.
  std::vector<std::string> texts;
  std::size_t bytes = 0;
  for (const auto& entry : fs::directory_iterator(
           fs::path(XMLSHRED_SOURCE_DIR) / "examples" / "cc")) {
    std::ifstream input(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << input.rdbuf();
    bytes += text.str().size();
    texts.push_back(text.str());
  }
  std::size_t converted = 0;
  auto start = std::chrono::steady_clock::now();
  for (const auto& text : texts) {
    auto parsed = infra::parse_xml(text);
    if (auto* document = std::get_if<infra::xml_doc_ptr>(&parsed)) {
      const auto* mapper = router.route(**document);
      auto key = mapper != nullptr ? mapper->read_key(**document) : std::nullopt;
      if (key && to_string(router.map(**document, *key).status) ==
                     "converted") {
        ++converted;
      }
    }
  }
  std::chrono::duration<double> elapsed =
      std::chrono::steady_clock::now() - start;
  std::cout << "parsed and mapped " << texts.size() << " documents ("
            << bytes / 1024 << " KiB) in " << elapsed.count() * 1000
            << " ms: " << texts.size() / elapsed.count() << " documents/s\n";
  BOOST_TEST(converted == texts.size() - 1);  // bloat.xml is not well-formed
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace xmlshred::domain
