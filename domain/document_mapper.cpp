#include "domain/document_mapper.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "domain/contract_checks.hpp"
#include "domain/mapping_plan.hpp"
#include "domain/value_conversion.hpp"

namespace xmlshred::domain {

using namespace mapping_detail;
namespace {

/// The row-creating type of a mapping (add_history, add_score, ...), if any.
std::optional<mapping_type_ref> row_creating_type(const mapping_spec& spec) {
  for (const auto& type : spec.kinds) {
    if (creates_rows(type.kind)) {
      return type;
    }
  }
  return std::nullopt;
}

/// The slot type of a mapping (add_collateral, warranty_field,
/// policy_exceptions), if any.
std::optional<mapping_type_ref> slot_type_of(const mapping_spec& spec) {
  for (const auto& type : spec.kinds) {
    if (type.kind == mapping_kind::add_collateral ||
        type.kind == mapping_kind::warranty_field ||
        type.kind == mapping_kind::policy_exceptions) {
      return type;
    }
  }
  return std::nullopt;
}

}  // namespace

document_mapper::impl::impl(std::shared_ptr<const contract> loaded)
    : rules(std::move(loaded)), filter(*rules) {
  application_path = element_path::parse(rules->xml_application_path);
  const mapping_spec& key = rules->key_mapping();
  key_path = element_path::parse(key.xml_path);
  key_attribute = key.xml_attribute;
  key_table = key.target_table;
  for (const auto& table : rules->table_insertion_order) {
    plan_table(table);
  }
}

std::size_t document_mapper::impl::path_slot(const element_path& path) {
  auto it = std::find(cached_paths.begin(), cached_paths.end(), path);
  if (it != cached_paths.end()) {
    return static_cast<std::size_t>(it - cached_paths.begin());
  }
  cached_paths.push_back(path);
  return cached_paths.size() - 1;
}

void document_mapper::impl::plan_table(const std::string& table) {
  table_plan plan;
  plan.name = table;
  plan.foreign_key = rules->key_column();

  // A table whose relationship points at a filtered element gets one row
  // per kept element; every other table gets one row per document.
  for (const auto& link : rules->relationships) {
    if (link.child_table != table) {
      continue;
    }
    if (auto rule = filter.rule_for_path(link.xml_child_path)) {
      plan.source = row_source::element;
      plan.rule = *rule;
      plan.row_path = element_path::parse(link.xml_child_path);
      plan.foreign_key = link.foreign_key_column;
    }
  }
  if (plan.source == row_source::application) {
    plan.row_path = application_path;
    plan.row_slot = path_slot(application_path);
  }
  plan.keep_empty_rows = table == key_table;

  for (const auto& spec : rules->mappings) {
    if (spec.target_table != table || !mapping_supported(spec)) {
      continue;
    }
    if (auto slot_type = slot_type_of(spec)) {
      plan_slot(plan, spec, *slot_type);
      continue;
    }
    if (auto row_type = row_creating_type(spec)) {
      plan.key_values.push_back(
          {key_value_rule(spec, *row_type, rules->key_column()),
           path_slot(element_path::parse(spec.xml_path)),
           contact_source::prepare(spec, filter)});
      continue;
    }
    if (!spec.target_column.empty()) {
      plan.columns.push_back(prepare_column(spec, plan.row_path));
      prepared_column& column = plan.columns.back();
      column.filter_attribute =
          plan.source == row_source::element &&
          column.relation == anchor_relation::same &&
          filter.checks_attribute(plan.rule, spec.xml_attribute);
    }
  }
  if (!plan.columns.empty() || !plan.key_values.empty() ||
      !plan.slots.empty()) {
    tables.push_back(std::move(plan));
  }
}

prepared_column document_mapper::impl::prepare_column(
    const mapping_spec& spec, const element_path& row_path) {
  prepared_column column{column_rule(spec, *rules),
                         element_path::parse(spec.xml_path),
                         anchor_relation::document,
                         0 /*levels*/,
                         0 /*path_slot*/,
                         false /*filter_attribute*/,
                         std::nullopt /*source*/,
                         std::nullopt /*expression*/};
  const element_path& path = column.path;
  if (path == row_path) {
    column.relation = anchor_relation::same;
  } else if (path.is_prefix_of(row_path)) {
    column.relation = anchor_relation::ancestor;
    column.levels = row_path.steps.size() - path.steps.size();
  } else if (row_path.is_prefix_of(path)) {
    column.relation = anchor_relation::descendant;
    column.levels = row_path.steps.size();
  }
  column.path_slot = path_slot(path);
  column.source = contact_source::prepare(spec, filter);
  bool calculated = std::any_of(
      spec.kinds.begin(), spec.kinds.end(), [](const mapping_type_ref& t) {
        return t.kind == mapping_kind::calculated_field;
      });
  if (calculated && spec.expression) {
    column.expression = parse_expression(*spec.expression).expression;
  }
  return column;
}

void document_mapper::impl::plan_slot(table_plan& plan,
                                      const mapping_spec& spec,
                                      const mapping_type_ref& type) {
  auto slot = std::find_if(plan.slots.begin(), plan.slots.end(),
                           [&](const prepared_slot& candidate) {
                             return candidate.kind == type.kind &&
                                    candidate.number == type.parameter;
                           });
  if (slot == plan.slots.end()) {
    plan.slots.push_back({type.kind, type.parameter, {}, {}, {}});
    slot = plan.slots.end() - 1;
  }

  // Warranty values are bound as written (the reference rows keep "1500"
  // for an amount); policy-exception mappings name no column, so the slot
  // gives them theirs.
  auto copy = std::make_unique<mapping_spec>(spec);
  bool bit = spec.type == data_type::bit_type;
  if (type.kind == mapping_kind::warranty_field && !bit) {
    copy->type = data_type::string_type;
  }
  if (type.kind == mapping_kind::policy_exceptions) {
    copy->target_column = type.parameter.empty() ? "notes" : "reason_code";
    copy->type = data_type::string_type;
  }

  // What may create the row: for collateral anything but the calculated
  // type and the used flag, for warranties anything but the flag, for
  // policy exceptions the reason code.
  bool trigger = !bit;
  for (const auto& kind : spec.kinds) {
    trigger = trigger && kind.kind != mapping_kind::calculated_field;
  }
  if (type.kind == mapping_kind::policy_exceptions) {
    trigger = !type.parameter.empty();
  }
  slot->columns.push_back(prepare_column(*copy, plan.row_path));
  slot->triggers.push_back(trigger);
  slot->specs.push_back(std::move(copy));
}

document_mapper::document_mapper(std::shared_ptr<const contract> rules)
    : impl_(std::make_unique<impl>(std::move(rules))) {}

document_mapper::~document_mapper() = default;
document_mapper::document_mapper(document_mapper&&) noexcept = default;
document_mapper& document_mapper::operator=(document_mapper&&) noexcept =
    default;

const contract& document_mapper::rules() const { return *impl_->rules; }

bool document_mapper::claims(const xmlDoc& document) const {
  const xmlNode* root = root_element(document);
  if (!has_name(root, impl_->rules->xml_root_element)) {
    return false;
  }
  return find_last(root, impl_->application_path, 0) != nullptr;
}

std::optional<record_key> document_mapper::read_key(
    const xmlDoc& document) const {
  const xmlNode* element =
      find_last(root_element(document), impl_->key_path, 0);
  std::string_view text;
  std::string scratch;
  if (!read_attribute(element, impl_->key_attribute, text, scratch)) {
    return std::nullopt;
  }
  auto digits = to_integer_text(text);
  if (!digits) {
    return std::nullopt;
  }
  try {
    return static_cast<record_key>(std::stoll(*digits));
  } catch (const std::out_of_range&) {
    return std::nullopt;
  }
}

record_outcome document_mapper::map(const xmlDoc& document,
                                    record_key key) const {
  const contract& rules = *impl_->rules;
  auto own_key = read_key(document);
  if (!own_key || *own_key != key) {
    auto outcome = unconverted_outcome(
        key, record_status::failed, failure_category::mapping,
        "the document's " + rules.key_column() +
            " differs from the source record key");
    outcome.contract_name = rules.name;
    return outcome;
  }

  // Filter the repeated elements once, then build each table in insertion
  // order from the prepared plans.
  kept_elements kept = impl_->filter.apply(document);
  document_cache cache{&document, &kept,
                       std::vector<const xmlNode*>(impl_->cached_paths.size()),
                       std::vector<bool>(impl_->cached_paths.size())};
  std::string app_key = std::to_string(key);
  std::vector<table_rows> tables;
  for (const auto& plan : impl_->tables) {
    table_rows rows;
    if (auto failure = impl_->build_table(cache, plan, kept, app_key, rows)) {
      auto outcome = unconverted_outcome(key, record_status::failed,
                                         failure_category::mapping,
                                         std::move(*failure));
      outcome.contract_name = rules.name;
      return outcome;
    }
    if (!rows.rows.empty()) {
      tables.push_back(std::move(rows));
    }
  }
  auto outcome = converted_outcome(key, std::move(tables));
  outcome.contract_name = rules.name;
  outcome.notes = std::move(kept.notes);
  return outcome;
}

document_reach document_mapper::reach() const {
  const impl& state = *impl_;
  document_reach reach;
  reach.add_walked_path(state.application_path);
  reach.add_walked_path(state.key_path);
  for (const auto& path : state.cached_paths) {
    reach.add_walked_path(path);
  }
  for (const auto& plan : state.tables) {
    reach.add_walked_path(plan.row_path);
    for (const auto& column : plan.columns) {
      reach.add_walked_path(column.path);
    }
    for (const auto& slot : plan.slots) {
      for (const auto& column : slot.columns) {
        reach.add_walked_path(column.path);
      }
    }
  }
  state.filter.add_reach(state.application_path, reach);
  return reach;
}

document_router::document_router(
    std::vector<std::shared_ptr<const contract>> rules) {
  for (auto& loaded : rules) {
    mappers_.emplace_back(std::move(loaded));
  }
}

document_reach document_router::reach() const {
  document_reach reach;
  for (const auto& mapper : mappers_) {
    reach.merge(mapper.reach());
  }
  return reach;
}

const document_mapper* document_router::route(const xmlDoc& document) const {
  for (const auto& mapper : mappers_) {
    if (mapper.claims(document)) {
      return &mapper;
    }
  }
  return nullptr;
}

record_outcome document_router::map(const xmlDoc& document,
                                    record_key key) const {
  const document_mapper* mapper = route(document);
  if (mapper == nullptr) {
    const xmlNode* root = root_element(document);
    bool root_known = std::any_of(
        mappers_.begin(), mappers_.end(), [&](const document_mapper& m) {
          return has_name(root, m.rules().xml_root_element);
        });
    if (!root_known) {
      return unconverted_outcome(key, record_status::rejected,
                                 failure_category::wrong_root,
                                 "the root element is not one a loaded "
                                 "contract expects");
    }
    return unconverted_outcome(key, record_status::rejected,
                               failure_category::unsupported_type,
                               "no loaded contract's application path "
                               "exists in the document");
  }
  if (!mapper->read_key(document)) {
    auto outcome = unconverted_outcome(
        key, record_status::rejected, failure_category::missing_key,
        "the document has no integer " + mapper->rules().key_column() +
            " at " + mapper->rules().key_mapping().xml_path + "/@" +
            mapper->rules().key_mapping().xml_attribute);
    outcome.contract_name = mapper->rules().name;
    return outcome;
  }
  return mapper->map(document, key);
}

}  // namespace xmlshred::domain

