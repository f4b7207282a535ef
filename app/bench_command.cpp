#include "app/bench_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include <libxml/parser.h>

#include "app/contract_loading.hpp"
#include "bench/bench_inputs.hpp"
#include "bench/bench_report.hpp"
#include "bench/bench_stages.hpp"
#include "infra/logging.hpp"

namespace xmlshred::app {
namespace {

namespace fs = std::filesystem;

constexpr int exit_ok = 0;
constexpr int exit_stage_failed = 1;
constexpr int exit_usage = 2;
constexpr domain::record_key first_key = 10'000'000;
/// The smaller run of the memory comparison, and how much smaller than
/// the large one it is at least.
constexpr std::size_t scaling_small = 10'000;
constexpr std::size_t scaling_factor = 20;
/// The idle fault hooks take nanoseconds: repeat them long enough to time.
constexpr std::size_t fault_hook_rounds = 1'000;
constexpr const char* postgresql_env = "XMLSHRED_BENCH_POSTGRESQL_URL";

/// What every stage of one benchmark run shares.
struct bench_context {
  const bench_options& options;
  const domain::contract& rules;
  const domain::document_router& router;
  const bench::document_pool& pool;
  std::size_t workers;
  fs::path dir;
  std::string binary;
  bench::bench_report report;
  spdlog::logger& log;
  bool failed = false;
};

bool wants(const bench_options& options, std::string_view stage) {
  return options.stages.empty() ||
         std::find(options.stages.begin(), options.stages.end(), stage) !=
             options.stages.end();
}

/// 1 and N, or just 1 when N is 1.
std::vector<std::size_t> worker_counts(std::size_t workers) {
  if (workers <= 1) {
    return {1};
  }
  return {1, workers};
}

std::string own_binary() {
  std::error_code error;
  auto path = fs::read_symlink("/proc/self/exe", error);
  return error ? std::string{"xmlshred"} : path.string();
}

void measure_in_process(bench_context& ctx) {
  const auto n = ctx.options.documents;
  // One untimed pass over the distinct documents first, so the first
  // measured stage does not pay for cold caches and page faults alone.
  bench::measure_transform(ctx.pool, ctx.router,
                           std::min(n, ctx.pool.distinct()), 1,
                           bench::tree_extent::full);
  for (auto workers : worker_counts(ctx.workers)) {
    if (wants(ctx.options, "parse")) {
      ctx.log.info("measuring parse workers={}", workers);
      ctx.report.stages.push_back(bench::measure_parse(ctx.pool, n, workers));
    }
  }
  for (auto workers : worker_counts(ctx.workers)) {
    if (wants(ctx.options, "transform")) {
      ctx.log.info("measuring transform workers={}", workers);
      ctx.report.stages.push_back(bench::measure_transform(
          ctx.pool, ctx.router, n, workers, bench::tree_extent::within_reach));
      ctx.report.stages.push_back(bench::measure_transform(
          ctx.pool, ctx.router, n, workers, bench::tree_extent::full));
    }
  }
  if (wants(ctx.options, "transform")) {
    ctx.log.info("measuring idle fault hooks");
    ctx.report.stages.push_back(
        bench::measure_fault_hooks(n, fault_hook_rounds));
  }
}

/// Builds a SQLite source of `count` run documents; records how long the
/// load took as a stage of its own.
bool load_source(bench_context& ctx, const std::string& url,
                 std::size_t count) {
  ctx.log.info("loading source documents={} url={}", count, url);
  const auto started = std::chrono::steady_clock::now();
  if (auto problem =
          bench::load_source(ctx.pool, count, first_key, url, ctx.rules)) {
    ctx.log.error("cannot load the source: {}", *problem);
    ctx.failed = true;
    return false;
  }
  bench::stage_result load;
  load.stage = "load_source";
  load.documents = count;
  load.bytes = ctx.pool.bytes(count);
  load.seconds = std::chrono::duration<double>(
                     std::chrono::steady_clock::now() - started)
                     .count();
  ctx.report.stages.push_back(load);
  return true;
}

/// One spawned `xmlshred run`; its files are named after `label`.
/// `bytes` is how much XML the run reads, 0 when not known (no MB/s).
void run_once(bench_context& ctx, const std::string& stage,
              const std::string& source, std::size_t bytes,
              const std::string& target, std::size_t workers,
              std::size_t limit, const std::string& label) {
  bench::run_request request;
  request.binary = ctx.binary;
  request.source_url = source;
  request.target_url = target;
  request.contract_file = ctx.options.contract_file;
  request.workers = workers;
  request.limit = limit;
  request.summary_file = (ctx.dir / (label + ".summary.json")).string();
  request.log_file = (ctx.dir / (label + ".log")).string();
  ctx.log.info("measuring {} workers={} target={}", stage, workers, target);
  std::string problem;
  auto result = bench::measure_run(request, stage, bytes, problem);
  if (!result) {
    ctx.log.error("{}", problem);
    ctx.failed = true;
    return;
  }
  ctx.report.stages.push_back(*result);
}

/// The XML of one pass over the run's documents.
std::size_t pool_bytes(const bench_context& ctx) {
  return ctx.pool.bytes(ctx.options.documents);
}

std::string sqlite_url(const bench_context& ctx, const std::string& name) {
  return "sqlite:" + (ctx.dir / name).string();
}

void measure_sqlite(bench_context& ctx, const std::string& source) {
  for (auto workers : worker_counts(ctx.workers)) {
    const auto label = "target-" + std::to_string(workers);
    run_once(ctx, "end_to_end_sqlite", source, pool_bytes(ctx),
             sqlite_url(ctx, label + ".db"), workers, 0, label);
  }
  if (wants(ctx.options, "resume")) {
    // A rerun over the finished job: every key is skipped unread.
    const auto label = "target-" + std::to_string(ctx.workers);
    run_once(ctx, "resume_sqlite", source, pool_bytes(ctx),
             sqlite_url(ctx, label + ".db"), ctx.workers, 0,
             label + "-resume");
  }
}

void measure_postgresql(bench_context& ctx, const std::string& source) {
  const char* url = std::getenv(postgresql_env);
  if (url == nullptr || *url == '\0') {
    ctx.report.notes.push_back(std::string{"PostgreSQL not measured: "} +
                               postgresql_env + " is not set");
    return;
  }
  run_once(ctx, "end_to_end_postgresql", source, pool_bytes(ctx), url,
           ctx.workers, 0, "target-postgresql");
}

/// Peak memory of a 10,000-document run against a much larger one. The
/// documents are generated as the runs read them, so a million need no
/// disk for the source.
void measure_memory_scaling(bench_context& ctx) {
  const auto large = ctx.options.scaling_documents;
  const auto small =
      std::max<std::size_t>(1, std::min(scaling_small, large / scaling_factor));
  const auto source = "generated:?count=" + std::to_string(large) +
                      "&seed=" + std::to_string(ctx.options.seed);
  // These documents are not the pool's and their size is not known here:
  // no MB/s rather than a guess.
  constexpr std::size_t unknown_bytes = 0;
  const auto stage_name = [](std::size_t documents) {
    return std::string{bench::memory_stage_prefix} + std::to_string(documents);
  };
  run_once(ctx, stage_name(small), source, unknown_bytes,
           sqlite_url(ctx, "scaling-small.db"), ctx.workers, small,
           "scaling-small");
  run_once(ctx, stage_name(large), source, unknown_bytes,
           sqlite_url(ctx, "scaling-large.db"), ctx.workers, 0,
           "scaling-large");
}

void measure_end_to_end(bench_context& ctx) {
  const bool sqlite = wants(ctx.options, "sqlite");
  const bool postgresql = wants(ctx.options, "postgresql");
  if (sqlite || postgresql) {
    const auto source = sqlite_url(ctx, "source.db");
    if (!load_source(ctx, source, ctx.options.documents)) {
      return;
    }
    if (sqlite) {
      measure_sqlite(ctx, source);
    }
    if (postgresql) {
      measure_postgresql(ctx, source);
    }
  }
  if (ctx.options.memory_scaling) {
    measure_memory_scaling(ctx);
  }
}

/// The scratch folder: the one asked for, or a fresh temporary one.
std::optional<fs::path> make_work_dir(const bench_options& options) {
  if (!options.work_dir.empty()) {
    std::error_code error;
    fs::create_directories(options.work_dir, error);
    return error ? std::nullopt : std::optional<fs::path>{options.work_dir};
  }
  auto pattern = (fs::temp_directory_path() / "xmlshred-bench-XXXXXX")
                     .string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return std::nullopt;
  }
  return fs::path{pattern};
}

bool write_json(const bench::bench_report& report, const std::string& file,
                spdlog::logger& log) {
  std::ofstream out{file, std::ios::trunc};
  out << bench::report_json(report).dump(2) << '\n';
  if (!out) {
    log.error("cannot write file={}", file);
    return false;
  }
  return true;
}

}  // namespace

