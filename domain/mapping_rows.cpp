#include "domain/mapping_plan.hpp"

#include <algorithm>
#include <deque>
#include <utility>

#include "domain/value_conversion.hpp"

// Building rows for one document from the prepared plan: column values,
// key-value rows and slot rows. Every function here is const on the plan
// and keeps its per-document state in document_cache, so documents can be
// mapped concurrently.

namespace xmlshred::domain {

using namespace mapping_detail;
namespace mapping_detail {

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

}  // namespace mapping_detail

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

namespace {

// Fixed columns of slot rows, named as in the target schema.
const std::string& sort_order_column() {
  static const std::string name = "sort_order";
  return name;
}
const std::string& warranty_type_column() {
  static const std::string name = "warranty_type_enum";
  return name;
}
const std::string& lienholder_flag_column() {
  static const std::string name = "merrick_lienholder_flag";
  return name;
}
const std::string& exception_type_column() {
  static const std::string name = "policy_exception_type_enum";
  return name;
}
const std::string& notes_column() {
  static const std::string name = "notes";
  return name;
}

/// The source system writes 0 into the value of unused collateral slots,
/// so a zero there does not make a row; other zeros (options) do.
bool zero_wholesale_value(const column_value& value,
                          const std::string& column) {
  static const std::string zero_value_column = "wholesale_value";
  return value.zero && column == zero_value_column;
}

/// Completes a collateral or warranty row with its key and slot columns.
void finish_slot_row(const prepared_slot& slot, const std::string& key_column,
                     const std::string& app_key, row_builder& row) {
  row.cells.emplace_back(&key_column, app_key);
  if (slot.kind == mapping_kind::add_collateral) {
    row.cells.emplace_back(&sort_order_column(), slot.number);
    return;
  }
  row.cells.emplace_back(&warranty_type_column(), slot.number);
  bool has_flag = std::any_of(
      row.cells.begin(), row.cells.end(), [](const auto& entry) {
        return *entry.first == lienholder_flag_column();
      });
  if (!has_flag) {
    row.cells.emplace_back(&lienholder_flag_column(), std::string("0"));
  }
}

}  // namespace

std::optional<cell> document_mapper::impl::slot_notes(
    document_cache& cache, const table_plan& plan,
    const xmlNode* application) const {
  for (const auto& slot : plan.slots) {
    if (slot.kind == mapping_kind::policy_exceptions && slot.number.empty() &&
        !slot.columns.empty()) {
      std::string scratch;
      std::string_view text;
      std::optional<std::string> calculated;
      return apply_column(cache, slot.columns.front(), application, scratch,
                          calculated, text)
          .value;
    }
  }
  return std::nullopt;
}

bool document_mapper::impl::build_slot_row(document_cache& cache,
                                           const prepared_slot& slot,
                                           const xmlNode* application,
                                           row_builder& row) const {
  std::string scratch;
  std::string_view text;
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
                 !value.from_default && !zero_wholesale_value(value, column));
    row.cells.emplace_back(&column, std::move(value.value));
  }
  return triggered;
}

void document_mapper::impl::add_slot_rows(document_cache& cache,
                                          const table_plan& plan,
                                          const std::string& app_key,
                                          table_rows& out) const {
  const xmlNode* application = last_match(cache, plan.row_slot);

  // The policy exceptions' notes are shared by every exception row.
  std::optional<cell> notes = slot_notes(cache, plan, application);
  for (const auto& slot : plan.slots) {
    if (slot.number.empty()) {
      continue;
    }
    row_builder row;
    if (!build_slot_row(cache, slot, application, row)) {
      continue;
    }
    if (slot.kind != mapping_kind::policy_exceptions) {
      finish_slot_row(slot, plan.foreign_key, app_key, row);
      append_row(out, row);
      continue;
    }
    row_builder exception;
    exception.cells.emplace_back(&plan.foreign_key, app_key);
    exception.cells.emplace_back(&exception_type_column(), slot.number);
    for (auto& entry : row.cells) {
      exception.cells.push_back(std::move(entry));
    }
    if (notes) {
      exception.cells.emplace_back(&notes_column(), *notes);
    }
    append_row(out, exception);
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

}  // namespace xmlshred::domain
