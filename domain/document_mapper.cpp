#include "domain/document_mapper.hpp"

#include <algorithm>
#include <deque>
#include <stdexcept>
#include <utility>

#include "domain/column_rule.hpp"
#include "domain/contact_source.hpp"
#include "domain/contract_checks.hpp"
#include "domain/element_filter.hpp"
#include "domain/expression.hpp"
#include "domain/key_value_rows.hpp"
#include "domain/value_conversion.hpp"
#include "domain/xml_access.hpp"

namespace xmlshred::domain {
namespace {

/// Where a mapping's element lies relative to the element a row is built
/// from.
enum class anchor_relation {
  /// The row element itself.
  same,
  /// An ancestor of the row element (`levels` up).
  ancestor,
  /// Below the row element (`first_step` onwards of the mapping's path).
  descendant,
  /// Elsewhere: the last matching element of the whole document.
  document,
};

/// One value mapping prepared for a table.
struct prepared_column {
  column_rule rule;
  element_path path;
  anchor_relation relation = anchor_relation::document;
  std::size_t levels = 0;
  /// Index into the per-document cache of last matches by path.
  std::size_t path_slot = 0;
  /// The column repeats an attribute the row's filter rule checks (a role
  /// or type code); it does not count as data of the row.
  bool filter_attribute = false;
  /// Set for mappings that read from a selected contact.
  std::optional<contact_source> source;
  /// Set for calculated_field mappings.
  std::optional<compiled_expression> expression;
};

/// A row-creating mapping prepared for a table.
struct prepared_key_value {
  key_value_rule rule;
  /// Cache slot of the mapping's element path (last match in the document).
  std::size_t path_slot = 0;
  /// Set for mappings that read from a selected contact.
  std::optional<contact_source> source;
};

/// A numbered slot of add_collateral(N), warranty_field(N) or
/// policy_exceptions(N) mappings: at most one row per document.
struct prepared_slot {
  mapping_kind kind = mapping_kind::add_collateral;
  /// N as written; empty for the shared notes of policy_exceptions().
  std::string number;
  /// Copies of the slot's mappings, adjusted for slot rows (see plan_slot).
  std::vector<std::unique_ptr<mapping_spec>> specs;
  std::vector<prepared_column> columns;
  /// Whether each column can justify the row on its own.
  std::vector<bool> triggers;
};

/// How a table's rows come about.
enum class row_source {
  /// One row per document.
  application,
  /// One row per kept element of a filter rule.
  element,
};

/// Everything needed to build one table's rows, prepared once.
struct table_plan {
  std::string name;
  row_source source = row_source::application;
  /// The filter rule whose kept elements give the rows (element tables).
  std::size_t rule = 0;
  element_path row_path;
  /// Cache slot of row_path (application tables).
  std::size_t row_slot = 0;
  std::vector<prepared_column> columns;
  /// Row-creating mappings of key-value tables, in contract order.
  std::vector<prepared_key_value> key_values;
  /// Numbered slots, in order of first appearance in the contract.
  std::vector<prepared_slot> slots;
  /// Column holding the parent's key, appended when no mapping fills it.
  std::string foreign_key;
  /// Rows holding only keys and defaults are still written (the key
  /// table: every converted document has its row).
  bool keep_empty_rows = false;
};

/// Per-call state: last matches by path, filled on first use.
struct document_cache {
  const xmlDoc* document = nullptr;
  const kept_elements* kept = nullptr;
  std::vector<const xmlNode*> last_match;
  std::vector<bool> resolved;
};

/// A row being assembled: column names and cells in mapping order.
struct row_builder {
  named_cells cells;
  /// Some value is document data rather than a contract default.
  bool meaningful = false;
  /// Some value is more than a default, a lookup answer or a zero.
  bool substantial = false;
};

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

/// Adds a row to a table, widening the table's column list as needed;
/// columns a row does not have are NULL in it.
void append_row(table_rows& table, const row_builder& row) {
  std::vector<cell> cells(table.columns.size());
  for (const auto& [name, value] : row.cells) {
    auto it = std::find(table.columns.begin(), table.columns.end(), *name);
    std::size_t index = static_cast<std::size_t>(it - table.columns.begin());
    if (it == table.columns.end()) {
      table.columns.push_back(*name);
      for (auto& earlier : table.rows) {
        earlier.emplace_back();
      }
      cells.emplace_back();
    }
    cells[index] = value;
  }
  table.rows.push_back(std::move(cells));
}

}  // namespace

struct document_mapper::impl {
  std::shared_ptr<const contract> rules;
  element_path application_path;
  element_path key_path;
  std::string key_attribute;
  std::string key_table;
  std::vector<element_path> cached_paths;
  element_filter filter;
  std::vector<table_plan> tables;

