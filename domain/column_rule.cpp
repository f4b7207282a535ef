#include "domain/column_rule.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "domain/contract_checks.hpp"
#include "domain/value_conversion.hpp"

namespace xmlshred::domain {
namespace {

/// Decimal places used when a decimal mapping names none, and by every
/// decimal conversion inside a mapping-type chain.
constexpr int default_decimal_scale = 2;

bool is_integer_type(data_type type) {
  return type == data_type::int_type || type == data_type::smallint_type ||
         type == data_type::tinyint_type || type == data_type::bigint_type;
}

std::string upper(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  return result;
}

std::string lower(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return result;
}

bool same_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && upper(a) == upper(b);
}

/// The entry for `key` in an enum table (nullptr: no table or no entry),
/// comparing exactly or ignoring ASCII case.
template <class Table>
const typename Table::mapped_type* find_entry(const Table* table,
                                              const std::string& key,
                                              bool ignore_case) {
  if (table == nullptr) {
    return nullptr;
  }
  if (!ignore_case) {
    auto it = table->find(key);
    return it == table->end() ? nullptr : &it->second;
  }
  for (const auto& [source, value] : *table) {
    if (same_ignoring_case(source, key)) {
      return &value;
    }
  }
  return nullptr;
}

/// Types that choose where the value comes from (a contact, its current
/// address) rather than convert it; the mapper reads the value for them.
bool selects_source(mapping_kind kind) {
  return kind == mapping_kind::last_valid_pr_contact ||
         kind == mapping_kind::last_valid_sec_contact ||
         kind == mapping_kind::authu_contact ||
         kind == mapping_kind::curr_address_only;
}

}  // namespace

column_rule::column_rule(const mapping_spec& spec, const contract& rules)
    : spec_(&spec) {
  for (const auto& type : spec.kinds) {
    if (type.kind == mapping_kind::numbers_only) {
      numbers_only_ = true;
    }
    if (type.kind == mapping_kind::identity_insert) {
      identity_ = true;
    }
    // Row-creating types decide which rows exist, not what a value is.
    if (!creates_rows(type.kind)) {
      steps_.push_back(type.kind);
    }
  }
  const std::string& enum_name = enum_table_name(spec);
  if (auto codes = rules.enum_mappings.find(enum_name);
      codes != rules.enum_mappings.end()) {
    enum_codes_ = &codes->second;
  }
  if (auto texts = rules.enum_text_mappings.find(enum_name);
      texts != rules.enum_text_mappings.end()) {
    enum_texts_ = &texts->second;
  }
  if (auto bits = rules.bit_conversions.find("char_to_bit");
      bits != rules.bit_conversions.end()) {
    char_bits_ = &bits->second;
  }
  if (auto bits = rules.bit_conversions.find("boolean_to_bit");
      bits != rules.bit_conversions.end()) {
    boolean_bits_ = &bits->second;
  }
}

column_value column_rule::apply(std::optional<std::string_view> raw) const {
  // Without mapping types the value goes straight to its data type; with
  // them each step feeds the next.
  working value;
  bool failed = false;
  bool from_default = false;
  if (steps_.empty()) {
    value = convert_untyped(raw);
    from_default = value.present && (!raw || is_blank(*raw));
  } else {
    value.present = raw.has_value();
    value.is_text = true;
    value.text = raw ? std::string(*raw) : std::string();
    value = run_chain(std::move(value), failed, from_default);
  }
  finish_text(value);
  if (failed) {
    column_value result;
    result.result = column_value::outcome::missing_required;
    return result;
  }
  return settle(std::move(value), from_default);
}

column_rule::working column_rule::run_chain(working value, bool& failed,
                                            bool& from_default) const {
  // A missing value ends the chain, except at enum and the bit conversions,
  // which answer missing values themselves. Calculated and source-selecting
  // steps pass the text on; it is converted to the data type only when no
  // other step follows.
  bool selected = false;
  bool calculated = false;
  for (mapping_kind kind : steps_) {
    if (kind == mapping_kind::calculated_field || selects_source(kind)) {
      calculated = kind == mapping_kind::calculated_field;
      selected = !calculated;
      if (!value.present) {
        break;
      }
      continue;
    }
    selected = false;
    calculated = false;
    bool was_blank = !value.present || (value.is_text && is_blank(value.text));
    value = apply_step(kind, std::move(value), failed);
    bool lookup = kind == mapping_kind::enum_lookup ||
                  kind == mapping_kind::char_to_bit ||
                  kind == mapping_kind::boolean_to_bit;
    from_default = from_default || (was_blank && value.present && !lookup);
    if (failed || (!value.present && kind != mapping_kind::enum_lookup)) {
      break;
    }
  }
  if (selected) {
    return convert_selected(std::move(value));
  }
  if (calculated) {
    return convert_calculated(std::move(value));
  }
  return value;
}

