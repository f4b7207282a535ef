#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/record.hpp"

namespace xmlshred::infra {

/// Where in the pipeline a fault strikes.
enum class fault_stage { read, parse, transform, write, commit };

/// What the fault does.
enum class fault_action { throw_exception, abort, kill, hang, delay, error,
                          disconnect };

/// Which events a fault strikes.
enum class fault_selector {
  /// Only records with this key.
  key,
  /// Every Nth event at the stage.
  every,
  /// Each event with probability P, reproducible from the seed.
  probability,
  /// Every event after the first N.
  after,
};

/// One parsed `--fault` specification, e.g. "transform:throw:key=443309".
struct fault_spec {
  std::string text;
  fault_stage stage = fault_stage::transform;
  fault_action action = fault_action::throw_exception;
  fault_selector selector = fault_selector::every;
  std::int64_t number = 1;
  double probability = 0;
  /// Strike at most this many times; 0 means no limit.
  std::int64_t times = 0;
  /// Length of a delay in milliseconds (default 100), or of a hang
  /// (default one hour: in effect until the record's time budget ends it).
  std::optional<std::int64_t> millis;
};

/// Parses STAGE:ACTION[:SELECTOR][:times=N][:ms=N]; the error names the
/// part that is wrong and what is accepted there.
[[nodiscard]] std::variant<fault_spec, std::string> parse_fault_spec(
    std::string_view text);

/// Whether `spec` makes sense (an action the stage can carry out); an
/// error text if not.
[[nodiscard]] std::optional<std::string> check_fault_supported(
    const fault_spec& spec);

std::string_view to_string(fault_stage stage);
std::string_view to_string(fault_action action);

/// Decides, per event, whether a configured fault strikes. Thread-safe:
/// counters are atomic and probabilistic choices are a hash of the seed,
/// the fault and the event, so a run with one worker repeats exactly.
class fault_injector {
 public:
  fault_injector(std::vector<fault_spec> faults, std::uint64_t seed);

  /// The fault that strikes the event `stage` for record `key`, if any.
  const fault_spec* check(fault_stage stage, domain::record_key key);

 private:
  struct armed_fault {
    fault_spec spec;
    std::atomic<std::int64_t> events{0};
    std::atomic<std::int64_t> strikes{0};
  };
  bool strikes(armed_fault& fault, domain::record_key key);

  std::vector<std::unique_ptr<armed_fault>> faults_;
  std::uint64_t seed_;
};

/// Thrown from a fault hook inside the database layer to make the current
/// operation fail as a transient database error would.
class injected_failure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Carries out a fault at the point where it struck: throws, aborts,
/// kills the process or sleeps. `error` and `disconnect` are handled by the
/// database layer, not here.
void perform_fault(const fault_spec& fault, domain::record_key key);

}  // namespace xmlshred::infra
