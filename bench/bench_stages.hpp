#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bench/bench_inputs.hpp"
#include "domain/document_mapper.hpp"

namespace xmlshred::bench {

/// Stages of the memory comparison are named this, then their document
/// count ("memory_sqlite_10000").
inline constexpr std::string_view memory_stage_prefix = "memory_sqlite_";

/// What one measured stage did and how long it took.
struct stage_result {
  /// "parse", "transform", "end_to_end_sqlite", "resume_sqlite", ...
  std::string stage;
  std::size_t workers = 1;
  std::size_t documents = 0;
  std::size_t bytes = 0;
  /// Measured time: wall clock for in-process stages, the run summary's
  /// elapsed_seconds for spawned runs.
  double seconds = 0;
  /// Spawned runs: wall clock of the whole child process, start-up and
  /// schema checks included.
  double process_seconds = 0;
  /// CPU time (user + system) the work took over all threads: less
  /// sensitive than wall time to other load on a shared machine.
  double cpu_seconds = 0;
  std::size_t converted = 0;
  std::size_t rejected = 0;
  std::size_t failed = 0;
  /// Peak resident memory of the process that did the work; 0 when the
  /// stage ran inside the benchmark process (not separable there).
  double peak_rss_mb = 0;
  /// Records the run found already finished (resume only).
  std::size_t already_done = 0;
  /// Exit code of a spawned run; 0 for in-process stages.
  int exit_code = 0;

  double documents_per_second() const;
  double mb_per_second() const;
  /// CPU milliseconds per document, 0 when nothing was processed.
  double cpu_ms_per_document() const;
};

/// Parses run documents 0..count-1 with infra::parse_xml (the pipeline's
/// parser settings) on `workers` threads; nothing else.
stage_result measure_parse(const document_pool& pool, std::size_t count,
                           std::size_t workers);

/// How much of each document the transform stage builds.
enum class tree_extent {
  /// Only the elements the contracts read, as the transformer actors do
  /// (stage "transform").
  within_reach,
  /// Every element (stage "transform_full_tree"), to show what mapping
  /// costs on top of the reference parse.
  full,
};

/// Parses and maps run documents 0..count-1 with `router` on `workers`
/// threads, without any database.
stage_result measure_transform(const document_pool& pool,
                               const domain::document_router& router,
                               std::size_t count, std::size_t workers,
                               tree_extent extent);

/// Asks an injector holding no fault at every fault point of `records`
/// records (read, parse, transform, write, commit), `rounds` times over.
/// An upper bound on what idle hooks cost: a run without `--fault` holds
/// no injector at all, and its hooks only test a null pointer. The stage
/// ("fault_hooks") counts records * rounds documents.
stage_result measure_fault_hooks(std::size_t records, std::size_t rounds);

/// A real `xmlshred run` in a child process.
struct run_request {
  std::string binary;
  std::string source_url;
  std::string target_url;
  std::string contract_file;
  std::size_t workers = 1;
  /// Stop after reading this many records (0: no limit).
  std::size_t limit = 0;
  /// Where the child writes its summary JSON and its stderr.
  std::string summary_file;
  std::string log_file;
};

/// Runs the conversion and reads its summary; the peak RSS comes from the
/// kernel's accounting of the child. Returns nullopt with `problem` set
/// when the child cannot be started or leaves no summary.
std::optional<stage_result> measure_run(const run_request& request,
                                        std::string stage,
                                        std::size_t bytes,
                                        std::string& problem);

}  // namespace xmlshred::bench
