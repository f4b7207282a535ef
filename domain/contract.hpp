#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/mapping_type.hpp"

namespace xmlshred::domain {

/// Column data types a mapping may convert to.
enum class data_type {
  string_type,
  int_type,
  smallint_type,
  tinyint_type,
  bigint_type,
  bit_type,
  decimal_type,
  datetime_type,
  date_type,
};

/// One entry of the contract's `mappings` array: where a value comes from
/// in the document and which column it lands in.
struct mapping_spec {
  /// Position in the contract's `mappings` array, for error messages.
  std::size_t index = 0;
  std::string xml_path;
  std::string xml_attribute;
  std::string target_table;
  /// Empty for key-value mapping types (history, scores, ...).
  std::string target_column;
  data_type type = data_type::string_type;
  /// Maximum length for strings (-1: unlimited); decimal scale for decimals.
  std::optional<int> data_length;
  /// Mapping types exactly as written, e.g. "enum", "add_score(TU_DIE)".
  std::vector<std::string> mapping_types;
  /// The same types parsed, in the same order (filled by the loader).
  std::vector<mapping_type_ref> kinds;
  std::optional<std::string> default_value;
  bool exclude_default_when_record_empty = false;
  bool nullable = true;
  bool required = false;
  std::optional<std::string> expression;
  /// Explicit enum table name overriding the one derived from the column.
  std::optional<std::string> enum_name;
};

/// One rule of `element_filtering.filter_rules`: which child elements are
/// valid rows (e.g. contacts with a con_id and a listed role).
struct filter_rule {
  std::string element_type;
  std::string xml_parent_path;
  std::string xml_child_path;
  /// Attribute name -> allowed values; an empty list means "must be present
  /// and not blank" (written as `true` in the JSON).
  std::map<std::string, std::vector<std::string>> required_attributes;
};

/// One entry of `relationships`: a child table keyed by a parent's column.
struct relationship {
  std::string parent_table;
  std::string child_table;
  std::string foreign_key_column;
  std::string xml_parent_path;
  std::string xml_child_path;
};

/// A loaded, validated mapping contract. Immutable after loading and safe to
/// share between threads.
struct contract {
  /// Short name, the file's stem (e.g. "credit_card").
  std::string name;
  /// The file the contract was read from, for messages.
  std::string file;
  std::string xml_root_element;
  std::string xml_application_path;
  std::string source_table;
  std::string source_column;
  std::string source_application_table;
  std::string target_schema;
  std::vector<std::string> table_insertion_order;
  std::vector<filter_rule> filter_rules;
  std::vector<mapping_spec> mappings;
  std::vector<relationship> relationships;
  /// enum name -> (source text -> code)
  std::map<std::string, std::map<std::string, std::int64_t>> enum_mappings;
  /// enum name -> (source text -> replacement text) for the entries whose
  /// value is text rather than a code (e.g. an officer code -> an e-mail).
  std::map<std::string, std::map<std::string, std::string>>
      enum_text_mappings;
  /// conversion name ("char_to_bit", ...) -> (source text -> 0/1)
  std::map<std::string, std::map<std::string, int>> bit_conversions;

  /// The identity mapping that yields the record key: the first
  /// `identity_insert` mapping whose table comes first in the insertion
  /// order (e.g. /Provenir/Request@ID -> app_base.app_id).
  const mapping_spec& key_mapping() const;
  /// The column name of the key in the source table and the log: the key
  /// mapping's target column (e.g. "app_id").
  const std::string& key_column() const;
};

/// One problem found while loading a contract.
struct contract_problem {
  /// JSON pointer-like path inside the file, e.g. "/mappings/12/data_type".
  std::string json_path;
  /// What is wrong and how to fix it; never a document value.
  std::string message;
};

/// The outcome of loading a contract: the contract, or every problem found.
struct contract_load_result {
  std::optional<contract> loaded;
  std::vector<contract_problem> problems;
  /// Non-fatal remarks, e.g. "12 mappings of types add_history, ... skipped".
  std::vector<std::string> warnings;
};

/// Parses and validates contract JSON text. `file` names the source in
/// messages; the contract's name is its stem.
[[nodiscard]] contract_load_result parse_contract(const std::string& json_text,
                                                  const std::string& file);

/// Reads `path` and calls parse_contract; an unreadable file is a problem.
[[nodiscard]] contract_load_result load_contract_file(const std::string& path);

}  // namespace xmlshred::domain
