#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

namespace xmlshred::app {

/// What the command line said about a generation.
struct generate_options {
  std::size_t count = 0;
  std::uint64_t seed = 1;
  std::int64_t first_key = 10'000'000;
  double defect_rate = 0.0;
  /// Exactly one of out_dir and source_url is set.
  std::optional<std::string> out_dir;
  std::optional<std::string> source_url;
  std::string contract_file = "examples/contracts/credit_card.json";
};

/// Adds `xmlshred generate` to `parent`; `exit_code` receives the result.
void add_generate_command(CLI::App& parent, generate_options& options,
                          int& exit_code);

/// Writes `count` synthetic documents one by one, to files named
/// `generated-KEY.xml` in out_dir or into the contract's source table in
/// committed groups. Memory does not grow with the count. Returns 0 when
/// all were written, 1 when writing stopped part-way, 2 for bad usage.
int run_generate(const generate_options& options);

}  // namespace xmlshred::app
