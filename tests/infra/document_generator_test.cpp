#include "infra/document_generator.hpp"

#define BOOST_TEST_MODULE document_generator
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <variant>

#include "domain/document_mapper.hpp"
#include "infra/xml_document.hpp"

namespace {

using xmlshred::domain::contract;
using xmlshred::domain::document_router;
using xmlshred::infra::defect_kind;
using xmlshred::infra::document_generator;
using xmlshred::infra::generator_options;

constexpr std::size_t kilobyte = 1024;

std::shared_ptr<const contract> credit_card() {
  auto loaded = xmlshred::domain::load_contract_file(
      std::string{XMLSHRED_SOURCE_DIR} +
      "/examples/contracts/credit_card.json");
  BOOST_REQUIRE_MESSAGE(loaded.loaded, "credit_card.json does not load");
  return std::make_shared<const contract>(std::move(*loaded.loaded));
}

/// The generator, the contract and a router, shared by the cases.
struct generator_fixture {
  std::shared_ptr<const contract> rules = credit_card();
  document_router router{{rules}};

  document_generator make(std::uint64_t seed, double defect_rate = 0) const {
    generator_options options;
    options.seed = seed;
    options.defect_rate = defect_rate;
    return document_generator{*rules, options};
  }

  /// The status the mapper gives a generated document, or nullopt when the
  /// text does not parse.
  std::optional<xmlshred::domain::record_outcome> convert(
      const xmlshred::infra::generated_document& document) const {
    auto parsed = xmlshred::infra::parse_xml(document.xml);
    if (!std::holds_alternative<xmlshred::infra::xml_doc_ptr>(parsed)) {
      return std::nullopt;
    }
    return router.map(*std::get<xmlshred::infra::xml_doc_ptr>(parsed),
                      document.key);
  }
};

std::string status_of(const xmlshred::domain::record_outcome& outcome) {
  return std::string{xmlshred::domain::to_string(outcome.status)};
}

std::size_t rows_of(const xmlshred::domain::record_outcome& outcome,
                    const std::string& table) {
  for (const auto& rows : outcome.tables) {
    if (rows.table == table) {
      return rows.rows.size();
    }
  }
  return 0;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(document_generator_suite, generator_fixture)

BOOST_AUTO_TEST_CASE(same_seed_gives_the_same_documents) {
  const auto first = make(7, 0.2);
  const auto second = make(7, 0.2);
  for (std::size_t i = 0; i < 20; ++i) {
    BOOST_TEST(first.generate(i).xml == second.generate(i).xml);
  }
}

BOOST_AUTO_TEST_CASE(another_seed_gives_other_documents) {
  BOOST_TEST(make(7).generate(3).xml != make(8).generate(3).xml);
}

BOOST_AUTO_TEST_CASE(keys_increase_from_the_first_key) {
  const auto generator = make(1);
  BOOST_TEST(generator.generate(0).key == 10'000'000);
  BOOST_TEST(generator.generate(41).key == 10'000'041);
}

BOOST_AUTO_TEST_CASE(sizes_stay_within_bounds_around_the_median) {
  const auto generator = make(3);
  std::vector<std::size_t> sizes;
  for (std::size_t i = 0; i < 300; ++i) {
    sizes.push_back(generator.generate(i).xml.size());
  }
  std::sort(sizes.begin(), sizes.end());
  BOOST_TEST(sizes.front() >= 10 * kilobyte);
  BOOST_TEST(sizes.back() <= 2 * kilobyte * kilobyte);
  const auto median = sizes[sizes.size() / 2];
  BOOST_TEST(median >= 90 * kilobyte);
  BOOST_TEST(median <= 180 * kilobyte);
}

BOOST_AUTO_TEST_CASE(clean_documents_convert_with_contacts) {
  const auto generator = make(5);
  for (std::size_t i = 0; i < 40; ++i) {
    const auto document = generator.generate(i);
    const auto outcome = convert(document);
    BOOST_REQUIRE(outcome);
    BOOST_TEST_INFO("key " << document.key << ": " << outcome->message);
    BOOST_TEST(status_of(*outcome) == "converted");
    BOOST_TEST(rows_of(*outcome, "app_base") == 1U);
    BOOST_TEST(rows_of(*outcome, "app_contact_base") >= 1U);
    BOOST_TEST(rows_of(*outcome, "app_contact_address") >= 1U);
  }
}

BOOST_AUTO_TEST_CASE(defect_rate_plants_every_kind_with_its_outcome) {
  const auto generator = make(11, 1.0);
  std::map<defect_kind, std::size_t> seen;
  for (std::size_t i = 0; i < 60; ++i) {
    const auto document = generator.generate(i);
    ++seen[document.defect];
    const auto outcome = convert(document);
    BOOST_TEST_INFO("key " << document.key << " defect "
                    << xmlshred::infra::to_string(document.defect));
    switch (document.defect) {
      case defect_kind::not_well_formed:
        BOOST_TEST(!outcome);
        break;
      case defect_kind::other_product_line:
        BOOST_REQUIRE(outcome);
        BOOST_TEST(status_of(*outcome) == "rejected");
        break;
      default:
        BOOST_REQUIRE(outcome);
        BOOST_TEST(status_of(*outcome) == "converted");
    }
  }
  BOOST_TEST(seen.count(defect_kind::none) == 0U);
  BOOST_TEST(seen.size() == xmlshred::infra::defect_kind_count - 1);
}

BOOST_AUTO_TEST_CASE(duplicate_contacts_share_the_first_contact_id) {
  const auto generator = make(11, 1.0);
  for (std::size_t i = 0; i < 60; ++i) {
    const auto document = generator.generate(i);
    if (document.defect != defect_kind::duplicate_contacts) {
      continue;
    }
    const auto id = "con_id=\"" + std::to_string(document.key * 10) + "\"";
    const auto first = document.xml.find(id);
    BOOST_TEST(document.xml.find(id, first + 1) != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(over_long_values_are_cut_not_refused) {
  const auto generator = make(11, 1.0);
  for (std::size_t i = 0; i < 60; ++i) {
    const auto document = generator.generate(i);
    if (document.defect != defect_kind::over_long_values) {
      continue;
    }
    // A 9-digit SSN column receives more than 9 digits.
    const auto at = document.xml.find(" ssn=\"");
    BOOST_REQUIRE(at != std::string::npos);
    const auto end = document.xml.find('"', at + 6);
    BOOST_TEST(end - (at + 6) > 9U);
  }
}

BOOST_AUTO_TEST_CASE(rates_fit_the_narrowest_numeric_columns) {
  // card_purchase_apr is NUMERIC(5,2) in the PostgreSQL schema.
  const auto generator = make(17);
  for (std::size_t i = 0; i < 30; ++i) {
    const auto xml = generator.generate(i).xml;
    const auto at = xml.find(" apr=\"");
    BOOST_REQUIRE(at != std::string::npos);
    BOOST_TEST(std::stod(xml.substr(at + 6)) < 1000.0);
  }
}

BOOST_AUTO_TEST_CASE(defect_rate_sets_the_share_of_defective_documents) {
  const auto generator = make(13, 0.1);
  std::size_t defective = 0;
  constexpr std::size_t count = 400;
  for (std::size_t i = 0; i < count; ++i) {
    defective += generator.generate(i).defect != defect_kind::none ? 1 : 0;
  }
  BOOST_TEST(defective >= 20U);
  BOOST_TEST(defective <= 70U);
}

BOOST_AUTO_TEST_SUITE_END()
