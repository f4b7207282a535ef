#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/bench_stages.hpp"

namespace xmlshred::bench {

/// Everything one benchmark run measured, in the order it was measured.
struct bench_report {
  std::string input;
  std::size_t documents = 0;
  std::size_t distinct_documents = 0;
  std::size_t workers = 1;
  std::size_t hardware_threads = 0;
  std::vector<stage_result> stages;
  /// Stages left out and why, e.g. no PostgreSQL URL given.
  std::vector<std::string> notes;
};

/// Prints the stage table, the ratios and the targets, for people.
void print_report(const bench_report& report, std::ostream& out);

/// The same content as JSON: "stages", "ratios", "targets", "notes".
nlohmann::json report_json(const bench_report& report);

}  // namespace xmlshred::bench
