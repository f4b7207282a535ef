#define BOOST_TEST_MODULE target_store_resume
#include "infra/target_store.hpp"

#include <boost/test/unit_test.hpp>

#include "tests/infra/infra_test_support.hpp"

namespace xmlshred::infra {
namespace {

using keys = std::vector<domain::record_key>;

constexpr const char* run_id = "run-resume-test";

/// A target whose processing log holds rows for `logged` keys only: the
/// reads a resumed run makes to skip done work.
struct resume_fixture {
  test::temp_dir dir;
  std::unique_ptr<target_store> store;

  resume_fixture() {
    target_options options;
    options.create_schema = true;
    auto url = std::get<database_url>(
        parse_database_url("sqlite:" + dir.file("target.db")));
    auto opened = target_store::open(
        url, {test::shipped_contract("credit_card")}, options);
    BOOST_REQUIRE_MESSAGE(opened.ok(), test::failure_of(opened));
    store = std::move(opened.value());
  }

  void log_failed(const keys& logged) {
    std::vector<domain::record_outcome> batch;
    for (auto key : logged) {
      batch.push_back(domain::unconverted_outcome(
          key, domain::record_status::failed,
          domain::failure_category::mapping, "made on purpose"));
    }
    auto report = store->write_batch(batch, run_id);
    BOOST_REQUIRE_MESSAGE(report.ok(), test::failure_of(report));
  }

  keys between(domain::record_key first, domain::record_key last) {
    auto found = store->logged_keys_between(first, last);
    BOOST_REQUIRE_MESSAGE(found.ok(), test::failure_of(found));
    return found.value();
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(target_store_resume_suite, resume_fixture)

BOOST_AUTO_TEST_CASE(logged_keys_between_returns_the_range_ascending) {
  log_failed({40, 10, 30, 20, 50});
  BOOST_TEST(between(15, 40) == (keys{20, 30, 40}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(logged_keys_between_includes_both_ends) {
  log_failed({10, 20});
  BOOST_TEST(between(10, 20) == (keys{10, 20}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(logged_keys_between_is_empty_for_an_unlogged_range) {
  log_failed({10, 20});
  BOOST_TEST(between(11, 19).empty());
  BOOST_TEST(between(20, 10).empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace xmlshred::infra
