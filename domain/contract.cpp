#include "domain/contract.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <utility>

#include <nlohmann/json.hpp>

#include "domain/contract_checks.hpp"

namespace xmlshred::domain {
namespace {

using json = nlohmann::ordered_json;

/// Reads the JSON tree into a contract, recording a problem (with its JSON
/// path) for every missing key or wrong type instead of stopping at the
/// first one.
class contract_reader {
 public:
  explicit contract_reader(std::vector<contract_problem>& problems)
      : problems_(problems) {}

  void read(const json& root, contract& out);

 private:
  void problem(std::string path, std::string message) {
    problems_.push_back({std::move(path), std::move(message)});
  }

  const json* member(const json& object, const std::string& path,
                     std::string_view key, bool required);
  std::string text(const json& object, const std::string& path,
                   std::string_view key, bool required);
  bool flag(const json& object, const std::string& path, std::string_view key,
            bool fallback);
  std::vector<std::string> text_list(const json& object,
                                     const std::string& path,
                                     std::string_view key, bool required);

  void read_mapping(const json& node, std::size_t index, mapping_spec& out);
  void read_mapping_types(const json& node, const std::string& path,
                          mapping_spec& out);
  void read_default(const json& node, const std::string& path,
                    mapping_spec& out);
  void read_filter_rules(const json& root, contract& out);
  void read_required_attributes(const json& node, const std::string& path,
                                filter_rule& rule);
  void read_relationships(const json& root, contract& out);
  void read_enums(const json& root, contract& out);
  void read_bit_conversions(const json& root, contract& out);

