#pragma once

// Helpers the domain suites share: reading fixture files and loading the
// contracts shipped in examples/contracts. Include after
// <boost/test/unit_test.hpp>.

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "domain/contract.hpp"

namespace xmlshred::domain::test {

/// The whole file, bytes as they are.
inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream input(path, std::ios::binary);
  std::ostringstream content;
  content << input.rdbuf();
  return content.str();
}

/// The contract examples/contracts/<name>.json; the test stops when it
/// does not load cleanly.
inline std::shared_ptr<const contract> load_shipped_contract(
    const std::string& name) {
  const auto path = std::filesystem::path(XMLSHRED_SOURCE_DIR) / "examples" /
                    "contracts" / (name + ".json");
  auto result = load_contract_file(path.string());
  BOOST_TEST_REQUIRE(result.problems.empty());
  return std::make_shared<const contract>(std::move(*result.loaded));
}

}  // namespace xmlshred::domain::test
