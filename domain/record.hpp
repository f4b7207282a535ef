#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/failure_category.hpp"

namespace xmlshred::domain {

/// The key of a record: the application id read by the contract's identity
/// mapping. Source tables are paged in ascending key order.
using record_key = std::int64_t;

/// One value bound to a column: the canonical text of the value, or
/// std::nullopt for SQL NULL. Integers and enum codes are decimal text, bits
/// "0"/"1", decimals the shortest round-trip text of the double, datetimes
/// "YYYY-MM-DD HH:MM:SS[.ffffff]", strings already truncated to data_length.
using cell = std::optional<std::string>;

/// A document as read from the source, before any parsing.
struct source_record {
  record_key key = 0;
  /// The raw document text exactly as stored in the source table.
  std::string xml;
  /// How many times processing of this record has started, this one
  /// included; 1 on the first try.
  int attempt = 1;
};

/// The rows one record produced for one target table. Every row has one
/// cell per entry of `columns`, in the same order.
struct table_rows {
  std::string table;
  std::vector<std::string> columns;
  std::vector<std::vector<cell>> rows;
};

/// What the transformation of one record produced.
enum class record_status {
  /// Rows were produced (and, once written, inserted).
  converted,
  /// The document was refused by a rule before mapping (wrong root, other
  /// product line, not well-formed, no key).
  rejected,
  /// Mapping or writing failed for this record.
  failed,
};

std::string_view to_string(record_status status);

/// The result of transforming one record, handed from transformer to writer.
/// For `converted` the tables hold the rows in the contract's
/// table_insertion_order; otherwise `tables` is empty and category/message
/// say why. A message never contains a field value of the document.
struct record_outcome {
  record_key key = 0;
  record_status status = record_status::converted;
  std::optional<failure_category> category;
  std::string message;
  int attempts = 1;
  /// Name of the contract that converted the record, empty if none did.
  std::string contract_name;
  std::vector<table_rows> tables;
  /// Data-quality remarks that do not stop the conversion (e.g. a contact
  /// skipped); they go to the processing log's message column.
  std::vector<std::string> notes;
  /// When processing of the record started (wall clock) and how long the
  /// transformation took; filled in by the pipeline.
  std::chrono::system_clock::time_point started_at{};
  std::chrono::microseconds duration{0};

  /// Number of rows over all tables.
  std::size_t row_count() const;
};

/// A converted outcome for `key` with the given tables.
record_outcome converted_outcome(record_key key, std::vector<table_rows> tables);

/// A rejected or failed outcome for `key`.
record_outcome unconverted_outcome(record_key key, record_status status,
                                   failure_category category,
                                   std::string message);

}  // namespace xmlshred::domain
