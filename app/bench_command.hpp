#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace xmlshred::app {

/// What the command line said about a benchmark run.
struct bench_options {
  std::size_t documents = 20'000;
  /// 0: one per hardware thread.
  std::size_t workers = 0;
  std::string json_file;
  std::string contract_file = "examples/contracts/credit_card.json";
  std::string samples_dir = "examples/cc";
  std::string input = "mixed";
  std::size_t generated_pool = 200;
  std::uint64_t seed = 1;
  /// Scratch folder for the source and target databases; a fresh
  /// temporary folder (removed afterwards) when empty.
  std::string work_dir;
  bool keep_work_dir = false;
  /// Subset of parse, transform, sqlite, resume, postgresql; all when
  /// empty.
  std::vector<std::string> stages;
  /// Also measure peak memory of end-to-end runs over 10,000 (at most a
  /// twentieth of the large run) and scaling_documents generated
  /// documents (slow: converts them all; the source takes no disk).
  bool memory_scaling = false;
  std::size_t scaling_documents = 200'000;
};

/// Adds `xmlshred bench` to `parent`; `exit_code` receives the result.
void add_bench_command(CLI::App& parent, bench_options& options,
                       int& exit_code);

/// Measures parse-only, transform-only and end-to-end throughput on the
/// same documents and prints a table (docs/performance.md explains it);
/// with json_file also writes it as JSON. Returns 0 when every stage ran
/// (whatever the figures), 1 when a stage could not run, 2 for bad usage.
int run_bench(const bench_options& options);

}  // namespace xmlshred::app