  std::vector<contract_problem>& problems_;
};

std::string type_name(const json& value) { return value.type_name(); }

const json* contract_reader::member(const json& object,
                                    const std::string& path,
                                    std::string_view key, bool required) {
  auto found = object.find(std::string(key));
  if (found == object.end()) {
    if (required) {
      problem(path + "/" + std::string(key),
              "required key is missing; add \"" + std::string(key) + "\"");
    }
    return nullptr;
  }
  return &*found;
}

std::string contract_reader::text(const json& object, const std::string& path,
                                  std::string_view key, bool required) {
  const json* value = member(object, path, key, required);
  if (value == nullptr) {
    return {};
  }
  if (!value->is_string()) {
    problem(path + "/" + std::string(key),
            "expected a string, found " + type_name(*value));
    return {};
  }
  return value->get<std::string>();
}

bool contract_reader::flag(const json& object, const std::string& path,
                           std::string_view key, bool fallback) {
  const json* value = member(object, path, key, false /*required*/);
  if (value == nullptr || value->is_null()) {
    return fallback;
  }
  if (!value->is_boolean()) {
    problem(path + "/" + std::string(key),
            "expected true or false, found " + type_name(*value));
    return fallback;
  }
  return value->get<bool>();
}

std::vector<std::string> contract_reader::text_list(const json& object,
                                                    const std::string& path,
                                                    std::string_view key,
                                                    bool required) {
  std::vector<std::string> result;
  const json* value = member(object, path, key, required);
  if (value == nullptr) {
    return result;
  }
  std::string list_path = path + "/" + std::string(key);
  if (!value->is_array()) {
    problem(list_path, "expected an array of strings, found " +
                           type_name(*value));
    return result;
  }
  for (std::size_t i = 0; i < value->size(); ++i) {
    const json& item = (*value)[i];
    if (!item.is_string()) {
      problem(list_path + "/" + std::to_string(i),
              "expected a string, found " + type_name(item));
      continue;
    }
    result.push_back(item.get<std::string>());
  }
  return result;
}

void contract_reader::read(const json& root, contract& out) {
  if (!root.is_object()) {
    problem("", "the contract must be a JSON object, found " +
                    type_name(root));
    return;
  }
  out.xml_root_element = text(root, "", "xml_root_element", true);
  out.xml_application_path = text(root, "", "xml_application_path", true);
  out.source_table = text(root, "", "source_table", true);
  out.source_column = text(root, "", "source_column", true);
  out.source_application_table =
      text(root, "", "source_application_table", false);
  out.target_schema = text(root, "", "target_schema", false);
  out.table_insertion_order =
      text_list(root, "", "table_insertion_order", true);

  // Mappings: each entry is read on its own so one bad entry does not hide
  // problems in the others.
  if (const json* mappings = member(root, "", "mappings", true)) {
    if (!mappings->is_array()) {
      problem("/mappings", "expected an array of mapping objects, found " +
                               type_name(*mappings));
    } else {
      for (std::size_t i = 0; i < mappings->size(); ++i) {
        mapping_spec spec;
        read_mapping((*mappings)[i], i, spec);
        out.mappings.push_back(std::move(spec));
      }
    }
  }

  read_filter_rules(root, out);
  read_relationships(root, out);
  read_enums(root, out);
  read_bit_conversions(root, out);
}

void contract_reader::read_mapping(const json& node, std::size_t index,
                                   mapping_spec& out) {
  std::string path = "/mappings/" + std::to_string(index);
  out.index = index;
  if (!node.is_object()) {
    problem(path, "expected a mapping object, found " + type_name(node));
    return;
  }
  out.xml_path = text(node, path, "xml_path", true);
  out.xml_attribute = text(node, path, "xml_attribute", true);
  out.target_table = text(node, path, "target_table", true);
  out.target_column = text(node, path, "target_column", true);
  std::string type_text = text(node, path, "data_type", true);
  if (node.contains("data_type") && node["data_type"].is_string()) {
    if (auto type = parse_data_type(type_text)) {
      out.type = *type;
    } else {
      problem(path + "/data_type",
              "unknown data type \"" + type_text + "\"; use one of " +
                  std::string(known_data_types_text()));
    }
  }
  if (const json* length = member(node, path, "data_length", false)) {
    if (length->is_number_integer()) {
      out.data_length = length->get<int>();
    } else if (!length->is_null()) {
      problem(path + "/data_length",
              "expected an integer (-1 for unlimited), found " +
                  type_name(*length));
    }
  }
  read_mapping_types(node, path, out);
  read_default(node, path, out);
  out.exclude_default_when_record_empty =
      flag(node, path, "exclude_default_when_record_empty", false);
  out.nullable = flag(node, path, "nullable", true);
  out.required = flag(node, path, "required", false);
  if (node.contains("expression") && !node["expression"].is_null()) {
    out.expression = text(node, path, "expression", false);
  }
  if (node.contains("enum_name") && !node["enum_name"].is_null()) {
    out.enum_name = text(node, path, "enum_name", false);
  }
}

void contract_reader::read_mapping_types(const json& node,
                                         const std::string& path,
                                         mapping_spec& out) {
  const json* types = member(node, path, "mapping_type", false);
  if (types == nullptr || types->is_null()) {
    return;
  }
  std::string list_path = path + "/mapping_type";
  if (types->is_string()) {
    // A single type may be written as a plain string.
    out.mapping_types.push_back(types->get<std::string>());
  } else if (types->is_array()) {
    out.mapping_types = text_list(node, path, "mapping_type", false);
  } else {
    problem(list_path, "expected an array of mapping type names, found " +
                           type_name(*types));
    return;
  }
  for (std::size_t i = 0; i < out.mapping_types.size(); ++i) {
    const std::string& name = out.mapping_types[i];
    if (auto parsed = parse_mapping_type(name)) {
      out.kinds.push_back(std::move(*parsed));
    } else {
      problem(list_path + "/" + std::to_string(i),
              "unknown mapping type \"" + name + "\"; use one of " +
                  std::string(known_mapping_types_text()));
    }
  }
}

void contract_reader::read_default(const json& node, const std::string& path,
                                   mapping_spec& out) {
  const json* value = member(node, path, "default_value", false);
  if (value == nullptr || value->is_null()) {
    return;
  }
  // Defaults are canonical text; numbers and booleans written unquoted are
  // accepted and turned into text.
  if (value->is_string()) {
    out.default_value = value->get<std::string>();
  } else if (value->is_number_integer()) {
    out.default_value = std::to_string(value->get<std::int64_t>());
  } else if (value->is_number()) {
    out.default_value = value->dump();
  } else if (value->is_boolean()) {
    out.default_value = value->get<bool>() ? "1" : "0";
  } else {
    problem(path + "/default_value",
            "expected a string, number or null, found " + type_name(*value));
  }
}

void contract_reader::read_filter_rules(const json& root, contract& out) {
  const json* filtering = member(root, "", "element_filtering", false);
  if (filtering == nullptr || filtering->is_null()) {
    return;
  }
  if (!filtering->is_object()) {
    problem("/element_filtering",
            "expected an object with \"filter_rules\", found " +
                type_name(*filtering));
    return;
  }
  const json* rules =
      member(*filtering, "/element_filtering", "filter_rules", true);
  if (rules == nullptr) {
    return;
  }
  if (!rules->is_array()) {
    problem("/element_filtering/filter_rules",
            "expected an array, found " + type_name(*rules));
    return;
  }
  for (std::size_t i = 0; i < rules->size(); ++i) {
    std::string path = "/element_filtering/filter_rules/" + std::to_string(i);
    const json& node = (*rules)[i];
    if (!node.is_object()) {
      problem(path, "expected a filter rule object, found " + type_name(node));
      continue;
    }
    filter_rule rule;
    rule.element_type = text(node, path, "element_type", true);
    rule.xml_parent_path = text(node, path, "xml_parent_path", true);
    rule.xml_child_path = text(node, path, "xml_child_path", true);
    read_required_attributes(node, path, rule);
    out.filter_rules.push_back(std::move(rule));
  }
}

void contract_reader::read_required_attributes(const json& node,
                                               const std::string& path,
                                               filter_rule& rule) {
  const json* attributes = member(node, path, "required_attributes", true);
  if (attributes == nullptr) {
    return;
  }
  std::string attributes_path = path + "/required_attributes";
  if (!attributes->is_object()) {
    problem(attributes_path,
            "expected an object, found " + type_name(*attributes));
    return;
  }
  // `true`: the attribute must be present and not blank; a list: its value
  // must be one of the listed ones.
  for (const auto& [name, allowed] : attributes->items()) {
    if (allowed.is_boolean() && allowed.get<bool>()) {
      rule.required_attributes[name] = {};
    } else if (allowed.is_array() && !allowed.empty()) {
      rule.required_attributes[name] =
          text_list(*attributes, attributes_path, name, true);
    } else {
      problem(attributes_path + "/" + name,
              "expected true (must be present) or a non-empty array of "
              "allowed values, found " + type_name(allowed));
    }
  }
}

void contract_reader::read_relationships(const json& root, contract& out) {
  const json* list = member(root, "", "relationships", false);
  if (list == nullptr || list->is_null()) {
    return;
  }
  if (!list->is_array()) {
    problem("/relationships", "expected an array, found " + type_name(*list));
    return;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    std::string path = "/relationships/" + std::to_string(i);
    const json& node = (*list)[i];
    if (!node.is_object()) {
      problem(path, "expected a relationship object, found " +
                        type_name(node));
      continue;
    }
    relationship link;
    link.parent_table = text(node, path, "parent_table", true);
    link.child_table = text(node, path, "child_table", true);
    link.foreign_key_column = text(node, path, "foreign_key_column", true);
    link.xml_parent_path = text(node, path, "xml_parent_path", true);
    link.xml_child_path = text(node, path, "xml_child_path", true);
    out.relationships.push_back(std::move(link));
  }
}

void contract_reader::read_enums(const json& root, contract& out) {
  const json* enums = member(root, "", "enum_mappings", false);
  if (enums == nullptr || enums->is_null()) {
    return;
  }
  if (!enums->is_object()) {
    problem("/enum_mappings", "expected an object of enum tables, found " +
                                  type_name(*enums));
    return;
  }
  for (const auto& [name, table] : enums->items()) {
    std::string path = "/enum_mappings/" + name;
    if (!table.is_object()) {
      problem(path, "expected an object mapping source text to a code, "
                    "found " + type_name(table));
      continue;
    }
    auto& codes = out.enum_mappings[name];
    for (const auto& [source, code] : table.items()) {
      if (code.is_number_integer()) {
        codes[source] = code.get<std::int64_t>();
      } else if (code.is_string()) {
        out.enum_text_mappings[name][source] = code.get<std::string>();
      } else {
        problem(path + "/" + source,
                "expected an integer code or a text value, found " +
                    type_name(code));
      }
    }
  }
}

void contract_reader::read_bit_conversions(const json& root, contract& out) {
  const json* conversions = member(root, "", "bit_conversions", false);
  if (conversions == nullptr || conversions->is_null()) {
    return;
  }
  if (!conversions->is_object()) {
    problem("/bit_conversions", "expected an object, found " +
                                    type_name(*conversions));
    return;
  }
  for (const auto& [name, table] : conversions->items()) {
    std::string path = "/bit_conversions/" + name;
    if (!table.is_object()) {
      problem(path, "expected an object mapping text to 0 or 1, found " +
                        type_name(table));
      continue;
    }
    auto& bits = out.bit_conversions[name];
    for (const auto& [source, bit] : table.items()) {
      if (bit.is_number_integer() &&
          (bit.get<int>() == 0 || bit.get<int>() == 1)) {
        bits[source] = bit.get<int>();
      } else {
        problem(path + "/" + source, "expected 0 or 1");
      }
    }
  }
}

/// "a/b/credit_card.json" -> "credit_card".
std::string file_stem(const std::string& file) {
  auto slash = file.find_last_of("/\\");
  std::string name = slash == std::string::npos ? file : file.substr(slash + 1);
  auto dot = name.find_last_of('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

/// Line and column (1-based) of a byte offset, for JSON syntax errors.
std::pair<std::size_t, std::size_t> line_and_column(const std::string& text,
                                                    std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

}  // namespace

const mapping_spec& contract::key_mapping() const {
  const mapping_spec* best = nullptr;
  std::size_t best_rank = table_insertion_order.size();
  for (const auto& spec : mappings) {
    bool identity = std::any_of(
        spec.kinds.begin(), spec.kinds.end(), [](const mapping_type_ref& t) {
          return t.kind == mapping_kind::identity_insert;
        });
    if (!identity) {
      continue;
    }
    auto position = std::find(table_insertion_order.begin(),
                              table_insertion_order.end(), spec.target_table);
    auto rank = static_cast<std::size_t>(
        std::distance(table_insertion_order.begin(), position));
    if (best == nullptr || rank < best_rank) {
      best = &spec;
      best_rank = rank;
    }
  }
  if (best == nullptr) {
    // The loader refuses contracts without one, so this is a programming
    // error (a contract built by hand).
    throw std::logic_error("contract has no identity_insert mapping");
  }
  return *best;
}

const std::string& contract::key_column() const {
  return key_mapping().target_column;
}

contract_load_result parse_contract(const std::string& json_text,
                                    const std::string& file) {
  contract_load_result result;
  json root;
  try {
    root = json::parse(json_text);
  } catch (const json::parse_error& error) {
    auto [line, column] =
        line_and_column(json_text, error.byte > 0 ? error.byte - 1 : 0);
    result.problems.push_back(
        {"", "malformed JSON at line " + std::to_string(line) + ", column " +
                 std::to_string(column) + ": " + error.what()});
    return result;
  }

  contract loaded;
  loaded.file = file;
  loaded.name = file_stem(file);
  contract_reader reader(result.problems);
  reader.read(root, loaded);

  // Cross-checks run even after read problems so that one load reports
  // everything; they skip fields that could not be read.
  check_contract(loaded, result.problems);
  if (!result.problems.empty()) {
    return result;
  }
  if (auto warning = unsupported_mappings_warning(loaded)) {
    result.warnings.push_back(std::move(*warning));
  }
  result.loaded = std::move(loaded);
  return result;
}

contract_load_result load_contract_file(const std::string& path) {
  std::ifstream input(path, std::ios::binary);
  if (!input) {
    contract_load_result result;
    result.problems.push_back(
        {"", "cannot read contract file " + path +
                 "; check the path and its permissions"});
    return result;
  }
  std::ostringstream content;
  content << input.rdbuf();
  return parse_contract(content.str(), path);
}

}  // namespace xmlshred::domain
