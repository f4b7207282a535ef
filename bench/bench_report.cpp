#include "bench/bench_report.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

namespace xmlshred::bench {
namespace {

// Targets from the product brief. They are reported, never enforced: the
// figures depend on the machine and on what else runs on it.
constexpr double end_to_end_share_target = 0.60;
constexpr double transform_share_target = 0.80;
constexpr double worker_scaling_target = 1.7;
constexpr double peak_rss_target_mb = 300.0;
constexpr double resume_keys_per_second_target = 200'000.0;
/// "Nothing measurable": well below the run-to-run noise of a few percent.
constexpr double idle_fault_hook_share_target = 0.01;
/// Peak memory of the large run over the small one.
constexpr double memory_growth_target = 1.10;
constexpr double bytes_per_mb = 1024.0 * 1024.0;

const stage_result* find(const bench_report& report, std::string_view stage,
                         std::size_t workers) {
  for (const auto& result : report.stages) {
    if (result.stage == stage && result.workers == workers) {
      return &result;
    }
  }
  return nullptr;
}

std::optional<double> ratio(const stage_result* top,
                            const stage_result* bottom) {
  if (top == nullptr || bottom == nullptr ||
      bottom->documents_per_second() <= 0) {
    return std::nullopt;
  }
  return top->documents_per_second() / bottom->documents_per_second();
}

/// The rate ratio top/bottom in CPU terms: what the wall-clock ratio would
/// be if both kept the same cores fully busy.
std::optional<double> cpu_ratio(const stage_result* top,
                                const stage_result* bottom) {
  if (top == nullptr || bottom == nullptr ||
      top->cpu_ms_per_document() <= 0) {
    return std::nullopt;
  }
  return bottom->cpu_ms_per_document() / top->cpu_ms_per_document();
}

/// One derived figure: a name, its value if measured, and how it is read.
struct derived {
  std::string name;
  std::optional<double> value;
  std::string meaning;
};

/// Peak memory of the largest memory-scaling run over the smallest.
std::optional<double> memory_growth(const bench_report& report) {
  const stage_result* smallest = nullptr;
  const stage_result* largest = nullptr;
  for (const auto& stage : report.stages) {
    if (stage.stage.rfind(memory_stage_prefix, 0) != 0) {
      continue;
    }
    if (smallest == nullptr || stage.documents < smallest->documents) {
      smallest = &stage;
    }
    if (largest == nullptr || stage.documents > largest->documents) {
      largest = &stage;
    }
  }
  if (smallest == nullptr || smallest == largest ||
      smallest->peak_rss_mb <= 0) {
    return std::nullopt;
  }
  return largest->peak_rss_mb / smallest->peak_rss_mb;
}

std::vector<derived> ratios(const bench_report& r) {
  const auto n = r.workers;
  const auto* resume = find(r, "resume_sqlite", n);
  std::optional<double> skip_rate;
  if (resume != nullptr && resume->seconds > 0) {
    skip_rate = static_cast<double>(resume->already_done) / resume->seconds;
  }
  return {
      {"transform_1_vs_parse_1",
       ratio(find(r, "transform", 1), find(r, "parse", 1)),
       "transform-only / parse-only, 1 thread each"},
      {"transform_n_vs_parse_n",
       ratio(find(r, "transform", n), find(r, "parse", n)),
       "transform-only / parse-only, N threads each"},
      {"transform_full_tree_1_vs_parse_1",
       ratio(find(r, "transform_full_tree", 1), find(r, "parse", 1)),
       "the same, building every element before mapping, 1 thread"},
      {"end_to_end_sqlite_1_vs_parse_1",
       ratio(find(r, "end_to_end_sqlite", 1), find(r, "parse", 1)),
       "end-to-end SQLite / parse-only, 1 worker"},
      {"end_to_end_sqlite_n_vs_parse_n",
       ratio(find(r, "end_to_end_sqlite", n), find(r, "parse", n)),
       "end-to-end SQLite / parse-only, N workers"},
      {"end_to_end_postgresql_n_vs_parse_n",
       ratio(find(r, "end_to_end_postgresql", n), find(r, "parse", n)),
       "end-to-end PostgreSQL / parse-only, N workers"},
      {"transform_vs_parse_cpu",
       cpu_ratio(find(r, "transform", 1), find(r, "parse", 1)),
       "parse CPU per document / transform CPU per document"},
      {"end_to_end_sqlite_vs_parse_cpu",
       cpu_ratio(find(r, "end_to_end_sqlite", n), find(r, "parse", 1)),
       "parse CPU per document / end-to-end CPU per document (N workers)"},
      {"transform_n_vs_1",
       ratio(find(r, "transform", n), find(r, "transform", 1)),
       "transform-only scaling, N threads / 1"},
      {"transform_full_tree_n_vs_1",
       ratio(find(r, "transform_full_tree", n),
             find(r, "transform_full_tree", 1)),
       "scaling when every element is built, N threads / 1"},
      {"end_to_end_sqlite_n_vs_1",
       ratio(find(r, "end_to_end_sqlite", n), find(r, "end_to_end_sqlite", 1)),
       "end-to-end SQLite scaling, N workers / 1"},
      {"resume_keys_per_second", skip_rate,
       "rerun over a finished job: already_done / elapsed"},
      {"idle_fault_hooks_vs_transform_cpu",
       cpu_ratio(find(r, "transform", 1), find(r, "fault_hooks", 1)),
       "CPU of the five idle fault hooks / transform CPU, per record"},
      {"memory_large_vs_small", memory_growth(r),
       "peak RSS of the large memory run / the small one"},
  };
}

double peak_rss(const bench_report& report) {
  double peak = 0;
  for (const auto& stage : report.stages) {
    peak = std::max(peak, stage.peak_rss_mb);
  }
  return peak;
}

/// A target: the measured value, the bound, and whether it is a minimum.
struct target {
  std::string name;
  std::optional<double> value;
  double bound;
  bool at_least;
};

std::vector<target> targets(const bench_report& report) {
  auto figures = ratios(report);
  auto value_of = [&](std::string_view name) {
    for (const auto& figure : figures) {
      if (figure.name == name) {
        return figure.value;
      }
    }
    return std::optional<double>{};
  };
  const auto peak = peak_rss(report);
  return {
      {"end_to_end_sqlite_n_vs_parse_n",
       value_of("end_to_end_sqlite_n_vs_parse_n"), end_to_end_share_target,
       true},
      {"transform_n_vs_parse_n", value_of("transform_n_vs_parse_n"),
       transform_share_target, true},
      {"transform_n_vs_1", value_of("transform_n_vs_1"),
       worker_scaling_target, true},
      {"peak_rss_mb",
       peak > 0 ? std::optional<double>{peak} : std::nullopt,
       peak_rss_target_mb, false},
      {"resume_keys_per_second", value_of("resume_keys_per_second"),
       resume_keys_per_second_target, true},
      {"memory_large_vs_small", value_of("memory_large_vs_small"),
       memory_growth_target, false},
      {"idle_fault_hooks_vs_transform_cpu",
       value_of("idle_fault_hooks_vs_transform_cpu"),
       idle_fault_hook_share_target, false},
  };
}

std::string verdict(const target& t) {
  if (!t.value) {
    return "not measured";
  }
  const bool met = t.at_least ? *t.value >= t.bound : *t.value < t.bound;
  return met ? "met" : "NOT met";
}

/// Three decimals, or three significant digits for tiny shares that
/// would otherwise print as 0.000; "-" when not measured.
std::string figure_text(const std::optional<double>& value) {
  constexpr double smallest_fixed = 0.001;
  if (!value) {
    return "-";
  }
  if (*value != 0 && *value < smallest_fixed) {
    return fmt::format("{:.2e}", *value);
  }
  return fmt::format("{:.3f}", *value);
}

nlohmann::json stage_json(const stage_result& s) {
  return {{"stage", s.stage},
          {"workers", s.workers},
          {"documents", s.documents},
          {"mb", static_cast<double>(s.bytes) / bytes_per_mb},
          {"seconds", s.seconds},
          {"process_seconds", s.process_seconds},
          {"cpu_seconds", s.cpu_seconds},
          {"cpu_ms_per_document", s.cpu_ms_per_document()},
          {"documents_per_second", s.documents_per_second()},
          {"mb_per_second", s.mb_per_second()},
          {"converted", s.converted},
          {"rejected", s.rejected},
          {"failed", s.failed},
          {"already_done", s.already_done},
          {"peak_rss_mb", s.peak_rss_mb},
          {"exit_code", s.exit_code}};
}

}  // namespace

void print_report(const bench_report& report, std::ostream& out) {
  out << fmt::format(
      "xmlshred bench: {} documents ({} distinct, input {}), {} workers, "
      "{} hardware threads\n\n",
      report.documents, report.distinct_documents, report.input,
      report.workers, report.hardware_threads);
  out << fmt::format(
      "{:<22} {:>7} {:>9} {:>9} {:>10} {:>8} {:>11} {:>9} {:>5}\n", "stage",
      "workers", "documents", "seconds", "docs/s", "MB/s", "cpu ms/doc",
      "peak MB", "exit");
  for (const auto& s : report.stages) {
    out << fmt::format(
        "{:<22} {:>7} {:>9} {:>9.2f} {:>10.1f} {:>8.1f} {:>11.3f} {:>9.1f} "
        "{:>5}\n",
        s.stage, s.workers, s.documents > 0 ? s.documents : s.already_done,
        s.seconds, s.documents_per_second(), s.mb_per_second(),
        s.cpu_ms_per_document(), s.peak_rss_mb, s.exit_code);
  }
  out << "\nratios\n";
  for (const auto& figure : ratios(report)) {
    out << fmt::format("  {:<36} {:>12} {}\n", figure.name,
                       figure_text(figure.value), figure.meaning);
  }
  out << "\ntargets (from the product brief; informative)\n";
  for (const auto& t : targets(report)) {
    out << fmt::format("  {:<36} {:>12} {} {:<10} {}\n", t.name,
                       figure_text(t.value), t.at_least ? ">=" : "< ",
                       t.bound, verdict(t));
  }
  for (const auto& note : report.notes) {
    out << "note: " << note << '\n';
  }
}

nlohmann::json report_json(const bench_report& report) {
  nlohmann::json json;
  json["input"] = report.input;
  json["documents"] = report.documents;
  json["distinct_documents"] = report.distinct_documents;
  json["workers"] = report.workers;
  json["hardware_threads"] = report.hardware_threads;
  json["stages"] = nlohmann::json::array();
  for (const auto& stage : report.stages) {
    json["stages"].push_back(stage_json(stage));
  }
  for (const auto& figure : ratios(report)) {
    json["ratios"][figure.name] =
        figure.value ? nlohmann::json(*figure.value) : nlohmann::json();
  }
  for (const auto& t : targets(report)) {
    json["targets"][t.name] = {
        {"value", t.value ? nlohmann::json(*t.value) : nlohmann::json()},
        {"bound", t.bound},
        {"at_least", t.at_least},
        {"verdict", verdict(t)}};
  }
  json["notes"] = report.notes;
  return json;
}

}  // namespace xmlshred::bench
