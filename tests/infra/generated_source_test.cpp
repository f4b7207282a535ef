#define BOOST_TEST_MODULE generated_source
#include "infra/generated_source.hpp"

#include <boost/test/unit_test.hpp>

#include <limits>
#include <memory>
#include <string>
#include <variant>

#include "infra/database_url.hpp"
#include "tests/infra/infra_test_support.hpp"

namespace xmlshred::infra {
namespace {

using keys = std::vector<domain::record_key>;

constexpr domain::record_key smallest_key =
    std::numeric_limits<domain::record_key>::min();

std::shared_ptr<const domain::contract> credit_card() {
  auto loaded = domain::load_contract_file(
      std::string{XMLSHRED_SOURCE_DIR} +
      "/examples/contracts/credit_card.json");
  BOOST_REQUIRE_MESSAGE(loaded.loaded, "credit_card.json does not load");
  return std::make_shared<const domain::contract>(std::move(*loaded.loaded));
}

/// The parsed options, failing the case with the message when refused.
generated_source_options parsed(const std::string& text) {
  auto outcome = parse_generated_url(text);
  const auto* problem = std::get_if<std::string>(&outcome);
  BOOST_REQUIRE_MESSAGE(problem == nullptr, text << ": " << *problem);
  return std::get<generated_source_options>(outcome);
}

/// The refusal message of `text`; empty when it was accepted.
std::string refusal(const std::string& text) {
  auto outcome = parse_generated_url(text);
  const auto* problem = std::get_if<std::string>(&outcome);
  return problem == nullptr ? std::string() : *problem;
}

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

struct source_fixture {
  std::shared_ptr<const domain::contract> rules = credit_card();

