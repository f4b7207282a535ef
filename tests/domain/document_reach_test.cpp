// A parse limited to what the contracts read must map every document to the
// same outcome as a full parse, while building far fewer nodes, and must
// refuse exactly the documents a full parse refuses.
#define BOOST_TEST_MODULE document_reach_test
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <variant>

#include "domain/contract.hpp"
#include "domain/document_mapper.hpp"
#include "domain/document_reach.hpp"
#include "infra/xml_document.hpp"
#include "tests/domain/domain_test_support.hpp"

namespace fs = std::filesystem;
using namespace xmlshred;
using domain::test::load_shipped_contract;
using domain::test::read_file;

namespace {

/// The router of both shipped contracts, as a run with both would use.
const domain::document_router& both_contracts() {
  static const domain::document_router router(
      {load_shipped_contract("credit_card"),
       load_shipped_contract("rec_lending")});
  return router;
}

/// Every XML file of the shipped samples and, when present, of the shared
/// corpus.
std::vector<fs::path> all_documents() {
  std::vector<fs::path> folders{fs::path(XMLSHRED_SOURCE_DIR) / "examples"};
  const fs::path shared = fs::path(XMLSHRED_SHARED_DIR) / "corpus";
  if (fs::exists(shared)) {
    folders.push_back(shared);
  }
  std::vector<fs::path> files;
  for (const auto& folder : folders) {
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
      if (entry.path().extension() == ".xml") {
        files.push_back(entry.path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// The key a document's Request element carries, or a stand-in: a
/// document that does not parse is refused before its key matters.
domain::record_key key_of(const domain::document_router& router,
                          const xmlDoc& document) {
  if (const auto* mapper = router.route(document)) {
    return mapper->read_key(document).value_or(1);
  }
  return 1;
}

/// Everything an outcome says, as text, so two outcomes compare in one go
/// and a difference shows where it is.
std::string describe(const domain::record_outcome& outcome) {
  std::ostringstream out;
  out << to_string(outcome.status) << " "
      << (outcome.category ? to_string(*outcome.category) : "-") << " "
      << outcome.message << " [" << outcome.contract_name << "]\n";
  for (const auto& note : outcome.notes) {
    out << "note " << note << "\n";
  }
  for (const auto& table : outcome.tables) {
    out << "table " << table.table << "\n";
    for (const auto& row : table.rows) {
      for (std::size_t i = 0; i < row.size(); ++i) {
        out << " " << table.columns[i] << "=" << row[i].value_or("NULL");
      }
      out << "\n";
    }
  }
  return out.str();
}

std::string outcome_of(const std::string& text,
                       const domain::document_reach* reach) {
  const auto& router = both_contracts();
  auto parsed = infra::parse_xml(text, reach);
  if (auto* problem = std::get_if<infra::xml_parse_error>(&parsed)) {
    return "refused " + std::string(to_string(problem->category)) + " " +
           problem->message;
  }
  const xmlDoc& document = *std::get<infra::xml_doc_ptr>(parsed);
  return describe(router.map(document, key_of(router, document)));
}

std::size_t count_elements(const xmlNode* node) {
  std::size_t count = 0;
  for (; node != nullptr; node = node->next) {
    if (node->type == XML_ELEMENT_NODE) {
      count += 1 + count_elements(node->children);
    }
  }
  return count;
}

std::size_t elements_built(const std::string& text,
                           const domain::document_reach* reach) {
  auto parsed = infra::parse_xml(text, reach);
  BOOST_TEST_REQUIRE(std::holds_alternative<infra::xml_doc_ptr>(parsed));
  return count_elements(
      xmlDocGetRootElement(std::get<infra::xml_doc_ptr>(parsed).get()));
}

const fs::path sample_path =
    fs::path(XMLSHRED_SOURCE_DIR) / "examples" / "cc" / "sample--154196.xml";

}  // namespace

BOOST_AUTO_TEST_CASE(every_document_maps_the_same_with_and_without_the_reach) {
  const auto reach = both_contracts().reach();
  const auto files = all_documents();
  BOOST_TEST_REQUIRE(files.size() >= 28u);
  std::size_t converted = 0;
  for (const auto& file : files) {
    const std::string text = read_file(file);
    const std::string full = outcome_of(text, nullptr);
    const std::string limited = outcome_of(text, &reach);
    BOOST_TEST(full == limited, file.filename().string() << " differs");
    converted += full.rfind("converted", 0) == 0 ? 1 : 0;
  }
  // The comparison means something only if most documents produce rows.
  BOOST_TEST(converted * 2 > files.size());
  BOOST_TEST_MESSAGE(files.size() << " documents compared, " << converted
                                  << " converted");
}

BOOST_AUTO_TEST_CASE(reports_and_journals_are_left_out_of_the_tree) {
  const auto reach = both_contracts().reach();
  const std::string text = read_file(sample_path);
  const std::size_t full = elements_built(text, nullptr);
  const std::size_t limited = elements_built(text, &reach);
  BOOST_TEST_MESSAGE("elements built: " << full << " in full, " << limited
                                        << " within the reach");
  BOOST_TEST(limited * 4 < full);

  auto parsed = infra::parse_xml(text, &reach);
  const xmlNode* root =
      xmlDocGetRootElement(std::get<infra::xml_doc_ptr>(parsed).get());
  for (const xmlNode* request = root->children; request != nullptr;
       request = request->next) {
    for (const xmlNode* section = request->children; section != nullptr;
         section = section->next) {
      const std::string name = reinterpret_cast<const char*>(section->name);
      BOOST_TEST(name != "Reports");
      BOOST_TEST(name != "Journals");
    }
  }
}

BOOST_AUTO_TEST_CASE(a_broken_tag_outside_the_reach_still_fails_the_parse) {
  const auto reach = both_contracts().reach();
  const std::string text =
      "<Provenir><Request ID=\"1\"><Reports><TU><a></b></TU></Reports>"
      "<CustData><application/></CustData></Request></Provenir>";
  auto parsed = infra::parse_xml(text, &reach);
  auto* problem = std::get_if<infra::xml_parse_error>(&parsed);
  BOOST_TEST_REQUIRE(problem != nullptr);
  BOOST_TEST(to_string(problem->category) == "not_well_formed");
}

BOOST_AUTO_TEST_CASE(deep_nesting_outside_the_reach_still_hits_the_depth_limit) {
  const auto reach = both_contracts().reach();
  constexpr int depth = 5000;
  std::string text = "<Provenir><Request ID=\"1\"><Reports>";
  for (int i = 0; i < depth; ++i) {
    text += "<n>";
  }
  for (int i = 0; i < depth; ++i) {
    text += "</n>";
  }
  text += "</Reports></Request></Provenir>";
  BOOST_TEST(std::holds_alternative<infra::xml_parse_error>(
      infra::parse_xml(text, nullptr)));
  BOOST_TEST(std::holds_alternative<infra::xml_parse_error>(
      infra::parse_xml(text, &reach)));
}

BOOST_AUTO_TEST_CASE(a_root_no_contract_names_is_built_without_children) {
  const auto reach = both_contracts().reach();
  const std::string text = "<Other><Request ID=\"1\"/></Other>";
  BOOST_TEST(elements_built(text, &reach) == 1u);
  BOOST_TEST(outcome_of(text, &reach) == outcome_of(text, nullptr));
}

BOOST_AUTO_TEST_CASE(the_reach_names_the_request_and_searches_below_custdata) {
  const std::string described = both_contracts().reach().describe();
  BOOST_TEST_MESSAGE(described);
  BOOST_TEST(described.find("subtree /Provenir/Request/CustData\n") !=
             std::string::npos);
  BOOST_TEST(described.find("Reports") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_whole_subtree_entry_covers_paths_below_it) {
  domain::document_reach reach;
  reach.add_walked_path(domain::element_path::parse("/a/b/c"));
  reach.add_subtree(domain::element_path::parse("/a/b"));
  reach.add_walked_path(domain::element_path::parse("/a/d"));
  BOOST_TEST(reach.describe() == "subtree /a/b\nwalk /a/d\n");
  domain::document_reach merged;
  merged.merge(reach);
  BOOST_TEST(merged.describe() == reach.describe());
  merged.merge(domain::document_reach::everything());
  BOOST_TEST(merged.keeps_everything());
}
