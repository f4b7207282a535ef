#include "bench/bench_stages.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>
#include <variant>

#include <nlohmann/json.hpp>

#include "infra/fault_injector.hpp"
#include "infra/xml_document.hpp"

extern char** environ;

namespace xmlshred::bench {
namespace {

using clock_type = std::chrono::steady_clock;

constexpr double bytes_per_mb = 1024.0 * 1024.0;
/// ru_maxrss is in kilobytes on Linux.
constexpr double kb_per_mb = 1024.0;
constexpr int exit_code_of_signal_base = 128;
constexpr double microseconds_per_second = 1e6;
constexpr double milliseconds_per_second = 1e3;

double cpu_of(const rusage& usage) {
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) +
           static_cast<double>(t.tv_usec) / microseconds_per_second;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double own_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return cpu_of(usage);
}

/// Per-thread tallies, merged after the threads join.
struct tally {
  std::size_t converted = 0;
  std::size_t rejected = 0;
  std::size_t failed = 0;
};

/// Runs `work(index, tally)` for indexes 0..count-1 on `workers` threads
/// that take the next index from a shared counter, as a pool of
/// transformers takes the next record; returns the wall time and tallies.
template <class Work>
stage_result run_threads(std::size_t count, std::size_t workers, Work work) {
  std::atomic<std::size_t> next{0};
  std::vector<tally> tallies(workers);
  std::vector<std::thread> threads;
  const auto cpu_before = own_cpu_seconds();
  const auto started = clock_type::now();
  for (std::size_t w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      for (auto i = next.fetch_add(1); i < count; i = next.fetch_add(1)) {
        work(i, tallies[w]);
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  stage_result result;
  result.seconds =
      std::chrono::duration<double>(clock_type::now() - started).count();
  result.cpu_seconds = own_cpu_seconds() - cpu_before;
  result.workers = workers;
  result.documents = count;
  for (const auto& t : tallies) {
    result.converted += t.converted;
    result.rejected += t.rejected;
    result.failed += t.failed;
  }
  return result;
}

void count_outcome(const domain::record_outcome& outcome, tally& counts) {
  switch (outcome.status) {
    case domain::record_status::converted: ++counts.converted; break;
    case domain::record_status::rejected: ++counts.rejected; break;
    case domain::record_status::failed: ++counts.failed; break;
  }
}

/// Starts `args` with stdout and stderr going to `log_file`; -1 on failure.
pid_t spawn(const std::vector<std::string>& args,
            const std::string& log_file) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  std::vector<char*> argv;
  for (const auto& arg : args) {
    argv.push_back(const_cast<char*>(arg.c_str()));
  }
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int failed = posix_spawn(&pid, args[0].c_str(), &actions, nullptr,
                                 argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return failed == 0 ? pid : -1;
}

std::vector<std::string> run_arguments(const run_request& request) {
  std::vector<std::string> args{request.binary, "run",
                                "--source", request.source_url,
                                "--target", request.target_url,
                                "--contract", request.contract_file,
                                "--workers", std::to_string(request.workers),
                                "--summary-json", request.summary_file};
  if (request.limit > 0) {
    args.push_back("--limit");
    args.push_back(std::to_string(request.limit));
  }
  return args;
}

/// Fills the counts and timing of `result` from the run's summary JSON.
bool read_summary(const std::string& file, stage_result& result) {
  std::ifstream in{file};
  if (!in) {
    return false;
  }
  const auto summary = nlohmann::json::parse(in, nullptr, false);
  if (summary.is_discarded() || !summary.is_object()) {
    return false;
  }
  result.documents = summary.value("records_read", std::size_t{0});
  result.already_done = summary.value("already_done", std::size_t{0});
  result.converted = summary.value("converted", std::size_t{0});
  result.rejected = summary.value("rejected", std::size_t{0});
  result.failed = summary.value("failed", std::size_t{0});
  result.seconds = summary.value("elapsed_seconds", 0.0);
  return true;
}

}  // namespace

double stage_result::documents_per_second() const {
  // A resumed run reads no document: its rate is keys skipped.
  const auto done = documents > 0 ? documents : already_done;
  return seconds > 0 ? static_cast<double>(done) / seconds : 0;
}

double stage_result::mb_per_second() const {
  return seconds > 0 ? static_cast<double>(bytes) / bytes_per_mb / seconds
                     : 0;
}

double stage_result::cpu_ms_per_document() const {
  const auto done = documents > 0 ? documents : already_done;
  return done > 0 ? cpu_seconds * milliseconds_per_second /
                        static_cast<double>(done)
                  : 0;
}

stage_result measure_parse(const document_pool& pool, std::size_t count,
                           std::size_t workers) {
  auto result = run_threads(count, workers, [&](std::size_t i, tally& t) {
    auto parsed = infra::parse_xml(pool.at(i).xml);
    if (std::holds_alternative<infra::xml_doc_ptr>(parsed)) {
      ++t.converted;
    } else {
      ++t.failed;
    }
  });
  result.stage = "parse";
  result.bytes = pool.bytes(count);
  return result;
}

stage_result measure_transform(const document_pool& pool,
                               const domain::document_router& router,
                               std::size_t count, std::size_t workers,
                               tree_extent extent) {
  const auto reach = router.reach();
  const auto* limit = extent == tree_extent::within_reach ? &reach : nullptr;
  auto result = run_threads(count, workers, [&](std::size_t i, tally& t) {
    const auto& document = pool.at(i);
    auto parsed = infra::parse_xml(document.xml, limit);
    if (!std::holds_alternative<infra::xml_doc_ptr>(parsed)) {
      ++t.failed;
      return;
    }
    const auto& tree = *std::get<infra::xml_doc_ptr>(parsed);
    count_outcome(router.map(tree, document.key), t);
  });
  result.stage = extent == tree_extent::within_reach ? "transform"
                                                     : "transform_full_tree";
  result.bytes = pool.bytes(count);
  return result;
}

stage_result measure_fault_hooks(std::size_t records, std::size_t rounds) {
  constexpr infra::fault_stage every_point[] = {
      infra::fault_stage::read, infra::fault_stage::parse,
      infra::fault_stage::transform, infra::fault_stage::write,
      infra::fault_stage::commit};
  infra::fault_injector idle{{}, 1};
  std::size_t strikes = 0;
  const auto cpu_before = own_cpu_seconds();
  const auto started = clock_type::now();
  for (std::size_t round = 0; round < rounds; ++round) {
    for (std::size_t record = 0; record < records; ++record) {
      const auto key = static_cast<domain::record_key>(record);
      for (const auto point : every_point) {
        strikes += idle.check(point, key) != nullptr ? 1 : 0;
      }
    }
  }
  stage_result result;
  result.stage = "fault_hooks";
  result.seconds =
      std::chrono::duration<double>(clock_type::now() - started).count();
  result.cpu_seconds = own_cpu_seconds() - cpu_before;
  result.documents = records * rounds;
  // An idle injector never strikes; counting strikes also keeps the
  // compiler from dropping the calls.
  result.failed = strikes;
  result.converted = result.documents - strikes;
  return result;
}

std::optional<stage_result> measure_run(const run_request& request,
                                        std::string stage, std::size_t bytes,
                                        std::string& problem) {
  const auto started = clock_type::now();
  const pid_t pid = spawn(run_arguments(request), request.log_file);
  if (pid < 0) {
    problem = "cannot start " + request.binary;
    return std::nullopt;
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid) {
    problem = "lost the child process of " + stage;
    return std::nullopt;
  }
  stage_result result;
  result.stage = std::move(stage);
  result.workers = request.workers;
  result.bytes = bytes;
  result.process_seconds =
      std::chrono::duration<double>(clock_type::now() - started).count();
  result.peak_rss_mb = static_cast<double>(usage.ru_maxrss) / kb_per_mb;
  result.cpu_seconds = cpu_of(usage);
  result.exit_code = WIFEXITED(status)
                         ? WEXITSTATUS(status)
                         : exit_code_of_signal_base + WTERMSIG(status);
  if (!read_summary(request.summary_file, result)) {
    problem = result.stage + " left no summary (exit code " +
              std::to_string(result.exit_code) + "); see " +
              request.log_file;
    return std::nullopt;
  }
  if (result.documents == 0) {
    result.bytes = 0;  // nothing was read, so no MB/s
  }
  return result;
}

}  // namespace xmlshred::bench
