// The safe XML parser: hostile and damaged input fails cleanly, with the
// right category, and nothing outside the text reaches the tree.
#define BOOST_TEST_MODULE xml_document_test
#include "infra/xml_document.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <variant>

#include <libxml/tree.h>

namespace xmlshred::infra {
namespace {

constexpr int deep_nesting_levels = 100000;
constexpr auto billion_laughs_budget = std::chrono::seconds(5);

/// The parse error of `text`; fails the test when it parses.
xml_parse_error parse_error(const std::string& text) {
  auto outcome = parse_xml(text);
  BOOST_REQUIRE_MESSAGE(std::holds_alternative<xml_parse_error>(outcome),
                        "the text parsed although it should not");
  return std::get<xml_parse_error>(outcome);
}

/// The parsed document of `text`; fails the test with the parser's message
/// when it does not parse.
xml_doc_ptr parsed(const std::string& text) {
  auto outcome = parse_xml(text);
  if (auto* error = std::get_if<xml_parse_error>(&outcome)) {
    BOOST_FAIL("unexpected parse error: " << error->message);
  }
  return std::move(std::get<xml_doc_ptr>(outcome));
}

/// All text content of the document, entity references included as they
/// are kept in the tree.
std::string document_text(xmlDoc* document) {
  xmlChar* content = xmlNodeGetContent(xmlDocGetRootElement(document));
  std::string text = content != nullptr
                         ? reinterpret_cast<const char*>(content)
                         : "";
  xmlFree(content);
  return text;
}

std::string read_hostname() {
  std::ifstream input("/etc/hostname");
  std::ostringstream content;
  content << input.rdbuf();
  std::string text = content.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

}  // namespace

BOOST_AUTO_TEST_CASE(well_formed_document_parses) {
  auto document = parsed("<Provenir><Request ID=\"7\"/></Provenir>");
  BOOST_TEST(std::string(reinterpret_cast<const char*>(
                 xmlDocGetRootElement(document.get())->name)) == "Provenir");
}

BOOST_AUTO_TEST_CASE(utf8_byte_order_mark_is_accepted) {
  auto document = parsed("\xEF\xBB\xBF<Provenir/>");
  BOOST_TEST(xmlDocGetRootElement(document.get()) != nullptr);
}

BOOST_AUTO_TEST_CASE(empty_text_is_an_empty_document) {
  BOOST_TEST(domain::to_string(parse_error("").category) ==
             "empty_document");
}

BOOST_AUTO_TEST_CASE(whitespace_after_a_bom_is_an_empty_document) {
  BOOST_TEST(domain::to_string(parse_error("\xEF\xBB\xBF  \r\n\t ").category) ==
             "empty_document");
}

BOOST_AUTO_TEST_CASE(truncated_document_is_not_well_formed) {
  auto error = parse_error("<Provenir><Request ID=\"7\"><CustData>");
  BOOST_TEST(domain::to_string(error.category) ==
             "not_well_formed");
  BOOST_TEST(error.message.rfind("line ", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(error_message_names_the_line_not_the_content) {
  auto error = parse_error(
      "<Provenir>\n<a secret=\"4111111111111111\">\n</b></Provenir>");
  BOOST_TEST(error.message.rfind("line 3: ", 0) == 0u);
  BOOST_TEST(error.message.find("4111111111111111") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(several_top_level_blocks_are_not_well_formed) {
  BOOST_TEST(domain::to_string(parse_error("<Journals/><Audits/>").category) ==
             "not_well_formed");
}

BOOST_AUTO_TEST_CASE(external_entity_is_not_read_into_the_tree) {
  std::string secret = read_hostname();
  BOOST_REQUIRE(!secret.empty());
  std::string text =
      "<!DOCTYPE Provenir [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>"
      "<Provenir>&x;</Provenir>";

  // Either the document is refused or the reference stays unresolved; the
  // file's content must never appear.
  auto outcome = parse_xml(text);
  if (auto* document = std::get_if<xml_doc_ptr>(&outcome)) {
    BOOST_TEST(document_text(document->get()).find(secret) ==
               std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(external_entity_in_an_attribute_is_refused) {
  std::string text =
      "<!DOCTYPE Provenir [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>"
      "<Provenir a=\"&x;\"/>";
  BOOST_TEST(domain::to_string(parse_error(text).category) ==
             "not_well_formed");
}

BOOST_AUTO_TEST_CASE(billion_laughs_fails_quickly) {
  std::string text = "<!DOCTYPE lolz [<!ENTITY lol \"lol\">";
  std::string previous = "lol";
  for (int level = 1; level <= 9; ++level) {
    std::string name = "lol" + std::to_string(level);
    text += "<!ENTITY " + name + " \"";
    for (int i = 0; i < 10; ++i) {
      text += "&" + previous + ";";
    }
    text += "\">";
    previous = name;
  }
  text += "]><lolz a=\"&" + previous + ";\">&" + previous + ";</lolz>";

  auto start = std::chrono::steady_clock::now();
  auto error = parse_error(text);
  BOOST_TEST(domain::to_string(error.category) ==
             "not_well_formed");
  BOOST_TEST((std::chrono::steady_clock::now() - start <
              billion_laughs_budget));
}

BOOST_AUTO_TEST_CASE(very_deep_nesting_fails_cleanly) {
  std::string text;
  text.reserve(deep_nesting_levels * 7);
  for (int i = 0; i < deep_nesting_levels; ++i) {
    text += "<a>";
  }
  for (int i = 0; i < deep_nesting_levels; ++i) {
    text += "</a>";
  }
  BOOST_TEST(domain::to_string(parse_error(text).category) ==
             "not_well_formed");
}

}  // namespace xmlshred::infra
