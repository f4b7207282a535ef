#include "domain/record.hpp"

#include <utility>

namespace xmlshred::domain {

std::string_view to_string(record_status status) {
  switch (status) {
    case record_status::converted:
      return "converted";
    case record_status::rejected:
      return "rejected";
    case record_status::failed:
      return "failed";
  }
  return "failed";
}

std::size_t record_outcome::row_count() const {
  std::size_t total = 0;
  for (const auto& table : tables) {
    total += table.rows.size();
  }
  return total;
}

record_outcome converted_outcome(record_key key,
                                 std::vector<table_rows> tables) {
  record_outcome outcome;
  outcome.key = key;
  outcome.status = record_status::converted;
  outcome.tables = std::move(tables);
  return outcome;
}

record_outcome unconverted_outcome(record_key key, record_status status,
                                   failure_category category,
                                   std::string message) {
  record_outcome outcome;
  outcome.key = key;
  outcome.status = status;
  outcome.category = category;
  outcome.message = std::move(message);
  return outcome;
}

}  // namespace xmlshred::domain