void add_bench_command(CLI::App& parent, bench_options& options,
                       int& exit_code) {
  auto* command = parent.add_subcommand(
      "bench", "Measure parse, transform and end-to-end throughput on the "
               "same documents (see docs/performance.md)");
  command->add_option("--documents", options.documents,
                      "Documents per stage (default 20000)")
      ->check(CLI::PositiveNumber);
  command->add_option("--workers", options.workers,
                      "Threads/workers for the N-worker stages (default: "
                      "hardware threads)");
  command->add_option("--json", options.json_file,
                      "Also write the results as JSON to this file");
  command->add_option("--contract", options.contract_file,
                      "Contract (default examples/contracts/credit_card.json)");
  command->add_option("--samples", options.samples_dir,
                      "Folder of sample documents (default examples/cc)");
  command->add_option("--input", options.input,
                      "samples, generated or mixed (default mixed)")
      ->check(CLI::IsMember({"samples", "generated", "mixed"}));
  command->add_option("--generated-pool", options.generated_pool,
                      "Distinct generated documents cycled through "
                      "(default 200)");
  command->add_option("--seed", options.seed, "Generator seed (default 1)");
  command->add_option("--work-dir", options.work_dir,
                      "Folder for the databases (default: a temporary one, "
                      "removed afterwards)");
  command->add_flag("--keep-work-dir", options.keep_work_dir,
                    "Keep the databases and run logs");
  command->add_option("--stages", options.stages,
                      "Only these of parse, transform, sqlite, resume, "
                      "postgresql")
      ->delimiter(',')
      ->check(CLI::IsMember(
          {"parse", "transform", "sqlite", "resume", "postgresql"}));
  command->add_flag("--memory-scaling", options.memory_scaling,
                    "Also compare peak memory at 10000 (or a twentieth "
                    "of the large run) and --scaling-documents generated "
                    "documents (slow)");
  command->add_option("--scaling-documents", options.scaling_documents,
                      "Size of the large memory run (default 200000)");
  command->callback([&] { exit_code = run_bench(options); });
}

