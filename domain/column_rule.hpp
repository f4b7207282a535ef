#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/contract.hpp"
#include "domain/record.hpp"

namespace xmlshred::domain {

/// What one mapping yields for one row.
struct column_value {
  enum class outcome {
    /// No value and the column is nullable: the column is left out.
    omitted,
    /// A value (possibly NULL, for an empty string) for the column.
    produced,
    /// No usable value, the column is NOT NULL and has no default.
    missing_required,
  };
  outcome result = outcome::omitted;
  cell value;
  /// True when the value is the contract's default, not document data; a
  /// row holding only defaults and keys is not written.
  bool from_default = false;
  /// True when the value says little about the element it came from: a
  /// default, a key or a numeric zero (bits included). Rows of repeated
  /// elements (contacts, addresses, employments) holding only such values,
  /// besides the type code their filter rule checks, are not written.
  bool weak = false;
  /// True when the value is a numeric zero (bits included).
  bool zero = false;
};

/// The conversion chain of one value mapping (enum, bit conversions,
/// numbers_only, data type, length, default, nullability), prepared once
/// from the contract. Immutable and thread-safe after construction.
/// Precondition: every mapping type of `spec` is supported by the mapper
/// and its enum and bit tables exist (the loader checks both).
class column_rule {
 public:
  column_rule(const mapping_spec& spec, const contract& rules);

  /// Converts the attribute text (nullopt: attribute or element missing).
  /// For a calculated_field mapping `raw` is the rendered expression result
  /// (nullopt: NULL).
  column_value apply(std::optional<std::string_view> raw) const;

  const mapping_spec& spec() const { return *spec_; }

 private:
  /// A value between two steps of the chain: absent, text, or a number.
  struct working {
    bool present = false;
    bool is_text = false;
    std::string text;
  };

  working run_chain(working value, bool& failed, bool& from_default) const;
  column_value settle(working value, bool from_default) const;
  working convert_plain(std::string_view text) const;
  working default_or_absent() const;
  working apply_step(mapping_kind kind, working current, bool& failed) const;
  working lookup_enum(const working& current, bool& failed) const;
  working lookup_bit(mapping_kind kind, const working& current) const;
  working extract_digits(const working& current) const;
  working convert_untyped(std::optional<std::string_view> raw) const;
  working convert_selected(working value) const;
  working convert_calculated(working value) const;
  void finish_text(working& value) const;
  bool is_zero(const std::string& text) const;

  const mapping_spec* spec_;
  std::vector<mapping_kind> steps_;
  bool numbers_only_ = false;
  /// The column is a key (identity_insert), which alone makes no row.
  bool identity_ = false;
  const std::map<std::string, std::int64_t>* enum_codes_ = nullptr;
  const std::map<std::string, std::string>* enum_texts_ = nullptr;
  const std::map<std::string, int>* char_bits_ = nullptr;
  const std::map<std::string, int>* boolean_bits_ = nullptr;
};

}  // namespace xmlshred::domain