  generated_source make(const std::string& url) const {
    return generated_source{*rules, parsed(url)};
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(generated_source_suite, source_fixture)

BOOST_AUTO_TEST_CASE(parameters_default_like_the_generate_command) {
  const auto options = parsed("generated:?count=5");
  BOOST_TEST(options.count == 5U);
  BOOST_TEST(options.seed == 1U);
  BOOST_TEST(options.first_key == 10'000'000);
  BOOST_TEST(options.defect_rate == 0.0);
}

BOOST_AUTO_TEST_CASE(every_parameter_is_read) {
  const auto options = parsed(
      "generated:?count=7&seed=42&first-key=500&defect-rate=0.25");
  BOOST_TEST(options.count == 7U);
  BOOST_TEST(options.seed == 42U);
  BOOST_TEST(options.first_key == 500);
  BOOST_TEST(options.defect_rate == 0.25);
}

BOOST_AUTO_TEST_CASE(a_missing_count_is_refused_by_name) {
  BOOST_TEST(mentions(refusal("generated:"), "'count' is required"));
  BOOST_TEST(mentions(refusal("generated:?seed=3"), "'count' is required"));
}

BOOST_AUTO_TEST_CASE(bad_numbers_are_refused_naming_the_parameter) {
  BOOST_TEST(mentions(refusal("generated:?count=ten"), "'count'"));
  BOOST_TEST(mentions(refusal("generated:?count=0"), "'count'"));
  BOOST_TEST(mentions(refusal("generated:?count=5&seed=-1"), "'seed'"));
  BOOST_TEST(mentions(refusal("generated:?count=5&first-key=1e3"),
                      "'first-key'"));
  BOOST_TEST(mentions(refusal("generated:?count=5&defect-rate=1.5"),
                      "'defect-rate'"));
  BOOST_TEST(mentions(refusal("generated:?count=5&defect-rate=0.1x"),
                      "'defect-rate'"));
}

BOOST_AUTO_TEST_CASE(unknown_repeated_and_malformed_parameters_are_refused) {
  BOOST_TEST(mentions(refusal("generated:?count=5&speed=3"),
                      "unknown parameter 'speed'"));
  BOOST_TEST(mentions(refusal("generated:?count=5&count=6"), "twice"));
  BOOST_TEST(mentions(refusal("generated:?count"), "NAME=VALUE"));
  BOOST_TEST(mentions(refusal("generated:count=5"), "'?'"));
}

BOOST_AUTO_TEST_CASE(a_key_range_past_the_largest_key_is_refused) {
  const auto last = std::to_string(
      std::numeric_limits<domain::record_key>::max());
  BOOST_TEST(refusal("generated:?count=1&first-key=" + last).empty());
  BOOST_TEST(mentions(refusal("generated:?count=2&first-key=" + last),
                      "'first-key'"));
}

BOOST_AUTO_TEST_CASE(database_urls_refuse_generated_naming_where_it_goes) {
  auto outcome = parse_database_url("generated:?count=5");
  const auto* problem = std::get_if<std::string>(&outcome);
  BOOST_REQUIRE(problem != nullptr);
  BOOST_TEST(mentions(*problem, "--source of `xmlshred run`"));
  BOOST_TEST(mentions(*problem, "sqlite:PATH"));
}

BOOST_AUTO_TEST_CASE(keys_are_paged_in_order_from_the_first_key) {
  auto source = make("generated:?count=5&first-key=100");
  BOOST_TEST(source.keys_after(smallest_key, 2).value() == (keys{100, 101}),
             boost::test_tools::per_element());
  BOOST_TEST(source.keys_after(101, 2).value() == (keys{102, 103}),
             boost::test_tools::per_element());
  BOOST_TEST(source.keys_after(103, 2).value() == (keys{104}),
             boost::test_tools::per_element());
  BOOST_TEST(source.keys_after(104, 2).value().empty());
  BOOST_TEST(source.count().value() == 5U);
}

BOOST_AUTO_TEST_CASE(the_largest_possible_key_pages_without_overflow) {
  const auto last = std::numeric_limits<domain::record_key>::max();
  auto source = make("generated:?count=2&first-key=" +
                     std::to_string(last - 1));
  BOOST_TEST(source.keys_after(smallest_key, 5).value() ==
                 (keys{last - 1, last}),
             boost::test_tools::per_element());
  BOOST_TEST(source.keys_after(last, 5).value().empty());
}

BOOST_AUTO_TEST_CASE(fetch_returns_what_the_generator_makes_for_each_key) {
  auto source = make("generated:?count=4&seed=9&first-key=50");
  generator_options options;
  options.seed = 9;
  options.first_key = 50;
  const document_generator generator{*rules, options};

  auto records = source.fetch({53, 51}).value();
  BOOST_REQUIRE(records.size() == 2U);
  BOOST_TEST(records[0].key == 51);
  BOOST_TEST(records[0].xml == generator.generate(1).xml);
  BOOST_TEST(records[1].key == 53);
  BOOST_TEST(records[1].xml == generator.generate(3).xml);
  BOOST_TEST(records[1].attempt == 1);
}

BOOST_AUTO_TEST_CASE(fetch_leaves_out_keys_outside_the_range) {
  auto source = make("generated:?count=2&first-key=50");
  auto records = source.fetch({49, 50, 52}).value();
  BOOST_REQUIRE(records.size() == 1U);
  BOOST_TEST(records[0].key == 50);
}

BOOST_AUTO_TEST_CASE(open_document_source_picks_the_generator_by_url) {
  auto location = parse_source_location("generated:?count=3&first-key=7");
  BOOST_REQUIRE(std::holds_alternative<source_location>(location));
  auto opened = open_document_source(std::get<source_location>(location),
                                     {"app_xml_staging", "app_id", "x"},
                                     *rules);
  BOOST_REQUIRE_MESSAGE(opened.ok(), test::failure_of(opened));
  BOOST_TEST(opened.value()->keys_after(smallest_key, 10).value() ==
                 (keys{7, 8, 9}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace xmlshred::infra
