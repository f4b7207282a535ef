#include "infra/fault_injector.hpp"

#include <signal.h>

#include <array>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <thread>
#include <utility>

namespace xmlshred::infra {
namespace {

constexpr std::array<std::pair<fault_stage, std::string_view>, 5> stages{{
    {fault_stage::read, "read"},
    {fault_stage::parse, "parse"},
    {fault_stage::transform, "transform"},
    {fault_stage::write, "write"},
    {fault_stage::commit, "commit"},
}};

constexpr std::array<std::pair<fault_action, std::string_view>, 7> actions{{
    {fault_action::throw_exception, "throw"},
    {fault_action::abort, "abort"},
    {fault_action::kill, "kill"},
    {fault_action::hang, "hang"},
    {fault_action::delay, "delay"},
    {fault_action::error, "error"},
    {fault_action::disconnect, "disconnect"},
}};

constexpr std::int64_t default_delay_ms = 100;
constexpr std::int64_t default_hang_ms = 3600 * 1000;

/// Spreads bits of a 64-bit value (splitmix64 finaliser) so that nearby
/// keys give unrelated probabilistic choices.
std::uint64_t mix(std::uint64_t value) {
  value += 0x9e3779b97f4a7c15ULL;
  value = (value ^ (value >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  value = (value ^ (value >> 27U)) * 0x94d049bb133111ebULL;
  return value ^ (value >> 31U);
}

std::vector<std::string_view> split(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t colon; (colon = text.find(':', start)) !=
                          std::string_view::npos;
       start = colon + 1) {
    parts.push_back(text.substr(start, colon - start));
  }
  parts.push_back(text.substr(start));
  return parts;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

template <class Enum, std::size_t N>
std::optional<Enum> find_name(
    const std::array<std::pair<Enum, std::string_view>, N>& names,
    std::string_view text) {
  for (const auto& [value, name] : names) {
    if (name == text) {
      return value;
    }
  }
  return std::nullopt;
}

/// Applies one NAME=VALUE part (selector or parameter) to `spec`.
std::optional<std::string> apply_part(fault_spec& spec, std::string_view part,
                                      bool& has_selector) {
  const auto equals = part.find('=');
  const auto name = part.substr(0, equals);
  const auto value = equals == std::string_view::npos
                         ? std::string_view{}
                         : part.substr(equals + 1);
  if (name == "p") {
    try {
      spec.probability = std::stod(std::string{value});
    } catch (const std::exception&) {
      return "p= takes a probability between 0 and 1";
    }
    if (spec.probability < 0 || spec.probability > 1) {
      return "p= takes a probability between 0 and 1";
    }
    spec.selector = fault_selector::probability;
    has_selector = true;
    return std::nullopt;
  }
  auto number = parse_integer(value);
  if (!number || *number < 0) {
    return "'" + std::string{part} + "': expected NAME=WHOLE_NUMBER";
  }
  if (name == "key" || name == "every" || name == "after") {
    if (has_selector) {
      return "only one selector (key=, every=, p=, after=) per fault";
    }
    has_selector = true;
    spec.number = *number;
    spec.selector = name == "key"     ? fault_selector::key
                    : name == "every" ? fault_selector::every
                                      : fault_selector::after;
    if (name == "every" && *number == 0) {
      return "every= needs a number of 1 or more";
    }
  } else if (name == "times") {
    spec.times = *number;
  } else if (name == "ms") {
    spec.millis = *number;
  } else {
    return "unknown part '" + std::string{name} +
           "'; expected key=, every=, p=, after=, times= or ms=";
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(fault_stage stage) {
  for (const auto& [value, name] : stages) {
    if (value == stage) return name;
  }
  return "unknown";
}

std::string_view to_string(fault_action action) {
  for (const auto& [value, name] : actions) {
    if (value == action) return name;
  }
  return "unknown";
}

std::variant<fault_spec, std::string> parse_fault_spec(
    std::string_view text) {
  const auto parts = split(text);
  if (parts.size() < 2) {
    return std::string{"expected STAGE:ACTION[:SELECTOR], e.g. "
                       "transform:throw:key=443309"};
  }
  fault_spec spec;
  spec.text = std::string{text};
  auto stage = find_name(stages, parts[0]);
  if (!stage) {
    return "unknown stage '" + std::string{parts[0]} +
           "'; expected read, parse, transform, write or commit";
  }
  auto action = find_name(actions, parts[1]);
  if (!action) {
    return "unknown action '" + std::string{parts[1]} +
           "'; expected throw, abort, kill, hang, delay, error or "
           "disconnect";
  }
  spec.stage = *stage;
  spec.action = *action;
  bool has_selector = false;
  for (std::size_t index = 2; index < parts.size(); ++index) {
    if (auto problem = apply_part(spec, parts[index], has_selector)) {
      return *problem;
    }
  }
  return spec;
}

std::optional<std::string> check_fault_supported(const fault_spec& spec) {
  // Parsing and transforming touch no database, so there is nothing for
  // `error` or `disconnect` to act on there.
  const bool database_action = spec.action == fault_action::error ||
                               spec.action == fault_action::disconnect;
  const bool record_stage = spec.stage == fault_stage::parse ||
                            spec.stage == fault_stage::transform;
  if (database_action && record_stage) {
    return "'" + spec.text + "': error and disconnect apply to the read, "
           "write and commit stages only";
  }
  return std::nullopt;
}

fault_injector::fault_injector(std::vector<fault_spec> faults,
                               std::uint64_t seed)
    : seed_(seed) {
  for (auto& spec : faults) {
    auto armed = std::make_unique<armed_fault>();
    armed->spec = std::move(spec);
    faults_.push_back(std::move(armed));
  }
}

bool fault_injector::strikes(armed_fault& fault, domain::record_key key) {
  const auto& spec = fault.spec;
  const auto event = fault.events.fetch_add(1) + 1;
  bool selected = false;
  switch (spec.selector) {
    case fault_selector::key:
      selected = key == spec.number;
      break;
    case fault_selector::every:
      selected = event % spec.number == 0;
      break;
    case fault_selector::after:
      selected = event > spec.number;
      break;
    case fault_selector::probability: {
      const auto draw = mix(seed_ ^ mix(static_cast<std::uint64_t>(key)) ^
                            mix(static_cast<std::uint64_t>(event)));
      selected = static_cast<double>(draw >> 11U) * 0x1.0p-53 <
                 spec.probability;
      break;
    }
  }
  if (!selected) {
    return false;
  }
  const auto strike = fault.strikes.fetch_add(1) + 1;
  return spec.times == 0 || strike <= spec.times;
}

const fault_spec* fault_injector::check(fault_stage stage,
                                        domain::record_key key) {
  for (auto& fault : faults_) {
    if (fault->spec.stage == stage && strikes(*fault, key)) {
      return &fault->spec;
    }
  }
  return nullptr;
}

void perform_fault(const fault_spec& fault, domain::record_key key) {
  switch (fault.action) {
    case fault_action::throw_exception:
      throw std::runtime_error("injected fault " + fault.text +
                               " on record " + std::to_string(key));
    case fault_action::abort:
      std::abort();
    case fault_action::kill:
      raise(SIGKILL);
      break;
    case fault_action::delay:
      std::this_thread::sleep_for(
          std::chrono::milliseconds{fault.millis.value_or(default_delay_ms)});
      break;
    case fault_action::hang:
      std::this_thread::sleep_for(
          std::chrono::milliseconds{fault.millis.value_or(default_hang_ms)});
      break;
    case fault_action::error:
    case fault_action::disconnect:
      break;
  }
}

}  // namespace xmlshred::infra
