#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "infra/database_url.hpp"

namespace xmlshred::infra {

/// Why `name` cannot be used as a table or column name, or std::nullopt if
/// it can. Accepted: a letter or '_' followed by letters, digits and '_',
/// at most 63 characters (PostgreSQL's limit). Names come from contracts,
/// so anything else is refused rather than escaped.
std::optional<std::string> identifier_problem(std::string_view name);

/// `name` quoted for `dialect`. SQLite compares names case-insensitively, so
/// the name is kept as written. PostgreSQL folds unquoted names to lower
/// case: the name is folded the same way before quoting, so "app_XML" in a
/// contract means the column app_xml, as it would in hand-written SQL.
/// Precondition: identifier_problem(name) is empty.
std::string quote_identifier(backend dialect, std::string_view name);

/// `table` quoted and, for PostgreSQL with a non-empty `schema`, qualified
/// by it. Same precondition for both names.
std::string qualified_table(backend dialect, std::string_view schema,
                            std::string_view table);

}  // namespace xmlshred::infra
