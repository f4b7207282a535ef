#define BOOST_TEST_MODULE source_store
#include "infra/source_store.hpp"

#include <boost/test/unit_test.hpp>

#include "tests/infra/infra_test_support.hpp"

namespace xmlshred::infra {
namespace {

constexpr std::size_t many_documents = 1200;

using keys = std::vector<domain::record_key>;

struct source_fixture {
  test::temp_dir dir;
  std::string path = dir.file("source.db");
  std::unique_ptr<source_store> store;

  source_fixture() {
    auto url = std::get<database_url>(parse_database_url("sqlite:" + path));
    auto opened =
        source_store::open(url, {"app_xml_staging", "app_id", "app_XML"});
    BOOST_REQUIRE_MESSAGE(opened.ok(), test::failure_of(opened));
    store = std::move(opened.value());
    BOOST_REQUIRE(store->ensure_table().ok());
  }

  void import_keys(const keys& wanted) {
    for (auto key : wanted) {
      auto outcome =
          store->import_document(key, "<doc id=\"" + std::to_string(key) +
                                          "\"/>");
      BOOST_REQUIRE_MESSAGE(outcome.ok(), test::failure_of(outcome));
    }
  }

  keys page(domain::record_key after, std::size_t limit) {
    auto found = store->keys_after(after, limit);
    BOOST_REQUIRE_MESSAGE(found.ok(), test::failure_of(found));
    return found.value();
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(source_store_suite, source_fixture)

BOOST_AUTO_TEST_CASE(import_never_overwrites_and_reports_already_present) {
  auto first = store->import_document(7, "<first/>");
  auto second = store->import_document(7, "<second/>");
  BOOST_TEST((first.value() == import_outcome::inserted));
  BOOST_TEST((second.value() == import_outcome::already_present));
  BOOST_TEST(store->fetch({7}).value().at(0).xml == "<first/>");
}

BOOST_AUTO_TEST_CASE(grouped_imports_are_visible_after_commit) {
  BOOST_REQUIRE(store->begin_import().ok());
  import_keys({1, 2, 3});
  BOOST_TEST(test::raw_sqlite(path).scalar(
                 "SELECT COUNT(*) FROM app_xml_staging") == "0");
  BOOST_REQUIRE(store->commit_import().ok());
  BOOST_TEST(store->count().value() == 3u);
}

BOOST_AUTO_TEST_CASE(keys_after_pages_in_ascending_key_order) {
  import_keys({5, 1, 9, 3, 7});
  BOOST_TEST(page(0, 2) == (keys{1, 3}), boost::test_tools::per_element());
  BOOST_TEST(page(3, 2) == (keys{5, 7}), boost::test_tools::per_element());
  BOOST_TEST(page(7, 2) == (keys{9}), boost::test_tools::per_element());
  BOOST_TEST(page(9, 2).empty());
}

BOOST_AUTO_TEST_CASE(fetch_returns_requested_documents_ascending) {
  import_keys({1, 4, 9});
  auto records = store->fetch({9, 2, 1}).value();
  BOOST_REQUIRE(records.size() == 2u);
  BOOST_TEST(records[0].key == 1);
  BOOST_TEST(records[1].key == 9);
  BOOST_TEST(records[1].xml == "<doc id=\"9\"/>");
  BOOST_TEST(records[1].attempt == 1);
}

BOOST_AUTO_TEST_CASE(fetch_covers_more_keys_than_one_query_holds) {
  keys wanted;
  for (std::size_t i = 1; i <= many_documents; ++i) {
    wanted.push_back(static_cast<domain::record_key>(i * 10));
  }
  BOOST_REQUIRE(store->begin_import().ok());
  import_keys(wanted);
  BOOST_REQUIRE(store->commit_import().ok());
  BOOST_TEST(store->fetch(wanted).value().size() == many_documents);
}

BOOST_AUTO_TEST_CASE(corpus_document_round_trips_byte_for_byte) {
  const auto xml = test::read_text_file(std::string(XMLSHRED_SOURCE_DIR) +
                                        "/examples/cc/sample--127582.xml");
  BOOST_REQUIRE(!xml.empty());
  BOOST_REQUIRE(store->import_document(127582, xml).ok());
  BOOST_TEST(store->fetch({127582}).value().at(0).xml == xml);
}

BOOST_AUTO_TEST_CASE(mixed_case_column_keeps_its_spelling_in_sqlite) {
  auto columns = test::raw_sqlite(path).query(
      "SELECT name FROM pragma_table_info('app_xml_staging') ORDER BY cid");
  BOOST_REQUIRE(columns.size() == 2u);
  BOOST_TEST(*columns[0][0] == "app_id");
  BOOST_TEST(*columns[1][0] == "app_XML");
}

BOOST_AUTO_TEST_CASE(ensure_table_creates_the_key_index_in_sqlite) {
  BOOST_TEST(test::raw_sqlite(path).scalar(
                 "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' "
                 "AND name = 'app_xml_staging_key_order'") == "1");
  BOOST_TEST(source_store::key_index_name(
                 {"app_xml_staging", "app_id", "app_XML"}) ==
             "app_xml_staging_key_order");
}

BOOST_AUTO_TEST_CASE(sqlite_reads_keys_from_the_index_alone_when_told_to) {
  // The listing keys_after sends when the index exists: SQLite must find
  // the keys in the index, without visiting the table's document pages.
  auto plan = test::raw_sqlite(path).query(
      "EXPLAIN QUERY PLAN SELECT \"app_id\" FROM \"app_xml_staging\" "
      "INDEXED BY \"app_xml_staging_key_order\" WHERE \"app_id\" > 5 "
      "ORDER BY \"app_id\" LIMIT 10");
  BOOST_REQUIRE(plan.size() == 1u);
  BOOST_TEST(plan[0].back().value_or("") ==
             "SEARCH app_xml_staging USING COVERING INDEX "
             "app_xml_staging_key_order (app_id>?)");
}

BOOST_AUTO_TEST_CASE(keys_after_pages_the_same_without_the_key_index) {
  import_keys({5, 1, 9, 3, 7});
  BOOST_REQUIRE(test::raw_sqlite(path).exec(
                    "DROP INDEX app_xml_staging_key_order") == SQLITE_OK);
  BOOST_TEST(page(0, 2) == (keys{1, 3}), boost::test_tools::per_element());
  BOOST_TEST(page(3, 10) == (keys{5, 7, 9}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(open_refuses_names_that_are_not_identifiers) {
  auto url = std::get<database_url>(parse_database_url("sqlite:" + path));
  auto opened = source_store::open(url, {"staging; DROP", "app_id", "x"});
  BOOST_REQUIRE(!opened.ok());
  BOOST_TEST((opened.error().kind == db_error_kind::fatal));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace xmlshred::infra
