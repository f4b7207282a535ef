#define BOOST_TEST_MODULE database_url
#include "infra/database_url.hpp"

#include <boost/test/unit_test.hpp>

namespace xmlshred::infra {
namespace {

database_url parsed(const std::string& text) {
  auto outcome = parse_database_url(text);
  if (auto* error = std::get_if<std::string>(&outcome)) {
    BOOST_FAIL("unexpected parse error: " << *error);
  }
  return std::get<database_url>(outcome);
}

std::string parse_error(const std::string& text) {
  auto outcome = parse_database_url(text);
  BOOST_REQUIRE_MESSAGE(std::holds_alternative<std::string>(outcome),
                        text << " parsed although it should not");
  return std::get<std::string>(outcome);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(database_url_suite)

BOOST_AUTO_TEST_CASE(parses_relative_sqlite_path) {
  const auto url = parsed("sqlite:out/target.db");
  BOOST_TEST((url.kind == backend::sqlite));
  BOOST_TEST(url.sqlite_path == "out/target.db");
  BOOST_TEST(url.connect_string == "out/target.db");
  BOOST_TEST(url.masked == "sqlite:out/target.db");
}

BOOST_AUTO_TEST_CASE(parses_absolute_sqlite_path_in_both_spellings) {
  BOOST_TEST(parsed("sqlite:/var/lib/x.db").sqlite_path == "/var/lib/x.db");
  BOOST_TEST(parsed("sqlite:///var/lib/x.db").sqlite_path == "/var/lib/x.db");
}

BOOST_AUTO_TEST_CASE(quotes_sqlite_path_that_soci_would_split) {
  BOOST_TEST(parsed("sqlite:my dir/x.db").connect_string ==
             "db=\"my dir/x.db\"");
}

BOOST_AUTO_TEST_CASE(parses_postgresql_url_and_masks_its_password) {
  const auto url =
      parsed("postgresql://shred:s3cret@db.example:5432/apps?sslmode=require");
  BOOST_TEST((url.kind == backend::postgresql));
  BOOST_TEST(url.connect_string ==
             "postgresql://shred:s3cret@db.example:5432/apps?sslmode=require");
  BOOST_TEST(url.masked ==
             "postgresql://shred:***@db.example:5432/apps?sslmode=require");
}

BOOST_AUTO_TEST_CASE(accepts_postgres_scheme_alias) {
  const auto url = parsed("postgres://u:pw@localhost/db");
  BOOST_TEST((url.kind == backend::postgresql));
  BOOST_TEST(url.masked == "postgres://u:***@localhost/db");
}

BOOST_AUTO_TEST_CASE(rejects_other_schemes_naming_the_accepted_forms) {
  const auto error = parse_error("mysql://root:hunter2@host/db");
  BOOST_TEST(contains(error, "sqlite:PATH"));
  BOOST_TEST(contains(error, "postgresql://"));
  BOOST_TEST(!contains(error, "hunter2"));
}

BOOST_AUTO_TEST_CASE(rejects_sqlite_url_without_a_path) {
  BOOST_TEST(contains(parse_error("sqlite:"), "names no file"));
}

BOOST_AUTO_TEST_CASE(masks_url_passwords_inside_free_text) {
  const auto masked = mask_url_secrets(
      "cannot connect to postgresql://ops:p@ss@db:5432/x: timeout");
  BOOST_TEST(masked == "cannot connect to postgresql://ops:***@db:5432/x: "
                       "timeout");
}

BOOST_AUTO_TEST_CASE(masks_keyword_passwords_inside_free_text) {
  BOOST_TEST(mask_url_secrets("host=db password=topsecret user=ops") ==
             "host=db password=*** user=ops");
  BOOST_TEST(mask_url_secrets("postgresql://db/x?user=a&password=pw2") ==
             "postgresql://db/x?user=a&password=***");
}

BOOST_AUTO_TEST_CASE(leaves_text_without_secrets_unchanged) {
  const std::string text = "UNIQUE constraint failed: app_base.app_id";
  BOOST_TEST(mask_url_secrets(text) == text);
  BOOST_TEST(mask_url_secrets("sqlite:/tmp/a.db") == "sqlite:/tmp/a.db");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace xmlshred::infra
