#include "config/run_config.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <thread>

#include <toml++/toml.h>

namespace xmlshred::config {
namespace {

constexpr std::size_t in_flight_batches = 2;
constexpr std::size_t in_flight_per_worker = 4;

/// Every key the configuration format defines, as dotted paths.
const std::set<std::string>& known_keys() {
  static const std::set<std::string> keys = [] {
    std::set<std::string> all{
        "run.source", "run.target", "run.contracts", "run.workers",
        "run.batch", "run.limit", "run.fault_seed",
        "pipeline.page_size", "pipeline.max_in_flight",
        "pipeline.max_attempts", "pipeline.commit_interval_ms",
        "pipeline.create_schema", "pipeline.record_timeout_ms",
        "pipeline.max_process_crashes", "pipeline.journal",
        "supervision.systemic_window", "supervision.systemic_ratio",
        "supervision.process.max_restarts",
        "supervision.process.backoff_min_ms",
        "circuit.failures", "circuit.cooldown_ms", "circuit.give_up_after_s",
        "logging.level", "logging.summary_json", "logging.events"};
    for (const char* level : {"source", "transform", "sink"}) {
      for (const char* key :
           {"strategy", "max_restarts", "within_ms", "backoff_min_ms",
            "backoff_max_ms", "jitter", "reset_after_ms"}) {
        all.insert(std::string{"supervision."} + level + "." + key);
      }
    }
    return all;
  }();
  return keys;
}

const std::set<std::string>& fault_keys() {
  static const std::set<std::string> keys{"stage", "action", "key", "every",
                                          "p",     "after",  "times", "ms"};
  return keys;
}

/// Fails on the first key the format does not define, naming its path.
std::optional<config_error> check_known_keys(const toml::table& table,
                                             const std::string& file,
                                             const std::string& prefix) {
  for (const auto& [name, node] : table) {
    const auto path = prefix + std::string{name.str()};
    if (path == "faults" && node.is_array_of_tables()) {
      continue;
    }
    if (const auto* nested = node.as_table()) {
      if (auto error = check_known_keys(*nested, file, path + ".")) {
        return error;
      }
    } else if (!known_keys().count(path)) {
      return config_error{file, path,
                          "unknown key; see config/xmlshred.example.toml "
                          "for the accepted keys"};
    }
  }
  return std::nullopt;
}

/// Reads one value of type T at `path`, if present.
template <class T>
std::optional<config_error> read_value(const toml::table& root,
                                       const std::string& file,
                                       const std::string& path, T& target,
                                       const char* expected) {
  auto node = root.at_path(path);
  if (!node) {
    return std::nullopt;
  }
  if (auto value = node.value<T>()) {
    target = *value;
    return std::nullopt;
  }
  return config_error{file, path, std::string{"expected "} + expected};
}

template <class Number>
std::optional<config_error> read_number(const toml::table& root,
                                        const std::string& file,
                                        const std::string& path,
                                        Number& target, std::int64_t least) {
  auto value = static_cast<std::int64_t>(target);
  const auto expected = "a whole number, " + std::to_string(least) + " or more";
  if (auto error = read_value(root, file, path, value, expected.c_str())) {
    return error;
  }
  if (value < least) {
    return config_error{file, path, "expected " + expected};
  }
  target = static_cast<Number>(value);
  return std::nullopt;
}

std::optional<config_error> read_fraction(const toml::table& root,
                                          const std::string& file,
                                          const std::string& path,
                                          double& target) {
  if (auto error = read_value(root, file, path, target,
                              "a number between 0 and 1")) {
    return error;
  }
  if (target < 0 || target > 1) {
    return config_error{file, path, "expected a number between 0 and 1"};
  }
  return std::nullopt;
}

std::optional<config_error> read_contracts(const toml::table& root,
                                           const std::string& file,
                                           run_settings& settings) {
  auto node = root.at_path("run.contracts");
  if (!node) {
    return std::nullopt;
  }
  const auto* list = node.as_array();
  if (!list) {
    return config_error{file, "run.contracts",
                        "expected a list of file names, e.g. "
                        "[\"credit_card.json\"]"};
  }
  const auto base = std::filesystem::path{file}.parent_path();
  settings.contract_files.clear();
  for (const auto& item : *list) {
    auto text = item.value<std::string>();
    if (!text) {
      return config_error{file, "run.contracts",
                          "every entry must be a file name in quotes"};
    }
    std::filesystem::path path{*text};
    settings.contract_files.push_back(
        path.is_absolute() ? path.string() : (base / path).string());
  }
  return std::nullopt;
}

/// One [[faults]] table as a specification text, e.g.
/// stage = "transform", action = "throw", key = 42 -> transform:throw:key=42.
std::optional<config_error> read_fault(const toml::table& fault,
                                       const std::string& file,
                                       const std::string& path,
                                       std::string& spec) {
  for (const auto& [name, node] : fault) {
    (void)node;
    if (!fault_keys().count(std::string{name.str()})) {
      return config_error{file, path + "." + std::string{name.str()},
                          "unknown key; a fault has stage, action and "
                          "optionally key, every, p, after, times, ms"};
    }
  }
  auto stage = fault["stage"].value<std::string>();
  auto action = fault["action"].value<std::string>();
  if (!stage || !action) {
    return config_error{file, path,
                        "a fault needs stage = \"...\" and action = \"...\""};
  }
  spec = *stage + ":" + *action;
  for (const char* key : {"key", "every", "p", "after", "times", "ms"}) {
    if (auto number = fault[key].value<double>()) {
      const auto whole = static_cast<std::int64_t>(*number);
      spec += std::string{":"} + key + "=" +
              (static_cast<double>(whole) == *number
                   ? std::to_string(whole)
                   : std::to_string(*number));
    }
  }
  return std::nullopt;
}

std::optional<config_error> read_faults(const toml::table& root,
                                        const std::string& file,
                                        run_settings& settings) {
  const auto* faults = root["faults"].as_array();
  if (!faults) {
    return std::nullopt;
  }
  for (std::size_t index = 0; index < faults->size(); ++index) {
    const auto path = "faults[" + std::to_string(index) + "]";
    const auto* table = faults->get(index)->as_table();
    std::string spec;
    if (!table) {
      return config_error{file, path, "expected a [[faults]] table"};
    }
    if (auto error = read_fault(*table, file, path, spec)) {
      return error;
    }
    settings.faults.push_back(spec);
  }
  return std::nullopt;
}

std::optional<config_error> read_restart(const toml::table& root,
                                         const std::string& file,
                                         const std::string& level,
                                         restart_settings& r) {
  const auto at = "supervision." + level + ".";
  std::optional<config_error> error;
  (error = read_value(root, file, at + "strategy", r.strategy,
                      "one_for_one, one_for_all or rest_for_one")) ||
      (error = read_number(root, file, at + "max_restarts", r.max_restarts,
                           0)) ||
      (error = read_number(root, file, at + "within_ms", r.within_ms, 1)) ||
      (error = read_number(root, file, at + "backoff_min_ms",
                           r.backoff_min_ms, 0)) ||
      (error = read_number(root, file, at + "backoff_max_ms",
                           r.backoff_max_ms, 0)) ||
      (error = read_fraction(root, file, at + "jitter", r.jitter)) ||
      (error = read_number(root, file, at + "reset_after_ms",
                           r.reset_after_ms, 0));
  if (!error && r.strategy != "one_for_one" && r.strategy != "one_for_all" &&
      r.strategy != "rest_for_one") {
    error = config_error{file, at + "strategy",
                         "expected one_for_one, one_for_all or rest_for_one"};
  }
  return error;
}

std::optional<config_error> read_run(const toml::table& root,
                                     const std::string& file,
                                     run_settings& s) {
  std::optional<config_error> error;
  // Stops at the first failing read; each read names its own path.
  (error = read_value(root, file, "run.source", s.source_url, "a URL")) ||
      (error = read_value(root, file, "run.target", s.target_url, "a URL")) ||
      (error = read_contracts(root, file, s)) ||
      (error = read_number(root, file, "run.workers", s.workers, 0)) ||
      (error = read_number(root, file, "run.batch", s.batch_size, 1)) ||
      (error = read_number(root, file, "run.limit", s.limit, 0)) ||
      (error = read_number(root, file, "run.fault_seed", s.fault_seed, 0)) ||
      (error = read_faults(root, file, s));
  return error;
}

std::optional<config_error> read_pipeline(const toml::table& root,
                                          const std::string& file,
                                          run_settings& s) {
  std::optional<config_error> error;
  (error = read_number(root, file, "pipeline.page_size", s.page_size, 1)) ||
      (error = read_number(root, file, "pipeline.max_in_flight",
                           s.max_in_flight, 0)) ||
      (error = read_number(root, file, "pipeline.max_attempts",
                           s.max_attempts, 1)) ||
      (error = read_number(root, file, "pipeline.commit_interval_ms",
                           s.commit_interval_ms, 1)) ||
      (error = read_number(root, file, "pipeline.record_timeout_ms",
                           s.record_timeout_ms, 1)) ||
      (error = read_number(root, file, "pipeline.max_process_crashes",
                           s.max_process_crashes, 1)) ||
      (error = read_value(root, file, "pipeline.journal", s.journal_file,
                          "a file name")) ||
      (error = read_value(root, file, "pipeline.create_schema",
                          s.create_schema, "true or false")) ||
      (error = read_number(root, file, "supervision.process.max_restarts",
                           s.process_max_restarts, 0)) ||
      (error = read_number(root, file, "supervision.process.backoff_min_ms",
                           s.process_backoff_min_ms, 0)) ||
      (error = read_number(root, file, "supervision.systemic_window",
                           s.systemic_window, 1)) ||
      (error = read_fraction(root, file, "supervision.systemic_ratio",
                             s.systemic_ratio)) ||
      (error = read_restart(root, file, "source", s.source_supervision)) ||
      (error = read_restart(root, file, "transform",
                            s.transform_supervision)) ||
      (error = read_restart(root, file, "sink", s.sink_supervision)) ||
      (error = read_number(root, file, "circuit.failures", s.breaker_failures,
                           1)) ||
      (error = read_number(root, file, "circuit.cooldown_ms",
                           s.breaker_cooldown_ms, 1)) ||
      (error = read_number(root, file, "circuit.give_up_after_s",
                           s.breaker_give_up_after_s, 1));
  return error;
}

std::optional<config_error> read_logging(const toml::table& root,
                                         const std::string& file,
                                         run_settings& s) {
  std::optional<config_error> error;
  (error = read_value(root, file, "logging.level", s.log_level,
                      "a level name")) ||
      (error = read_value(root, file, "logging.summary_json", s.summary_json,
                          "a file name")) ||
      (error = read_value(root, file, "logging.events", s.events_file,
                          "a file name"));
  return error;
}

}  // namespace

std::size_t run_settings::effective_workers() const {
  if (workers > 0) {
    return workers;
  }
  return std::max(1U, std::thread::hardware_concurrency());
}

std::size_t run_settings::effective_max_in_flight() const {
  if (max_in_flight > 0) {
    return max_in_flight;
  }
  return batch_size * in_flight_batches +
         effective_workers() * in_flight_per_worker;
}

std::string config_error::describe() const {
  std::string text = file;
  if (!path.empty()) {
    text += ": " + path;
  }
  return text + ": " + message;
}

std::variant<run_settings, config_error> load_run_config(
    const std::string& file, run_settings defaults) {
  toml::table root;
  try {
    root = toml::parse_file(file);
  } catch (const toml::parse_error& error) {
    const auto& where = error.source().begin;
    return config_error{file,
                        "line " + std::to_string(where.line) + ", column " +
                            std::to_string(where.column),
                        std::string{error.description()}};
  }
  std::optional<config_error> error;
  (error = check_known_keys(root, file, "")) ||
      (error = read_run(root, file, defaults)) ||
      (error = read_pipeline(root, file, defaults)) ||
      (error = read_logging(root, file, defaults));
  if (error) {
    return *error;
  }
  return defaults;
}

std::optional<config_error> validate_run_settings(const run_settings& s,
                                                  const std::string& origin) {
  if (s.source_url.empty()) {
    return config_error{origin, "run.source",
                        "no source given; pass --source sqlite:FILE"};
  }
  if (s.target_url.empty()) {
    return config_error{origin, "run.target",
                        "no target given; pass --target sqlite:FILE"};
  }
  if (s.contract_files.empty()) {
    return config_error{origin, "run.contracts",
                        "no contract given; pass --contract FILE"};
  }
  if (s.batch_size == 0) {
    return config_error{origin, "run.batch", "must be at least 1"};
  }
  if (s.max_attempts < 1) {
    return config_error{origin, "pipeline.max_attempts",
                        "must be at least 1"};
  }
  return std::nullopt;
}

}  // namespace xmlshred::config
