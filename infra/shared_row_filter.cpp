#include "infra/shared_row_filter.hpp"

#include <algorithm>

#include "infra/sql_identifier.hpp"

namespace xmlshred::infra {
namespace {

// Index of `column` in `rows`, or columns.size() when absent.
std::size_t column_index(const domain::table_rows& rows,
                         const std::string& column) {
  const auto& columns = rows.columns;
  return static_cast<std::size_t>(
      std::find(columns.begin(), columns.end(), column) - columns.begin());
}

bool key_exists(soci::session& session, const std::string& sql,
                const std::string& key) {
  long long found = 0;
  std::string bound = key;
  session << sql, soci::use(bound), soci::into(found);
  return found > 0;
}

// Keys of `parent`'s rows that the database already holds, per parent.
std::map<std::string, std::set<std::string>> taken_keys(
    soci::session& session, backend dialect, const std::string& schema,
    const std::map<std::string, shared_parent>& parents,
    const std::vector<domain::table_rows>& tables) {
  std::map<std::string, std::set<std::string>> taken;
  for (const auto& rows : tables) {
    const auto parent = parents.find(rows.table);
    if (parent == parents.end()) {
      continue;
    }
    const auto& column = parent->second.key_column;
    const auto index = column_index(rows, column);
    if (index == rows.columns.size()) {
      continue;
    }
    const auto sql = "SELECT COUNT(*) FROM " +
                     qualified_table(dialect, schema, rows.table) +
                     " WHERE " + quote_identifier(dialect, column) + " = :k";
    for (const auto& row : rows.rows) {
      if (row[index] && key_exists(session, sql, *row[index])) {
        taken[rows.table].insert(*row[index]);
      }
    }
  }
  return taken;
}

// The parent table whose taken keys apply to `table`, if any.
const std::string* owner_of(
    const std::string& table,
    const std::map<std::string, shared_parent>& parents) {
  for (const auto& [parent, shared] : parents) {
    if (parent == table || shared.children.count(table)) {
      return &parent;
    }
  }
  return nullptr;
}

}  // namespace

std::map<std::string, shared_parent> shared_parents_of(
    const std::vector<std::shared_ptr<const domain::contract>>& contracts,
    const std::string& record_key_column) {
  std::map<std::string, shared_parent> parents;
  for (const auto& c : contracts) {
    for (const auto& link : c->relationships) {
      if (link.foreign_key_column == record_key_column) {
        continue;
      }
      auto& parent = parents[link.parent_table];
      parent.key_column = link.foreign_key_column;
      parent.children.insert(link.child_table);
    }
  }
  return parents;
}

std::vector<planned_rows> plan_record_rows(
    soci::session& session, backend dialect, const std::string& schema,
    const std::map<std::string, shared_parent>& parents,
    const std::vector<domain::table_rows>& tables,
    std::vector<std::string>& notes) {
  const auto taken = taken_keys(session, dialect, schema, parents, tables);
  std::vector<planned_rows> plan;
  for (const auto& rows : tables) {
    const auto* owner = owner_of(rows.table, parents);
    const auto keys = owner ? taken.find(*owner) : taken.end();
    const auto index =
        owner ? column_index(rows, parents.at(*owner).key_column) : 0;
    if (keys == taken.end() || index == rows.columns.size()) {
      plan.push_back({rows, false});
      continue;
    }

    // Split the table: rows with a free key stay plain; rows with a taken
    // key are dropped (the parent) or inserted only if absent (children).
    const bool is_parent = *owner == rows.table;
    planned_rows plain{{rows.table, rows.columns, {}}, false};
    planned_rows attach{{rows.table, rows.columns, {}}, true};
    for (const auto& row : rows.rows) {
      const bool is_taken = row[index] && keys->second.count(*row[index]);
      if (!is_taken) {
        plain.rows.rows.push_back(row);
      } else if (!is_parent) {
        attach.rows.rows.push_back(row);
      }
    }
    plan.push_back(std::move(plain));
    if (!attach.rows.rows.empty()) {
      plan.push_back(std::move(attach));
    }
  }
  for (const auto& [parent, keys] : taken) {
    notes.push_back(parent + ": " + std::to_string(keys.size()) +
                    " row(s) skipped, their " +
                    parents.at(parent).key_column +
                    " already belongs to another record");
  }
  return plan;
}

}  // namespace xmlshred::infra
