#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "domain/record.hpp"

namespace spdlog {
class logger;
}

namespace xmlshred::infra {

/// One supervisor event. Fields that do not apply stay empty and are left
/// out of the line. Never put a document field value in here: records are
/// named by key, reasons are the pipeline's own texts.
struct event {
  event() = default;
  explicit event(std::string type) : name(std::move(type)) {}

  // Chainable setters, so an emit site names the fields it fills.
  event& set_actor(std::string value) { actor = std::move(value); return *this; }
  event& set_supervisor(std::string value) {
    supervisor = std::move(value);
    return *this;
  }
  event& set_record(std::optional<domain::record_key> value) {
    record = value;
    return *this;
  }
  event& set_attempt(int value) { attempt = value; return *this; }
  event& set_category(std::string value) {
    category = std::move(value);
    return *this;
  }
  event& set_reason(std::string value) { reason = std::move(value); return *this; }
  event& set_backoff_ms(std::int64_t value) { backoff_ms = value; return *this; }
  event& set_strategy(std::string value) {
    strategy = std::move(value);
    return *this;
  }
  event& set_restarts(int value) { restarts = value; return *this; }
  event& set_detail(const std::string& key, nlohmann::json value) {
    details[key] = std::move(value);
    return *this;
  }
  event& mark_important() { important = true; return *this; }

  std::string name;
  std::string actor;
  std::string supervisor;
  std::optional<domain::record_key> record;
  std::optional<int> attempt;
  std::string category;
  std::string reason;
  std::optional<std::int64_t> backoff_ms;
  std::string strategy;
  std::optional<int> restarts;
  /// Further fields for this event type (counts, durations, ...).
  nlohmann::json details = nlohmann::json::object();
  /// Warnings and worse are flushed to disk at once.
  bool important = false;
};

/// The run's event log: JSON Lines, one event per line with `ts` (UTC,
/// milliseconds), `run` and a gap-free, increasing `seq`. Thread-safe:
/// actors on different threads emit into one log, and a line's seq order is
/// its order in the file.
class event_log {
 public:
  /// Appends to `file` (created if missing).
  [[nodiscard]] static std::variant<std::shared_ptr<event_log>, std::string>
  open(const std::string& file, const std::string& run_id);

  /// A log that records nothing, for callers that want none.
  static std::shared_ptr<event_log> discard();

  void emit(const event& entry);
  /// Writes buffered lines to disk.
  void flush();

  const std::string& file() const { return file_; }

 private:
  event_log(std::shared_ptr<spdlog::logger> sink, std::string file,
            std::string run_id);

  std::shared_ptr<spdlog::logger> sink_;
  std::string file_;
  std::string run_id_;
  std::mutex order_;
  std::uint64_t next_seq_ = 1;
};

/// The JSON object of one event line (without writing it), its fields in
/// a fixed order: ts, run, seq, event, then the others.
nlohmann::ordered_json event_to_json(const event& entry, const std::string& run_id,
                             std::uint64_t seq);

/// "YYYY-MM-DDTHH:MM:SS.mmmZ" for the current time.
std::string utc_timestamp_now();

}  // namespace xmlshred::infra
