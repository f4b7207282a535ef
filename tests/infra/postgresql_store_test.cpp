#define BOOST_TEST_MODULE postgresql_store
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <boost/test/unit_test.hpp>

#include <cstdlib>

#include "infra/source_store.hpp"
#include "infra/target_store.hpp"
#include "tests/infra/infra_test_support.hpp"

// The same store code against a real PostgreSQL server. The suite runs only
// when XMLSHRED_TEST_POSTGRESQL_URL names one (a database the tests may
// create and drop schemas in); otherwise its cases are reported skipped.

namespace xmlshred::infra {
namespace {

using domain::cell;
namespace utf = boost::unit_test;

constexpr const char* url_variable = "XMLSHRED_TEST_POSTGRESQL_URL";

std::string server_url() {
  const char* value = std::getenv(url_variable);
  return value == nullptr ? std::string() : std::string(value);
}

boost::test_tools::assertion_result server_configured(utf::test_unit_id) {
  boost::test_tools::assertion_result configured(!server_url().empty());
  configured.message() << url_variable << " is not set";
  return configured;
}

// A private schema and source table per fixture, dropped afterwards.
struct postgresql_fixture {
  std::string suffix = std::to_string(::getpid());
  std::string schema = "xmlshred_test_" + suffix;
  std::string source_table = "xmlshred_source_" + suffix;
  database_url url =
      std::get<database_url>(parse_database_url(server_url()));

  ~postgresql_fixture() {
    try {
      soci::session admin(*soci::factory_postgresql(), url.connect_string);
      admin << "SET client_min_messages = warning";
      admin << "DROP SCHEMA IF EXISTS " + schema + " CASCADE";
      admin << "DROP TABLE IF EXISTS " + source_table;
    } catch (const std::exception&) {
      // Deliberately ignored: cleanup must not hide the test's own result.
    }
  }

  std::unique_ptr<target_store> open_target() {
    auto contract = std::make_shared<domain::contract>(
        *test::shipped_contract("credit_card"));
    contract->target_schema = schema;
    target_options options;
    options.create_schema = true;
    auto opened = target_store::open(url, {contract}, options);
    BOOST_REQUIRE_MESSAGE(opened.ok(), test::failure_of(opened));
    return std::move(opened.value());
  }
};

domain::record_outcome application(domain::record_key key,
                                   const std::string& product_line) {
  const auto id = std::to_string(key);
  return domain::converted_outcome(
      key, {{"app_base",
             {"app_id", "product_line_enum", "receive_date"},
             {{cell(id), cell(product_line), cell("2024-05-01 10:00:00")}}},
            {"app_pricing_cc",
             {"app_id", "campaign_num", "monthly_income"},
             {{cell(id), cell("BLANK"), cell("450.0")}}}});
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(postgresql_store_suite, postgresql_fixture,
                         *utf::precondition(server_configured))

BOOST_AUTO_TEST_CASE(refused_record_is_rolled_back_alone_on_postgresql) {
  auto store = open_target();
  auto report = store->write_batch(
      {application(1, "600"), application(1, "600"), application(2, "600")},
      "pg-run");
  BOOST_REQUIRE_MESSAGE(report.ok(), test::failure_of(report));
  const auto& written = report.value().written;
  BOOST_TEST((written.at(0).status == domain::record_status::converted));
  BOOST_TEST((written.at(1).status == domain::record_status::failed));
  BOOST_TEST(written.at(1).message ==
             "insert into app_base: duplicate key value violates unique "
             "constraint \"app_base_pkey\"");
  BOOST_TEST(report.value().rows_per_table.at("app_pricing_cc") == 2u);
}

BOOST_AUTO_TEST_CASE(type_refusal_on_postgresql_carries_no_value) {
  auto store = open_target();
  auto report = store->write_batch({application(3, "SECRET-VALUE")}, "pg");
  BOOST_REQUIRE_MESSAGE(report.ok(), test::failure_of(report));
  const auto& message = report.value().written.at(0).message;
  BOOST_TEST(message.find("SECRET") == std::string::npos, message);
  BOOST_TEST(message.find("app_base") != std::string::npos, message);
}

BOOST_AUTO_TEST_CASE(reused_contact_is_skipped_on_postgresql) {
  auto store = open_target();
  auto with_contact = [](domain::record_key key) {
    auto outcome = application(key, "600");
    outcome.tables.push_back(
        {"app_contact_base",
         {"con_id", "app_id", "contact_type_enum", "birth_date", "first_name",
          "last_name", "ssn"},
         {{cell("77"), cell(std::to_string(key)), cell("281"),
           cell("1970-01-01 00:00:00"), cell("A"), cell("B"), cell("1")}}});
    outcome.tables.push_back({"app_contact_address",
                              {"con_id", "address_type_enum"},
                              {{cell("77"), cell("320")}}});
    return outcome;
  };
  auto report = store->write_batch({with_contact(12), with_contact(11)}, "pg");
  BOOST_REQUIRE_MESSAGE(report.ok(), test::failure_of(report));
  const auto& written = report.value().written;
  BOOST_TEST((written.at(0).status == domain::record_status::converted));
  BOOST_TEST(written.at(0).row_count() == 2u);  // app_base, pricing
  BOOST_TEST(written.at(1).row_count() == 4u);
}

BOOST_AUTO_TEST_CASE(logged_keys_on_postgresql) {
  auto store = open_target();
  BOOST_REQUIRE(store->write_batch({application(4, "600")}, "pg").ok());
  auto logged = store->logged_keys({4, 5});
  BOOST_REQUIRE(logged.ok());
  BOOST_TEST(logged.value().size() == 1u);
  BOOST_TEST(logged.value().count(4) == 1u);
}

BOOST_AUTO_TEST_CASE(source_import_and_keyset_paging_on_postgresql) {
  auto opened = source_store::open(url, {source_table, "app_id", "app_XML"});
  BOOST_REQUIRE_MESSAGE(opened.ok(), test::failure_of(opened));
  auto& store = *opened.value();
  BOOST_REQUIRE(store.ensure_table().ok());
  BOOST_TEST((store.import_document(9, "<a/>").value() ==
              import_outcome::inserted));
  BOOST_TEST((store.import_document(9, "<b/>").value() ==
              import_outcome::already_present));
  BOOST_REQUIRE(store.import_document(4, "<c/>").ok());
  const std::vector<domain::record_key> expected{4, 9};
  BOOST_TEST(store.keys_after(0, 10).value() == expected,
             boost::test_tools::per_element());
  BOOST_TEST(store.fetch({9}).value().at(0).xml == "<a/>");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace xmlshred::infra
