#include "infra/logging.hpp"

#include <mutex>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace xmlshred::infra {
namespace {

constexpr const char* line_pattern = "%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ %n: %v";

std::mutex setup_mutex;
spdlog::sink_ptr shared_sink;
spdlog::level::level_enum shared_level = spdlog::level::info;

spdlog::sink_ptr stderr_sink() {
  if (!shared_sink) {
    shared_sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    shared_sink->set_pattern(line_pattern);
  }
  return shared_sink;
}

}  // namespace

void init_logging(const std::string& level) {
  std::lock_guard<std::mutex> guard{setup_mutex};
  shared_level = spdlog::level::from_str(level);
  // Timestamps in UTC so they line up with the event log.
  spdlog::set_pattern(line_pattern, spdlog::pattern_time_type::utc);
  auto sink = stderr_sink();
  sink->set_formatter(std::make_unique<spdlog::pattern_formatter>(
      line_pattern, spdlog::pattern_time_type::utc));
  spdlog::set_level(shared_level);
  spdlog::flush_on(spdlog::level::warn);
}

std::shared_ptr<spdlog::logger> logger(const std::string& name) {
  std::lock_guard<std::mutex> guard{setup_mutex};
  if (auto existing = spdlog::get(name)) {
    return existing;
  }
  auto created = std::make_shared<spdlog::logger>(name, stderr_sink());
  created->set_level(shared_level);
  created->flush_on(spdlog::level::warn);
  spdlog::register_logger(created);
  return created;
}

}  // namespace xmlshred::infra