  explicit impl(std::shared_ptr<const contract> loaded);

  std::size_t path_slot(const element_path& path);
  void plan_table(const std::string& table);
  prepared_column prepare_column(const mapping_spec& spec,
                                 const element_path& row_path);

  const xmlNode* last_match(document_cache& cache, std::size_t slot) const;
  const xmlNode* column_element(document_cache& cache,
                                const prepared_column& column,
                                const xmlNode* row_element) const;
  std::optional<std::string> evaluate_column(document_cache& cache,
                                             const prepared_column& column,
                                             const xmlNode* row_element) const;
  std::optional<std::string> build_row(document_cache& cache,
                                       const table_plan& plan,
                                       const xmlNode* row_element,
                                       const std::string& key_value,
                                       row_builder& row) const;
  void add_key_value_rows(document_cache& cache, const table_plan& plan,
                          const std::string& app_key, table_rows& out) const;
  void plan_slot(table_plan& plan, const mapping_spec& spec,
                 const mapping_type_ref& type);
  void add_slot_rows(document_cache& cache, const table_plan& plan,
                     const std::string& app_key, table_rows& out) const;
  column_value apply_column(document_cache& cache,
                            const prepared_column& column,
                            const xmlNode* row_element, std::string& scratch,
                            std::optional<std::string>& calculated,
                            std::string_view& text) const;
  std::optional<std::string> build_table(document_cache& cache,
                                         const table_plan& plan,
                                         const kept_elements& kept,
                                         const std::string& app_key,
                                         table_rows& out) const;
};

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

const xmlNode* document_mapper::impl::last_match(document_cache& cache,
                                                 std::size_t slot) const {
  if (!cache.resolved[slot]) {
    cache.last_match[slot] = find_last(root_element(*cache.document),
                                       cached_paths[slot], 0);
    cache.resolved[slot] = true;
  }
  return cache.last_match[slot];
}

const xmlNode* document_mapper::impl::column_element(
    document_cache& cache, const prepared_column& column,
    const xmlNode* row_element) const {
  switch (column.relation) {
    case anchor_relation::same:
      return row_element;
    case anchor_relation::ancestor:
      return ancestor(row_element, column.levels);
    case anchor_relation::descendant:
      return find_last(row_element, column.path, column.levels);
    case anchor_relation::document:
      break;
  }
  return last_match(cache, column.path_slot);
}

std::optional<std::string> document_mapper::impl::evaluate_column(
    document_cache& cache, const prepared_column& column,
    const xmlNode* row_element) const {
  // Names resolve on the mapping's element and its ancestors: a bare name
  // on the nearest one holding the attribute, `element.attr` on the nearest
  // one of that name (docs/expressions.md).
  const xmlNode* context = column_element(cache, column, row_element);
  std::deque<std::string> joined;
  auto lookup = [&](const attribute_ref& ref) -> std::optional<std::string_view> {
    for (const xmlNode* e = context; e != nullptr && e->type == XML_ELEMENT_NODE;
         e = e->parent) {
      if (!ref.element.empty() && !has_name(e, ref.element)) {
        continue;
      }
      std::string_view value;
      std::string scratch;
      if (read_attribute(e, ref.attribute, value, scratch)) {
        if (!scratch.empty()) {
          joined.push_back(std::move(scratch));
          return std::string_view(joined.back());
        }
        return value;
      }
      if (!ref.element.empty()) {
        return std::nullopt;
      }
    }
    return std::nullopt;
  };
  expression_value result = evaluate_with(*column.expression, lookup);

  // Numbers are rendered in full; the column's own conversion rounds them.
  data_type type = column.rule.spec().type;
  bool integer = type == data_type::int_type ||
                 type == data_type::smallint_type ||
                 type == data_type::tinyint_type ||
                 type == data_type::bigint_type;
  return render_value(result, integer ? data_type::decimal_type : type);
}

column_value document_mapper::impl::apply_column(
    document_cache& cache, const prepared_column& column,
    const xmlNode* row_element, std::string& scratch,
    std::optional<std::string>& calculated, std::string_view& text) const {
  // The value comes from the expression, a selected contact, or the
  // attribute of the mapping's element, in that order of precedence.
  std::optional<std::string_view> raw;
  if (column.expression) {
    calculated = evaluate_column(cache, column, row_element);
    if (calculated) {
      raw = *calculated;
    }
  } else if (column.source) {
    if (column.source->read(filter, *cache.kept, row_element, text,
                            scratch)) {
      raw = text;
    }
  } else if (read_attribute(column_element(cache, column, row_element),
                            column.rule.spec().xml_attribute, text,
                            scratch)) {
    raw = text;
  }
  return column.rule.apply(raw);
}

std::optional<std::string> document_mapper::impl::build_row(
    document_cache& cache, const table_plan& plan, const xmlNode* row_element,
    const std::string& key_value, row_builder& row) const {
  std::string scratch;
  for (const auto& column : plan.columns) {
    const mapping_spec& spec = column.rule.spec();
    std::string_view text;
    std::optional<std::string> calculated;
    column_value value = apply_column(cache, column, row_element, scratch,
                                      calculated, text);
    if (value.result == column_value::outcome::missing_required) {
      return plan.name + "." + spec.target_column +
             ": no usable value for a NOT NULL column without default "
             "(mapping /mappings/" + std::to_string(spec.index) + ", " +
             spec.xml_path + "/@" + spec.xml_attribute + ")";
    }
    if (value.result == column_value::outcome::omitted) {
      continue;
    }
    row.meaningful = row.meaningful || !value.from_default;
    row.substantial =
        row.substantial || (!value.weak && !column.filter_attribute);
    auto existing = std::find_if(
        row.cells.begin(), row.cells.end(),
        [&](const auto& entry) { return *entry.first == spec.target_column; });
    if (existing != row.cells.end()) {
      existing->second = std::move(value.value);
    } else {
      row.cells.emplace_back(&spec.target_column, std::move(value.value));
    }
  }

  // The parent's key goes last unless a mapping already filled it.
  bool has_key = std::any_of(
      row.cells.begin(), row.cells.end(),
      [&](const auto& entry) { return *entry.first == plan.foreign_key; });
  if (!has_key && !row.cells.empty()) {
    row.cells.emplace_back(&plan.foreign_key, key_value);
  }
  return std::nullopt;
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

void document_mapper::impl::add_slot_rows(document_cache& cache,
                                          const table_plan& plan,
                                          const std::string& app_key,
                                          table_rows& out) const {
  static const std::string sort_order = "sort_order";
  static const std::string warranty_type = "warranty_type_enum";
  static const std::string lienholder_flag = "merrick_lienholder_flag";
  static const std::string exception_type = "policy_exception_type_enum";
  static const std::string notes_column = "notes";
  // The source system writes 0 into the value of unused collateral slots,
  // so a zero there does not make a row; other zeros (options) do.
  static const std::string zero_value_column = "wholesale_value";
  const xmlNode* application = last_match(cache, plan.row_slot);
  std::string scratch;
  std::string_view text;

  // Shared notes of the policy exceptions come first: every row uses them.
  cell notes;
  bool has_notes = false;
  for (const auto& slot : plan.slots) {
    if (slot.kind == mapping_kind::policy_exceptions && slot.number.empty() &&
        !slot.columns.empty()) {
      has_notes = true;
      std::optional<std::string> calculated;
      notes = apply_column(cache, slot.columns.front(), application, scratch,
                           calculated, text)
                  .value;
    }
  }

  for (const auto& slot : plan.slots) {
    if (slot.number.empty()) {
      continue;
    }
    row_builder row;
    bool triggered = false;
    for (std::size_t i = 0; i < slot.columns.size(); ++i) {
      std::optional<std::string> calculated;
      column_value value = apply_column(cache, slot.columns[i], application,
                                        scratch, calculated, text);
      // A slot column without a value is left out rather than failing the
      // record: the slot's row is optional.
      if (value.result != column_value::outcome::produced) {
        continue;
      }
      const std::string& column = slot.columns[i].rule.spec().target_column;
      triggered = triggered ||
                  (slot.triggers[i] && value.value.has_value() &&
                   !value.from_default &&
                   !(value.zero && column == zero_value_column));
      row.cells.emplace_back(&slot.columns[i].rule.spec().target_column,
                             std::move(value.value));
    }
    if (!triggered) {
      continue;
    }
    if (slot.kind == mapping_kind::policy_exceptions) {
      row_builder ordered;
      ordered.cells.emplace_back(&plan.foreign_key, app_key);
      ordered.cells.emplace_back(&exception_type, slot.number);
      for (auto& cell_entry : row.cells) {
        ordered.cells.push_back(std::move(cell_entry));
      }
      if (has_notes) {
        ordered.cells.emplace_back(&notes_column, notes);
      }
      append_row(out, ordered);
      continue;
    }
    row.cells.emplace_back(&plan.foreign_key, app_key);
    if (slot.kind == mapping_kind::add_collateral) {
      row.cells.emplace_back(&sort_order, slot.number);
    } else {
      row.cells.emplace_back(&warranty_type, slot.number);
      bool has_flag = std::any_of(
          row.cells.begin(), row.cells.end(),
          [&](const auto& entry) { return *entry.first == lienholder_flag; });
      if (!has_flag) {
        row.cells.emplace_back(&lienholder_flag, std::string("0"));
      }
    }
    append_row(out, row);
  }
}

void document_mapper::impl::add_key_value_rows(document_cache& cache,
                                               const table_plan& plan,
                                               const std::string& app_key,
                                               table_rows& out) const {
  std::string scratch;
  for (const auto& key_value : plan.key_values) {
    std::optional<std::string_view> raw;
    std::string_view text;
    if (key_value.source) {
      if (key_value.source->read(filter, *cache.kept, nullptr, text,
                                 scratch)) {
        raw = text;
      }
    } else if (read_attribute(last_match(cache, key_value.path_slot),
                              key_value.rule.spec().xml_attribute, text,
                              scratch)) {
      raw = text;
    }
    row_builder row;
    if (key_value.rule.make_row(raw, app_key, row.cells)) {
      append_row(out, row);
    }
  }
}

std::optional<std::string> document_mapper::impl::build_table(
    document_cache& cache, const table_plan& plan, const kept_elements& kept,
    const std::string& app_key, table_rows& out) const {
  out.table = plan.name;
  auto add = [&](const xmlNode* element,
                 const std::string& key) -> std::optional<std::string> {
    row_builder row;
    if (auto failure = build_row(cache, plan, element, key, row)) {
      return failure;
    }
    // Application rows need some document data; rows of repeated elements
    // need more than lookups and zeros, since a type code alone (an empty
    // previous address) says nothing.
    bool wanted = plan.source == row_source::element ? row.substantial
                                                     : row.meaningful;
    if (!row.cells.empty() && (wanted || plan.keep_empty_rows)) {
      append_row(out, row);
    }
    return std::nullopt;
  };

  if (plan.source == row_source::application) {
    if (!plan.columns.empty()) {
      const xmlNode* element = last_match(cache, plan.row_slot);
      if (auto failure = add(element, app_key)) {
        return failure;
      }
    }
    add_key_value_rows(cache, plan, app_key, out);
    add_slot_rows(cache, plan, app_key, out);
    return std::nullopt;
  }
  for (const auto& entry : kept.of_rule(plan.rule)) {
    const std::string& key = entry.parent_key.empty() ? app_key
                                                      : entry.parent_key;
    if (auto failure = add(entry.element, key)) {
      return failure;
    }
  }
  return std::nullopt;
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

document_router::document_router(
    std::vector<std::shared_ptr<const contract>> rules) {
  for (auto& loaded : rules) {
    mappers_.emplace_back(std::move(loaded));
  }
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
