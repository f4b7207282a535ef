#include "domain/failure_category.hpp"

#include <array>
#include <utility>

namespace xmlshred::domain {
namespace {

constexpr std::array<std::pair<failure_category, std::string_view>, 10>
    category_names{{
        {failure_category::not_well_formed, "not_well_formed"},
        {failure_category::empty_document, "empty_document"},
        {failure_category::wrong_root, "wrong_root"},
        {failure_category::missing_key, "missing_key"},
        {failure_category::unsupported_type, "unsupported_type"},
        {failure_category::mapping, "mapping"},
        {failure_category::constraint, "constraint"},
        {failure_category::crash, "crash"},
        {failure_category::timeout, "timeout"},
        {failure_category::process_crash, "process_crash"},
    }};

}  // namespace

std::string_view to_string(failure_category category) {
  for (const auto& [value, name] : category_names) {
    if (value == category) {
      return name;
    }
  }
  return "unknown";
}

std::optional<failure_category> parse_failure_category(std::string_view name) {
  for (const auto& [value, text] : category_names) {
    if (text == name) {
      return value;
    }
  }
  return std::nullopt;
}

}  // namespace xmlshred::domain
