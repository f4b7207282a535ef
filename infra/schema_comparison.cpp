#include "infra/schema_comparison.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include "domain/contract_checks.hpp"
#include "domain/key_value_rows.hpp"
#include "infra/schema_catalog.hpp"

namespace xmlshred::infra {
namespace {

/// data_length of a string mapping that keeps the whole text.
constexpr int unlimited_length = -1;

using column_list = std::vector<column_info>;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return text;
}

bool is_whole_number(domain::data_type type) {
  using domain::data_type;
  return type == data_type::int_type || type == data_type::smallint_type ||
         type == data_type::tinyint_type || type == data_type::bigint_type ||
         type == data_type::bit_type;
}

bool is_temporal(domain::data_type type) {
  return type == domain::data_type::date_type ||
         type == domain::data_type::datetime_type;
}

const column_info* find_column(const column_list& columns,
                               const std::string& name) {
  const auto wanted = lower(name);
  auto found =
      std::find_if(columns.begin(), columns.end(),
                   [&](const auto& c) { return lower(c.name) == wanted; });
  return found == columns.end() ? nullptr : &*found;
}

std::string mapping_path(const domain::mapping_spec& spec) {
  return "/mappings/" + std::to_string(spec.index);
}

/// Columns the mapper fills itself for a mapping kind, besides the key or
/// foreign key: the fixed columns of key-value rows and of slot rows
/// (collateral, warranty, policy exception), as the mapper names them.
std::vector<std::string> mapper_columns(domain::mapping_kind kind) {
  using domain::mapping_kind;
  switch (kind) {
    case mapping_kind::add_collateral:
      return {"sort_order"};
    case mapping_kind::warranty_field:
      return {"warranty_type_enum", "merrick_lienholder_flag"};
    case mapping_kind::policy_exceptions:
      return {"policy_exception_type_enum", "reason_code", "notes"};
    default:
      return domain::key_value_rule::columns_of(kind);
  }
}

/// Compares one contract with the target; findings go to `out`.
class contract_comparer {
 public:
  contract_comparer(target_inspector& target, const domain::contract& c,
                    std::vector<schema_finding>& out)
      : target_(target), contract_(c), out_(out) {}

  status compare() {
    auto tables = check_tables();
    if (!tables) {
      return tables.error();
    }
    for (const auto& spec : contract_.mappings) {
      if (domain::mapping_supported(spec)) {
        check_mapping(spec);
      }
    }
    check_relationships();
    check_not_null();
    return done{};
  }

 private:
  void add(bool warning, const std::string& path, const std::string& text) {
    out_.push_back(schema_finding{warning, contract_.file, path, text});
  }

  /// Reads the columns of every table of the insertion order; a table
  /// the target lacks is a finding and has no entry in columns_.
  status check_tables();
  void check_mapping(const domain::mapping_spec& spec);
  void check_value_column(const domain::mapping_spec& spec,
                          const column_list& columns);
  void check_relationships();
  void check_not_null();
  /// (table, column) pairs this contract fills, in lower case.
  std::set<std::pair<std::string, std::string>> filled_columns() const;
  void check_not_null_column(const std::string& table,
                             const column_info& column);

  const column_list* columns_of(const std::string& table) const {
    auto found = columns_.find(table);
    return found == columns_.end() ? nullptr : &found->second;
  }

  target_inspector& target_;
  const domain::contract& contract_;
  std::vector<schema_finding>& out_;
  std::map<std::string, column_list> columns_;
  /// Table -> its position in table_insertion_order, for paths.
  std::map<std::string, std::size_t> positions_;
};

status contract_comparer::check_tables() {
  const std::set<std::string> own{processing_log_table, runs_table,
                                  requeue_log_table};
  const auto& order = contract_.table_insertion_order;
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (own.count(order[i]) > 0) {
      continue;
    }
    positions_.emplace(order[i], i);
    auto exists = target_.has_table(order[i]);
    if (!exists) {
      return exists.error();
    }
    const auto path = "/table_insertion_order/" + std::to_string(i);
    if (!exists.value()) {
      add(false, path, "table " + order[i] + " does not exist in the target");
      continue;
    }
    auto columns = target_.columns(order[i]);
    if (!columns) {
      return columns.error();
    }
    columns_.emplace(order[i], std::move(columns.value()));
  }
  return done{};
}

void contract_comparer::check_mapping(const domain::mapping_spec& spec) {
  const auto* columns = columns_of(spec.target_table);
  if (columns == nullptr) {
    return;  // the missing table is already reported
  }

  // Row-creating kinds write fixed columns rather than target_column.
  std::vector<std::string> wanted;
  for (const auto& kind : spec.kinds) {
    if (domain::creates_rows(kind.kind)) {
      auto fixed = mapper_columns(kind.kind);
      wanted.insert(wanted.end(), fixed.begin(), fixed.end());
    }
  }
  for (const auto& name : wanted) {
    if (find_column(*columns, name) == nullptr) {
      add(false, mapping_path(spec),
          "table " + spec.target_table + " has no column " + name +
              ", which the mapping type fills");
    }
  }
  if (!spec.target_column.empty()) {
    check_value_column(spec, *columns);
  }
}

