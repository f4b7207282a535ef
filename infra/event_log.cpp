#include "infra/event_log.hpp"

#include <chrono>

#include <spdlog/fmt/chrono.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

namespace xmlshred::infra {
namespace {

constexpr int milliseconds_per_second = 1000;

template <class T>
void put_if(nlohmann::ordered_json& line, const char* name,
            const std::optional<T>& value) {
  if (value) {
    line[name] = *value;
  }
}

void put_if(nlohmann::ordered_json& line, const char* name,
            const std::string& value) {
  if (!value.empty()) {
    line[name] = value;
  }
}

}  // namespace

std::string utc_timestamp_now() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto seconds = time_point_cast<std::chrono::seconds>(now);
  const auto millis =
      duration_cast<milliseconds>(now - seconds).count() %
      milliseconds_per_second;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z",
                     fmt::gmtime(system_clock::to_time_t(now)), millis);
}

nlohmann::ordered_json event_to_json(const event& entry,
                                     const std::string& run_id,
                                     std::uint64_t seq) {
  nlohmann::ordered_json line{{"ts", utc_timestamp_now()},
                      {"run", run_id},
                      {"seq", seq},
                      {"event", entry.name}};
  put_if(line, "actor", entry.actor);
  put_if(line, "supervisor", entry.supervisor);
  put_if(line, "record", entry.record);
  put_if(line, "attempt", entry.attempt);
  put_if(line, "category", entry.category);
  put_if(line, "reason", entry.reason);
  put_if(line, "backoff_ms", entry.backoff_ms);
  put_if(line, "strategy", entry.strategy);
  put_if(line, "restarts", entry.restarts);
  for (const auto& [key, value] : entry.details.items()) {
    line[key] = value;
  }
  return line;
}

event_log::event_log(std::shared_ptr<spdlog::logger> sink, std::string file,
                     std::string run_id)
    : sink_(std::move(sink)), file_(std::move(file)),
      run_id_(std::move(run_id)) {}

std::variant<std::shared_ptr<event_log>, std::string> event_log::open(
    const std::string& file, const std::string& run_id) {
  try {
    auto sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(file);
    // The line is the JSON object itself; no prefix, no level.
    sink->set_pattern("%v");
    auto writer = std::make_shared<spdlog::logger>("events", sink);
    writer->set_level(spdlog::level::info);
    writer->flush_on(spdlog::level::warn);
    return std::shared_ptr<event_log>(
        new event_log(std::move(writer), file, run_id));
  } catch (const spdlog::spdlog_ex& error) {
    return "cannot open the event log " + file + ": " + error.what();
  }
}

std::shared_ptr<event_log> event_log::discard() {
  return std::shared_ptr<event_log>(new event_log(nullptr, "", ""));
}

void event_log::emit(const event& entry) {
  if (!sink_) {
    return;
  }
  std::lock_guard<std::mutex> guard{order_};
  const auto line = event_to_json(entry, run_id_, next_seq_++).dump();
  sink_->log(entry.important ? spdlog::level::warn : spdlog::level::info,
             line);
}

void event_log::flush() {
  if (sink_) {
    sink_->flush();
  }
}

}  // namespace xmlshred::infra
