#pragma once

// Internal to the document mapper: the plan prepared from a contract and
// the per-document state used while building rows. Included only by
// domain/document_mapper.cpp and domain/mapping_rows.cpp.

#include <libxml/tree.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/column_rule.hpp"
#include "domain/contact_source.hpp"
#include "domain/document_mapper.hpp"
#include "domain/element_filter.hpp"
#include "domain/expression.hpp"
#include "domain/key_value_rows.hpp"
#include "domain/xml_access.hpp"

namespace xmlshred::domain {
namespace mapping_detail {

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

/// Adds a row to a table, widening the table's column list as needed;
/// columns a row does not have are NULL in it.
void append_row(table_rows& table, const row_builder& row);

}  // namespace mapping_detail

/// The mapper's prepared state; see domain/document_mapper.hpp.
struct document_mapper::impl {
  std::shared_ptr<const contract> rules;
  element_path application_path;
  /// Where the record key is read (the key mapping's element/attribute).
  element_path key_path;
  std::string key_attribute;
  /// The table of the key mapping; its row is always written.
  std::string key_table;
  /// Distinct element paths resolved once per document (last match).
  std::vector<element_path> cached_paths;
  element_filter filter;
  /// Plans of the tables that receive rows, in insertion order.
  std::vector<mapping_detail::table_plan> tables;

  // -- planning (domain/document_mapper.cpp) --------------------------------

  explicit impl(std::shared_ptr<const contract> loaded);

  std::size_t path_slot(const element_path& path);
  void plan_table(const std::string& table);
  mapping_detail::prepared_column prepare_column(const mapping_spec& spec,
                                                 const element_path& row_path);

  void plan_slot(mapping_detail::table_plan& plan, const mapping_spec& spec,
                 const mapping_type_ref& type);

  // -- row building (domain/mapping_rows.cpp) -------------------------------

  const xmlNode* last_match(mapping_detail::document_cache& cache,
                            std::size_t slot) const;
  const xmlNode* column_element(mapping_detail::document_cache& cache,
                                const mapping_detail::prepared_column& column,
                                const xmlNode* row_element) const;
  std::optional<std::string> evaluate_column(
      mapping_detail::document_cache& cache,
      const mapping_detail::prepared_column& column,
      const xmlNode* row_element) const;
  std::optional<std::string> build_row(mapping_detail::document_cache& cache,
                                       const mapping_detail::table_plan& plan,
                                       const xmlNode* row_element,
                                       const std::string& key_value,
                                       mapping_detail::row_builder& row) const;
  void add_key_value_rows(mapping_detail::document_cache& cache,
                          const mapping_detail::table_plan& plan,
                          const std::string& app_key, table_rows& out) const;
  /// The shared notes of policy-exception rows, when a mapping reads them.
  std::optional<cell> slot_notes(mapping_detail::document_cache& cache,
                                 const mapping_detail::table_plan& plan,
                                 const xmlNode* application) const;
  /// Fills `row` with a slot's values; true when some value justifies it.
  bool build_slot_row(mapping_detail::document_cache& cache,
                      const mapping_detail::prepared_slot& slot,
                      const xmlNode* application,
                      mapping_detail::row_builder& row) const;
  void add_slot_rows(mapping_detail::document_cache& cache,
                     const mapping_detail::table_plan& plan,
                     const std::string& app_key, table_rows& out) const;
  column_value apply_column(mapping_detail::document_cache& cache,
                            const mapping_detail::prepared_column& column,
                            const xmlNode* row_element, std::string& scratch,
                            std::optional<std::string>& calculated,
                            std::string_view& text) const;
  std::optional<std::string> build_table(mapping_detail::document_cache& cache,
                                         const mapping_detail::table_plan& plan,
                                         const kept_elements& kept,
                                         const std::string& app_key,
                                         table_rows& out) const;
};

}  // namespace xmlshred::domain