int run_bench(const bench_options& options) {
  auto log = infra::logger("bench");
  auto contracts = load_contracts({options.contract_file});
  if (!contracts) {
    return exit_usage;
  }
  const auto& rules = *contracts->front();
  const domain::document_router router{*contracts};
  xmlInitParser();

  std::string problem;
  const bench::pool_spec spec{options.samples_dir,
                              *bench::parse_input_mix(options.input),
                              options.generated_pool, options.seed};
  auto pool = bench::build_pool(spec, rules, router, problem);
  if (!pool) {
    log->error("{}", problem);
    return exit_usage;
  }
  auto dir = make_work_dir(options);
  if (!dir) {
    log->error("cannot create the work folder");
    return exit_usage;
  }
  const auto hardware = std::max(1U, std::thread::hardware_concurrency());
  const auto workers = options.workers > 0 ? options.workers : hardware;
  bench_context ctx{options, rules, router, *pool, workers, *dir,
                    own_binary(), {}, *log};
  ctx.report.input = std::string{bench::to_string(spec.mix)};
  ctx.report.documents = options.documents;
  ctx.report.distinct_documents = pool->distinct();
  ctx.report.workers = workers;
  ctx.report.hardware_threads = hardware;

  measure_in_process(ctx);
  measure_end_to_end(ctx);
  bench::print_report(ctx.report, std::cout);
  if (!options.json_file.empty() &&
      !write_json(ctx.report, options.json_file, *log)) {
    ctx.failed = true;
  }
  if (!options.keep_work_dir && options.work_dir.empty()) {
    std::error_code ignored;  // a leftover temp folder is harmless
    fs::remove_all(*dir, ignored);
  }
  return ctx.failed ? exit_stage_failed : exit_ok;
}

}  // namespace xmlshred::app
