#include "domain/contract_checks.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "domain/expression.hpp"

namespace xmlshred::domain {
namespace {

constexpr std::array<std::pair<std::string_view, data_type>, 9> type_names{{
    {"string", data_type::string_type},
    {"int", data_type::int_type},
    {"smallint", data_type::smallint_type},
    {"tinyint", data_type::tinyint_type},
    {"bigint", data_type::bigint_type},
    {"bit", data_type::bit_type},
    {"decimal", data_type::decimal_type},
    {"datetime", data_type::datetime_type},
    {"date", data_type::date_type},
}};

bool in_list(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

/// Collects the findings of the cross-checks for one contract.
class contract_checker {
 public:
  contract_checker(const contract& rules,
                   std::vector<contract_problem>& problems)
      : rules_(rules), problems_(problems) {}

  void run();

 private:
  void problem(std::string path, std::string message) {
    problems_.push_back({std::move(path), std::move(message)});
  }
  void check_top_level();
  void check_mapping(const mapping_spec& spec);
  void check_mapping_kind(const mapping_spec& spec, std::size_t position);
  void check_table(const std::string& table, const std::string& path);
  void check_path(const std::string& xml_path, const std::string& path);
  void check_filter_rules();
  void check_relationships();

  const contract& rules_;
  std::vector<contract_problem>& problems_;
};

void contract_checker::run() {
  check_top_level();
  for (const auto& spec : rules_.mappings) {
    check_mapping(spec);
  }
  check_filter_rules();
  check_relationships();
}

void contract_checker::check_top_level() {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < rules_.table_insertion_order.size(); ++i) {
    const auto& table = rules_.table_insertion_order[i];
    if (!seen.insert(table).second) {
      problem("/table_insertion_order/" + std::to_string(i),
              "table \"" + table + "\" is listed twice; keep one entry");
    }
  }
  if (!rules_.xml_application_path.empty()) {
    check_path(rules_.xml_application_path, "/xml_application_path");
  }

  // The record key comes from an identity_insert mapping; without one no
  // document can be keyed.
  bool has_key = std::any_of(
      rules_.mappings.begin(), rules_.mappings.end(),
      [](const mapping_spec& spec) {
        return std::any_of(spec.kinds.begin(), spec.kinds.end(),
                           [](const mapping_type_ref& type) {
                             return type.kind == mapping_kind::identity_insert;
                           });
      });
  if (!has_key && !rules_.mappings.empty()) {
    problem("/mappings", "no mapping has mapping_type identity_insert; mark "
                         "the mapping of the record key (e.g. the "
                         "application id) with it");
  }
}

void contract_checker::check_table(const std::string& table,
                                   const std::string& path) {
  if (!table.empty() && !in_list(rules_.table_insertion_order, table)) {
    problem(path, "table \"" + table + "\" is not in table_insertion_order; "
                  "add it there or correct the name");
  }
}

void contract_checker::check_path(const std::string& xml_path,
                                  const std::string& path) {
  if (rules_.xml_root_element.empty()) {
    return;
  }
  std::string root = "/" + rules_.xml_root_element;
  if (xml_path != root && !starts_with(xml_path, root + "/")) {
    problem(path, "expected an absolute element path starting with " + root);
  }
}

void contract_checker::check_mapping(const mapping_spec& spec) {
  std::string path = "/mappings/" + std::to_string(spec.index);
  check_table(spec.target_table, path + "/target_table");
  if (!spec.xml_path.empty()) {
    check_path(spec.xml_path, path + "/xml_path");
  }
  bool row_creating =
      std::any_of(spec.kinds.begin(), spec.kinds.end(),
                  [](const mapping_type_ref& t) { return creates_rows(t.kind); });
  if (spec.target_column.empty() && !row_creating) {
    problem(path + "/target_column",
            "empty target_column is allowed only with a row-creating "
            "mapping type (add_history, add_score(...), ...); name the "
            "column");
  }
  for (std::size_t i = 0; i < spec.kinds.size(); ++i) {
    check_mapping_kind(spec, i);
  }
}

void contract_checker::check_mapping_kind(const mapping_spec& spec,
                                          std::size_t position) {
  std::string path = "/mappings/" + std::to_string(spec.index);
  const mapping_type_ref& type = spec.kinds[position];
  switch (type.kind) {
    case mapping_kind::enum_lookup: {
      const std::string& name = enum_table_name(spec);
      bool known = rules_.enum_mappings.count(name) != 0 ||
                   rules_.enum_text_mappings.count(name) != 0;
      if (!known && !name.empty()) {
        problem(path + (spec.enum_name ? "/enum_name" : "/target_column"),
                "enum table \"" + name + "\" does not exist in "
                "enum_mappings; add it there or set enum_name to an "
                "existing table");
      }
      break;
    }
    case mapping_kind::char_to_bit:
    case mapping_kind::boolean_to_bit: {
      std::string name(base_name(type.kind));
      if (rules_.bit_conversions.count(name) == 0) {
        problem(path + "/mapping_type/" + std::to_string(position),
                "bit conversion \"" + name + "\" is missing from "
                "bit_conversions; add its table of values");
      }
      break;
    }
    case mapping_kind::calculated_field: {
      if (!spec.expression || spec.expression->empty()) {
        problem(path + "/expression",
                "calculated_field needs a non-empty expression");
        break;
      }
      auto parsed = parse_expression(*spec.expression);
      if (parsed.error) {
        problem(path + "/expression",
                "the expression does not parse at character " +
                    std::to_string(parsed.error->position) + ": " +
                    parsed.error->message +
                    " (see docs/expressions.md for the language)");
      }
      break;
    }
    default:
      break;
  }
}

void contract_checker::check_filter_rules() {
  for (std::size_t i = 0; i < rules_.filter_rules.size(); ++i) {
    const filter_rule& rule = rules_.filter_rules[i];
    std::string path = "/element_filtering/filter_rules/" + std::to_string(i);
    if (!rule.xml_parent_path.empty()) {
      check_path(rule.xml_parent_path, path + "/xml_parent_path");
    }
    if (rule.xml_child_path.empty()) {
      continue;
    }
    check_path(rule.xml_child_path, path + "/xml_child_path");
    if (!rule.xml_parent_path.empty() &&
        !starts_with(rule.xml_child_path, rule.xml_parent_path + "/")) {
      problem(path + "/xml_child_path",
              "the child path must lie below xml_parent_path");
    }
  }
}

void contract_checker::check_relationships() {
  for (std::size_t i = 0; i < rules_.relationships.size(); ++i) {
    const relationship& link = rules_.relationships[i];
    std::string path = "/relationships/" + std::to_string(i);
    check_table(link.parent_table, path + "/parent_table");
    check_table(link.child_table, path + "/child_table");
  }
}

}  // namespace

std::optional<data_type> parse_data_type(std::string_view text) {
  for (const auto& [name, type] : type_names) {
    if (name == text) {
      return type;
    }
  }
  return std::nullopt;
}

std::string_view known_data_types_text() {
  return "string, int, smallint, tinyint, bigint, bit, decimal, datetime, "
         "date";
}

std::string_view known_mapping_types_text() {
  return "identity_insert, enum, char_to_bit, boolean_to_bit, numbers_only, "
         "extract_numeric, extract_date, calculated_field, "
         "last_valid_pr_contact, last_valid_sec_contact, curr_address_only, "
         "authu_contact, add_history, add_score(NAME), add_indicator(NAME), "
         "add_report_lookup(KEY), add_collateral(N), warranty_field(N), "
         "policy_exceptions(N)";
}

const std::string& enum_table_name(const mapping_spec& spec) {
  return spec.enum_name ? *spec.enum_name : spec.target_column;
}

void check_contract(const contract& rules,
                    std::vector<contract_problem>& problems) {
  contract_checker(rules, problems).run();
}

bool mapping_supported(const mapping_spec& spec) {
  return std::all_of(
      spec.kinds.begin(), spec.kinds.end(),
      [](const mapping_type_ref& type) { return mapper_supports(type.kind); });
}

std::optional<std::string> unsupported_mappings_warning(
    const contract& rules) {
  // Count skipped mappings and name each unsupported type once, in the
  // order the contract first uses it.
  std::size_t skipped = 0;
  std::vector<std::string_view> names;
  for (const auto& spec : rules.mappings) {
    if (mapping_supported(spec)) {
      continue;
    }
    ++skipped;
    for (const auto& type : spec.kinds) {
      if (!mapper_supports(type.kind) &&
          std::find(names.begin(), names.end(), base_name(type.kind)) ==
              names.end()) {
        names.push_back(base_name(type.kind));
      }
    }
  }
  if (skipped == 0) {
    return std::nullopt;
  }
  std::string text = std::to_string(skipped) + " mappings of types ";
  for (std::size_t i = 0; i < names.size(); ++i) {
    text += (i == 0 ? "" : ", ") + std::string(names[i]);
  }
  return text + " skipped";
}

}  // namespace xmlshred::domain