void contract_comparer::check_value_column(const domain::mapping_spec& spec,
                                           const column_list& columns) {
  const auto where = spec.target_table + "." + spec.target_column;
  const auto* column = find_column(columns, spec.target_column);
  if (column == nullptr) {
    add(false, mapping_path(spec), "column " + where +
                                       " does not exist in the target");
    return;
  }
  const auto mismatch = type_mismatch(spec.type, column->kind);
  if (!mismatch.empty()) {
    add(false, mapping_path(spec), "column " + where + ": " + mismatch);
  }

  // Only strings are cut to data_length; for decimals it is the scale.
  if (spec.type != domain::data_type::string_type || !column->max_length) {
    return;
  }
  const int limit = *column->max_length;
  const int length = spec.data_length.value_or(unlimited_length);
  if (length == unlimited_length) {
    add(true, mapping_path(spec),
        "column " + where + " holds " + std::to_string(limit) +
            " characters but the mapping keeps the whole text "
            "(data_length -1): longer values fail the record");
  } else if (length > limit) {
    add(false, mapping_path(spec),
        "column " + where + " holds " + std::to_string(limit) +
            " characters, less than the mapping's data_length " +
            std::to_string(length));
  }
}

void contract_comparer::check_relationships() {
  for (std::size_t i = 0; i < contract_.relationships.size(); ++i) {
    const auto& link = contract_.relationships[i];
    const auto* columns = columns_of(link.child_table);
    if (columns != nullptr &&
        find_column(*columns, link.foreign_key_column) == nullptr) {
      add(false, "/relationships/" + std::to_string(i),
          "table " + link.child_table + " has no column " +
              link.foreign_key_column + " for the foreign key");
    }
  }
}

std::set<std::pair<std::string, std::string>>
contract_comparer::filled_columns() const {
  std::set<std::pair<std::string, std::string>> filled;
  std::set<std::string> linked;
  for (const auto& link : contract_.relationships) {
    filled.emplace(link.child_table, lower(link.foreign_key_column));
    linked.insert(link.child_table);
  }
  for (const auto& spec : contract_.mappings) {
    if (!domain::mapping_supported(spec)) {
      continue;
    }
    // A table without a relationship is keyed by the record key.
    if (linked.count(spec.target_table) == 0) {
      filled.emplace(spec.target_table, lower(contract_.key_column()));
    }
    if (!spec.target_column.empty()) {
      filled.emplace(spec.target_table, lower(spec.target_column));
    }
    for (const auto& kind : spec.kinds) {
      for (const auto& name : mapper_columns(kind.kind)) {
        filled.emplace(spec.target_table, lower(name));
      }
    }
  }
  return filled;
}

// Only tables the contract writes rows to matter: a table listed in the
// insertion order without mappings never gets a row from this contract.
void contract_comparer::check_not_null() {
  std::set<std::string> written;
  for (const auto& spec : contract_.mappings) {
    if (domain::mapping_supported(spec)) {
      written.insert(spec.target_table);
    }
  }
  const auto filled = filled_columns();
  for (const auto& [table, columns] : columns_) {
    if (written.count(table) == 0) {
      continue;
    }
    for (const auto& column : columns) {
      const bool needs_value = column.not_null && !column.has_default &&
                               !column.generated && !column.database_assigned;
      if (needs_value && filled.count({table, lower(column.name)}) == 0) {
        check_not_null_column(table, column);
      }
    }
  }
}

void contract_comparer::check_not_null_column(const std::string& table,
                                              const column_info& column) {
  add(false, "/table_insertion_order/" + std::to_string(positions_[table]),
      "column " + table + "." + column.name +
          " is NOT NULL without a default and no mapping fills it");
}

}  // namespace

std::string type_mismatch(domain::data_type type, value_class kind) {
  const bool string = type == domain::data_type::string_type;
  const bool decimal = type == domain::data_type::decimal_type;
  switch (kind) {
    case value_class::text:
      return "";
    case value_class::integer:
      if (decimal) {
        return "a decimal mapping into an integer column loses the fraction";
      }
      return is_whole_number(type) ? "" : "the mapping's value is not a number";
    case value_class::decimal:
      return is_whole_number(type) || decimal
                 ? ""
                 : "the mapping's value is not a number";
    case value_class::boolean:
      return type == domain::data_type::bit_type
                 ? ""
                 : "only a bit mapping fits a boolean column";
    case value_class::temporal:
      return is_temporal(type) ? ""
             : string          ? "a string mapping into a date/time column"
                                 " fails on any text that is not a date"
                               : "the mapping's value is not a date";
  }
  return "";
}

result<std::vector<schema_finding>> compare_with_target(
    target_inspector& target,
    const std::vector<std::shared_ptr<const domain::contract>>& contracts) {
  std::vector<schema_finding> findings;
  for (const auto& c : contracts) {
    auto compared = contract_comparer(target, *c, findings).compare();
    if (!compared) {
      return compared.error();
    }
  }
  return findings;
}

}  // namespace xmlshred::infra
