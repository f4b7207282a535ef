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

using section_keys = std::set<std::string>;

const std::vector<std::pair<std::string, section_keys>>& known_sections() {
  static const std::vector<std::pair<std::string, section_keys>> sections{
      {"run", {"source", "target", "contracts", "workers", "batch", "limit"}},
      {"pipeline",
       {"page_size", "max_in_flight", "max_attempts", "commit_interval_ms",
        "create_schema"}},
      {"logging", {"level", "summary_json"}},
  };
  return sections;
}

/// Fails on any table or key the configuration format does not define.
std::optional<config_error> check_known_keys(const toml::table& root,
                                             const std::string& file) {
  for (const auto& [section_name, node] : root) {
    const std::string section{section_name.str()};
    auto known = std::find_if(
        known_sections().begin(), known_sections().end(),
        [&](const auto& entry) { return entry.first == section; });
    if (known == known_sections().end() || !node.is_table()) {
      return config_error{file, section,
                          "unknown section; expected one of [run], "
                          "[pipeline], [logging]"};
    }
    for (const auto& [key_name, value] : *node.as_table()) {
      (void)value;
      const std::string key{key_name.str()};
      if (!known->second.count(key)) {
        return config_error{file, section + "." + key,
                            "unknown key; see config/xmlshred.example.toml "
                            "for the accepted keys"};
      }
    }
  }
  return std::nullopt;
}

/// Reads one optional value of type T, reporting a type mismatch.
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

std::optional<config_error> read_count(const toml::table& root,
                                       const std::string& file,
                                       const std::string& path,
                                       std::size_t& target) {
  std::int64_t value = static_cast<std::int64_t>(target);
  if (auto error = read_value(root, file, path, value,
                              "a whole number, 0 or more")) {
    return error;
  }
  if (value < 0) {
    return config_error{file, path, "expected a whole number, 0 or more"};
  }
  target = static_cast<std::size_t>(value);
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

std::optional<config_error> read_all(const toml::table& root,
                                     const std::string& file,
                                     run_settings& s) {
  std::int64_t attempts = s.max_attempts;
  std::int64_t interval = s.commit_interval_ms;
  std::optional<config_error> error;
  // Stops at the first failing read; each read names its own path.
  (error = read_value(root, file, "run.source", s.source_url, "a URL")) ||
      (error = read_value(root, file, "run.target", s.target_url, "a URL")) ||
      (error = read_contracts(root, file, s)) ||
      (error = read_count(root, file, "run.workers", s.workers)) ||
      (error = read_count(root, file, "run.batch", s.batch_size)) ||
      (error = read_count(root, file, "run.limit", s.limit)) ||
      (error = read_count(root, file, "pipeline.page_size", s.page_size)) ||
      (error = read_count(root, file, "pipeline.max_in_flight",
                          s.max_in_flight)) ||
      (error = read_value(root, file, "pipeline.max_attempts", attempts,
                          "a whole number")) ||
      (error = read_value(root, file, "pipeline.commit_interval_ms",
                          interval, "a whole number of milliseconds")) ||
      (error = read_value(root, file, "pipeline.create_schema",
                          s.create_schema, "true or false")) ||
      (error = read_value(root, file, "logging.level", s.log_level,
                          "a level name")) ||
      (error = read_value(root, file, "logging.summary_json", s.summary_json,
                          "a file name"));
  s.max_attempts = static_cast<int>(attempts);
  s.commit_interval_ms = static_cast<int>(interval);
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
  if (auto error = check_known_keys(root, file)) {
    return *error;
  }
  if (auto error = read_all(root, file, defaults)) {
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
  if (s.page_size == 0) {
    return config_error{origin, "pipeline.page_size", "must be at least 1"};
  }
  if (s.max_attempts < 1) {
    return config_error{origin, "pipeline.max_attempts",
                        "must be at least 1"};
  }
  if (s.commit_interval_ms < 1) {
    return config_error{origin, "pipeline.commit_interval_ms",
                        "must be at least 1"};
  }
  return std::nullopt;
}

}  // namespace xmlshred::config