column_value column_rule::settle(working value, bool from_default) const {
  // Nullability decides what a missing value means for the row.
  column_value result;
  if (value.present) {
    result.result = column_value::outcome::produced;
    result.from_default = from_default;
    result.zero = is_zero(value.text);
    result.weak = from_default || identity_ || result.zero;
    if (!value.text.empty()) {
      result.value = std::move(value.text);
    }
    return result;
  }
  if (spec_->nullable) {
    return result;
  }
  if (spec_->default_value) {
    // A NOT NULL column falls back to the contract default as written.
    result.result = column_value::outcome::produced;
    result.from_default = true;
    result.weak = true;
    if (!spec_->default_value->empty()) {
      result.value = *spec_->default_value;
    }
    return result;
  }
  result.result = column_value::outcome::missing_required;
  return result;
}

column_rule::working column_rule::convert_plain(std::string_view text) const {
  working out;
  std::optional<std::string> converted;
  switch (spec_->type) {
    case data_type::string_type:
      out.present = true;
      out.is_text = true;
      out.text = std::string(text);
      return out;
    case data_type::int_type:
    case data_type::smallint_type:
    case data_type::tinyint_type:
    case data_type::bigint_type:
      converted = to_integer_text(text);
      break;
    case data_type::decimal_type:
      converted = to_decimal_text(text, default_decimal_scale);
      break;
    case data_type::datetime_type:
    case data_type::date_type:
      converted = to_datetime_text(text);
      break;
    case data_type::bit_type:
      converted = is_blank(text) ? "0" : "1";
      break;
  }
  if (converted) {
    out.present = true;
    out.text = std::move(*converted);
  }
  return out;
}

column_rule::working column_rule::default_or_absent() const {
  // Only a non-empty default replaces a blank value inside the chain.
  if (spec_->default_value && !spec_->default_value->empty()) {
    return convert_plain(*spec_->default_value);
  }
  return {};
}

column_rule::working column_rule::apply_step(mapping_kind kind,
                                             working current,
                                             bool& failed) const {
  switch (kind) {
    case mapping_kind::enum_lookup:
      return lookup_enum(current, failed);
    case mapping_kind::char_to_bit:
    case mapping_kind::boolean_to_bit:
      return lookup_bit(kind, current);
    default:
      break;
  }
  if (!current.present || is_blank(current.text)) {
    return default_or_absent();
  }
  if (kind == mapping_kind::numbers_only ||
      kind == mapping_kind::extract_numeric) {
    return extract_digits(current);
  }
  return convert_plain(current.text);
}

column_rule::working column_rule::lookup_enum(const working& current,
                                              bool& failed) const {
  std::string key(trim(current.present ? current.text : std::string()));
  working out;
  out.present = true;

  // Exact key, then the same key in another case, then the table's entry
  // for the empty key, which acts as its default.
  for (bool ignore_case : {false, true}) {
    if (const auto* code = find_entry(enum_codes_, key, ignore_case)) {
      out.text = std::to_string(*code);
      return out;
    }
    if (const auto* text = find_entry(enum_texts_, key, ignore_case)) {
      out.is_text = true;
      out.text = *text;
      return out;
    }
  }
  if (const auto* code = find_entry(enum_codes_, std::string(), false)) {
    out.text = std::to_string(*code);
    return out;
  }

  // No code: a nullable column stays empty; a NOT NULL one takes the
  // contract default or cannot be filled.
  out.present = false;
  if (!spec_->nullable) {
    if (spec_->default_value) {
      out.present = true;
      out.is_text = true;
      out.text = *spec_->default_value;
    } else {
      failed = true;
    }
  }
  return out;
}

