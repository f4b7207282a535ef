#include "domain/key_value_rows.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "domain/value_conversion.hpp"

namespace xmlshred::domain {
namespace {

std::string lower(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return result;
}

/// Values that hold text but mean "nothing" in the source system.
bool is_placeholder(std::string_view text) {
  std::string folded = lower(text);
  return folded == "null" || folded == "none";
}

/// Indicator values that mean yes.
bool is_yes(std::string_view text) {
  static constexpr std::array<std::string_view, 5> yes{"y", "yes", "true",
                                                       "t", "1"};
  std::string folded = lower(text);
  return std::find(yes.begin(), yes.end(), folded) != yes.end();
}

std::string last_step(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

key_value_rule::key_value_rule(const mapping_spec& spec,
                               const mapping_type_ref& type,
                               const std::string& key_column)
    : spec_(&spec),
      kind_(type.kind),
      key_column_(key_column),
      columns_(columns_of(type.kind)) {
  switch (kind_) {
    case mapping_kind::add_history:
      name_text_ = "[" + spec.xml_attribute + "]";
      source_text_ = "[" + last_step(spec.xml_path) + "]";
      break;
    case mapping_kind::add_report_lookup:
      name_text_ = spec.xml_attribute;
      source_text_ = type.parameter;
      break;
    default:
      name_text_ = type.parameter;
      break;
  }
}

std::vector<std::string> key_value_rule::columns_of(mapping_kind kind) {
  switch (kind) {
    case mapping_kind::add_history:
      return {"name", "source", "value"};
    case mapping_kind::add_score:
      return {"score_identifier", "score"};
    case mapping_kind::add_indicator:
      return {"indicator", "value"};
    case mapping_kind::add_report_lookup:
      return {"name", "value", "source_report_key"};
    default:
      return {};
  }
}

bool key_value_rule::make_row(std::optional<std::string_view> raw,
                              const std::string& key,
                              named_cells& row) const {
  std::string_view text = raw ? trim(*raw) : std::string_view();
  if (text.empty() || is_placeholder(text)) {
    return false;
  }
  row.emplace_back(&key_column_, key);
  switch (kind_) {
    case mapping_kind::add_history:
      row.emplace_back(&columns_[0], name_text_);
      row.emplace_back(&columns_[1], source_text_);
      row.emplace_back(&columns_[2], std::string(text));
      return true;
    case mapping_kind::add_score: {
      // Scores are whole numbers; fractional ones round half up and text
      // without a number makes no row.
      auto score = to_integer_text_lenient(text);
      if (!score) {
        row.clear();
        return false;
      }
      row.emplace_back(&columns_[0], name_text_);
      row.emplace_back(&columns_[1], std::move(*score));
      return true;
    }
    case mapping_kind::add_indicator:
      if (!is_yes(text)) {
        row.clear();
        return false;
      }
      row.emplace_back(&columns_[0], name_text_);
      row.emplace_back(&columns_[1], std::string("1"));
      return true;
    case mapping_kind::add_report_lookup:
      row.emplace_back(&columns_[0], name_text_);
      row.emplace_back(&columns_[1], std::string(text));
      if (!source_text_.empty()) {
        row.emplace_back(&columns_[2], source_text_);
      }
      return true;
    default:
      row.clear();
      return false;
  }
}

}  // namespace xmlshred::domain
