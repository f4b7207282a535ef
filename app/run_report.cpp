#include "app/run_report.hpp"

#include <sys/resource.h>

#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>
#include <spdlog/fmt/fmt.h>

namespace xmlshred::app {
namespace {

constexpr double kilobytes_per_megabyte = 1024.0;

double records_per_second(const actors::run_summary& summary) {
  const auto processed =
      summary.converted + summary.rejected + summary.failed;
  if (summary.elapsed_seconds <= 0) {
    return 0;
  }
  return static_cast<double>(processed) / summary.elapsed_seconds;
}

std::string category_list(const std::map<std::string, std::size_t>& counts) {
  std::string text;
  for (const auto& [category, count] : counts) {
    text += fmt::format("{}{} {}", text.empty() ? "" : ", ", count,
                        category);
  }
  return text.empty() ? "" : " (" + text + ")";
}

}  // namespace

double peak_memory_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  // Linux reports ru_maxrss in kilobytes.
  return static_cast<double>(usage.ru_maxrss) / kilobytes_per_megabyte;
}

void print_summary(const actors::run_summary& s, const std::string& target) {
  std::string text = fmt::format(
      "\nRun {} finished with exit code {}\n"
      "  records read     {}\n"
      "  already done     {}\n"
      "  converted        {}\n"
      "  rejected         {}{}\n"
      "  failed           {}{}\n",
      s.run_id, s.exit_code, s.read, s.already_done, s.converted, s.rejected,
      category_list(s.rejected_by_category), s.failed,
      category_list(s.failed_by_category));
  if (!s.abort_reason.empty()) {
    text += fmt::format("  aborted          {}\n", s.abort_reason);
  }
  text += "  rows per table\n";
  for (const auto& [table, rows] : s.rows_per_table) {
    text += fmt::format("    {:<30} {}\n", table, rows);
  }
  text += fmt::format(
      "  elapsed          {:.2f} s\n"
      "  records/s        {:.1f}\n"
      "  peak memory      {:.0f} MB\n"
      "  target           {}\n",
      s.elapsed_seconds, records_per_second(s), peak_memory_mb(), target);
  std::fputs(text.c_str(), stderr);
}

std::optional<std::string> write_summary_json(
    const actors::run_summary& s, const std::string& target,
    const std::string& file) {
  nlohmann::json json{
      {"run_id", s.run_id},
      {"exit_code", s.exit_code},
      {"records_read", s.read},
      {"already_done", s.already_done},
      {"converted", s.converted},
      {"rejected", s.rejected},
      {"failed", s.failed},
      {"rejected_by_category", s.rejected_by_category},
      {"failed_by_category", s.failed_by_category},
      {"rows_per_table", s.rows_per_table},
      {"elapsed_seconds", s.elapsed_seconds},
      {"records_per_second", records_per_second(s)},
      {"peak_memory_mb", peak_memory_mb()},
      {"target", target},
  };
  if (!s.abort_reason.empty()) {
    json["abort_reason"] = s.abort_reason;
  }
  std::ofstream out{file};
  out << json.dump(2) << '\n';
  if (!out) {
    return "cannot write the summary to " + file;
  }
  return std::nullopt;
}

}  // namespace xmlshred::app