column_rule::working column_rule::lookup_bit(mapping_kind kind,
                                             const working& current) const {
  std::string_view text = current.present ? trim(current.text) : "";
  working out;
  out.present = true;
  out.text = "0";
  if (kind == mapping_kind::char_to_bit && char_bits_ != nullptr) {
    auto it = char_bits_->find(std::string(text));
    if (it == char_bits_->end()) {
      it = char_bits_->find(upper(text));
    }
    if (it != char_bits_->end()) {
      out.text = it->second != 0 ? "1" : "0";
    }
  } else if (kind == mapping_kind::boolean_to_bit && boolean_bits_ != nullptr) {
    auto it = boolean_bits_->find(lower(text));
    if (it != boolean_bits_->end()) {
      out.text = it->second != 0 ? "1" : "0";
    }
  }
  return out;
}

column_rule::working column_rule::extract_digits(const working& current) const {
  // All digits of the text form one whole number, which then converts to
  // the column's type (leading zeros do not survive, as in the source
  // system).
  auto number = digits_as_integer(current.text);
  if (!number) {
    return {};
  }
  if (spec_->type == data_type::string_type) {
    working out;
    out.present = true;
    out.is_text = true;
    out.text = std::move(*number);
    return out;
  }
  if (spec_->type == data_type::bit_type) {
    working out;
    out.present = true;
    out.text = *number == "0" ? "0" : "1";
    return out;
  }
  return convert_plain(*number);
}

column_rule::working column_rule::convert_selected(working value) const {
  // A selected attribute that exists but is blank stays an empty value
  // (NULL in a produced column); other text converts to the data type.
  if (!value.present || is_blank(value.text)) {
    value.text.clear();
    return value;
  }
  std::optional<std::string> converted;
  if (is_integer_type(spec_->type)) {
    converted = to_rounded_integer_text(value.text);
  } else if (spec_->type == data_type::decimal_type) {
    converted = to_decimal_text(value.text, default_decimal_scale);
  } else {
    return convert_plain(value.text);
  }
  working out;
  if (converted) {
    out.present = true;
    out.text = std::move(*converted);
  }
  return out;
}

column_rule::working column_rule::convert_calculated(working value) const {
  // An empty text result stays an empty string column; for other types it
  // is no value. Numbers round half up to integer columns.
  if (!value.present) {
    return value;
  }
  if (is_blank(value.text)) {
    if (spec_->type == data_type::string_type) {
      value.text.clear();
      return value;
    }
    return {};
  }
  if (is_integer_type(spec_->type)) {
    working out;
    if (auto converted = to_rounded_integer_text(value.text)) {
      out.present = true;
      out.text = std::move(*converted);
    }
    return out;
  }
  return convert_plain(value.text);
}

column_rule::working column_rule::convert_untyped(
    std::optional<std::string_view> raw) const {
  if (!raw || is_blank(*raw)) {
    return default_or_absent();
  }
  working out;
  std::optional<std::string> converted;
  if (is_integer_type(spec_->type)) {
    converted = to_integer_text_lenient(*raw);
  } else if (spec_->type == data_type::decimal_type) {
    converted = to_decimal_text(
        *raw, spec_->data_length.value_or(default_decimal_scale));
  } else {
    return convert_plain(*raw);
  }
  if (converted) {
    out.present = true;
    out.text = std::move(*converted);
  }
  return out;
}

bool column_rule::is_zero(const std::string& text) const {
  if (is_integer_type(spec_->type)) {
    return text == "0";
  }
  if (spec_->type == data_type::decimal_type) {
    return text == "0.0" || text == "-0.0";
  }
  return spec_->type == data_type::bit_type && text == "0";
}

void column_rule::finish_text(working& value) const {
  if (!value.present || !value.is_text) {
    return;
  }
  std::string_view text = value.text;
  std::string digits;
  if (numbers_only_) {
    digits = digits_only(text);
    text = digits;
  }
  text = trim(text);
  if (spec_->data_length && *spec_->data_length >= 0) {
    text = trim(truncate_chars(
        text, static_cast<std::size_t>(*spec_->data_length)));
  }
  value.text = std::string(text);
}

}  // namespace xmlshred::domain
