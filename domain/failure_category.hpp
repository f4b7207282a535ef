#pragma once

#include <optional>
#include <string_view>

namespace xmlshred::domain {

/// Why a record did not convert. Each value ends up, as its text name, in the
/// `category` column of the processing log and in events.
enum class failure_category {
  /// The document text is not well-formed XML (or is cut off).
  not_well_formed,
  /// The document is empty or only whitespace.
  empty_document,
  /// The root element is not the one the contract expects.
  wrong_root,
  /// The record key (the contract's identity mapping) is missing or unreadable.
  missing_key,
  /// No loaded contract claims the document (another product line).
  unsupported_type,
  /// A required value is missing or cannot be converted to its data type.
  mapping,
  /// The database refused the record's rows (constraint, type, length).
  constraint,
  /// The transformer crashed on the record on every attempt.
  crash,
  /// The record exceeded its processing time budget.
  timeout,
  /// The whole process died while the record was in flight, too often.
  process_crash,
};

/// The stable text name of a category, e.g. "not_well_formed".
std::string_view to_string(failure_category category);

/// The category whose text name is `name`, if any.
std::optional<failure_category> parse_failure_category(std::string_view name);

}  // namespace xmlshred::domain
