#include "infra/generated_source.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <string>

namespace xmlshred::infra {
namespace {

constexpr std::string_view accepted_form =
    "expected generated:?count=N[&seed=S][&first-key=K][&defect-rate=R], "
    "e.g. generated:?count=1000000&seed=42&defect-rate=0.01";

std::string problem(const std::string& what) {
  return "generated source: " + what + "; " + std::string(accepted_form);
}

/// `text` read whole as a number of type T; nothing else may follow.
template <class T>
std::optional<T> read_number(std::string_view text) {
  T value{};
  const auto* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc{} || stop != end || text.empty()) {
    return std::nullopt;
  }
  return value;
}

/// Stores one `name=value` pair in `options`, or says what is wrong.
std::optional<std::string> apply_parameter(std::string_view name,
                                           std::string_view value,
                                           generated_source_options& options) {
  const std::string quoted = "parameter '" + std::string(name) + "'";
  if (name == "count") {
    auto count = read_number<std::size_t>(value);
    if (!count || *count == 0) {
      return problem(quoted + " must be a whole number of at least 1");
    }
    options.count = *count;
  } else if (name == "seed") {
    auto seed = read_number<std::uint64_t>(value);
    if (!seed) {
      return problem(quoted + " must be a whole number of at least 0");
    }
    options.seed = *seed;
  } else if (name == "first-key") {
    auto key = read_number<domain::record_key>(value);
    if (!key) {
      return problem(quoted + " must be a whole number");
    }
    options.first_key = *key;
  } else if (name == "defect-rate") {
    auto rate = read_number<double>(value);
    if (!rate || !std::isfinite(*rate) || *rate < 0.0 || *rate > 1.0) {
      return problem(quoted + " must be a number from 0 to 1");
    }
    options.defect_rate = *rate;
  } else {
    return problem("unknown " + quoted +
                   " (known: count, seed, first-key, defect-rate)");
  }
  return std::nullopt;
}

/// Splits "a=1&b=2" and applies each pair; each name at most once.
std::optional<std::string> apply_query(std::string_view query,
                                       generated_source_options& options) {
  std::set<std::string, std::less<>> seen;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{}
                                          : query.substr(amp + 1);
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos || equals == 0) {
      return problem("'" + std::string(pair) + "' is not NAME=VALUE");
    }
    const auto name = pair.substr(0, equals);
    if (!seen.emplace(name).second) {
      return problem("parameter '" + std::string(name) + "' is given twice");
    }
    if (auto bad = apply_parameter(name, pair.substr(equals + 1), options)) {
      return bad;
    }
  }
  return std::nullopt;
}

generator_options generator_settings(const generated_source_options& o) {
  generator_options settings;
  settings.seed = o.seed;
  settings.first_key = o.first_key;
  settings.defect_rate = o.defect_rate;
  return settings;
}

}  // namespace

std::variant<generated_source_options, std::string> parse_generated_url(
    std::string_view text) {
  if (text.substr(0, generated_scheme.size()) != generated_scheme) {
    return problem("'" + std::string(text) + "' does not start with " +
                   std::string(generated_scheme));
  }
  auto rest = text.substr(generated_scheme.size());
  if (!rest.empty() && rest.front() != '?') {
    return problem("parameters must follow '?'");
  }
  generated_source_options options;
  if (!rest.empty()) {
    if (auto bad = apply_query(rest.substr(1), options)) {
      return *bad;
    }
  }
  if (options.count == 0) {
    return problem("parameter 'count' is required");
  }

  // The last key must fit in a key: first-key + count - 1. Unsigned
  // arithmetic wraps exactly, so max - first_key is right for any sign.
  const auto room =
      static_cast<std::uint64_t>(
          std::numeric_limits<domain::record_key>::max()) -
      static_cast<std::uint64_t>(options.first_key);
  if (options.count - 1 > room) {
    return problem("parameters 'first-key' and 'count' run past the "
                   "largest key");
  }
  return options;
}

generated_source::generated_source(const domain::contract& rules,
                                   const generated_source_options& options)
    : options_(options), generator_(rules, generator_settings(options)) {}

domain::record_key generated_source::last_key() const {
  return options_.first_key +
         static_cast<domain::record_key>(options_.count - 1);
}

result<std::vector<domain::record_key>> generated_source::keys_after(
    domain::record_key after, std::size_t limit) {
  std::vector<domain::record_key> keys;
  // Compare before adding one: `after` may be the largest key there is.
  const auto last = last_key();
  if (after >= last) {
    return keys;
  }
  const auto first = std::max(options_.first_key, after + 1);
  // Counted, not compared with `last`: the key after the largest one
  // does not exist.
  const auto available = static_cast<std::size_t>(last - first) + 1;
  const auto wanted = std::min(limit, available);
  keys.reserve(wanted);
  for (std::size_t i = 0; i < wanted; ++i) {
    keys.push_back(first + static_cast<domain::record_key>(i));
  }
  return keys;
}

result<std::vector<domain::source_record>> generated_source::fetch(
    const std::vector<domain::record_key>& keys) {
  std::vector<domain::source_record> records;
  records.reserve(keys.size());
  for (auto key : keys) {
    if (key < options_.first_key || key > last_key()) {
      continue;
    }
    auto document = generator_.generate(
        static_cast<std::size_t>(key - options_.first_key));
    domain::source_record record;
    record.key = document.key;
    record.xml = std::move(document.xml);
    records.push_back(std::move(record));
  }
  std::sort(records.begin(), records.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  return records;
}

result<std::size_t> generated_source::count() { return options_.count; }

}  // namespace xmlshred::infra
