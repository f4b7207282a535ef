#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "domain/contract.hpp"
#include "domain/record.hpp"
#include "infra/database_url.hpp"

namespace xmlshred::infra {

/// A table whose rows are identified by a key of their own, shared by all
/// records (contacts by con_id), and the child tables keyed by it.
struct shared_parent {
  std::string key_column;
  std::set<std::string> children;
};

/// Tables that are relationship parents through a column other than the
/// record key: for the reference contracts, app_contact_base by con_id with
/// app_contact_address and app_contact_employment as children.
std::map<std::string, shared_parent> shared_parents_of(
    const std::vector<std::shared_ptr<const domain::contract>>& contracts,
    const std::string& record_key_column);

/// Rows of one table as they will be inserted.
struct planned_rows {
  domain::table_rows rows;
  /// Insert with ON CONFLICT DO NOTHING: child rows of a shared parent row
  /// that another record already wrote. They attach to that row when their
  /// own key is free and are skipped when it is taken.
  bool if_absent = false;
};

/// The insert plan for one record's `tables`, in their order. A shared
/// parent's row whose key the database already holds (another record wrote
/// it) is dropped, with one note per table saying how many (no key values);
/// the rows of its children carrying that key become `if_absent` entries
/// placed right after the plain rows of the same table. This reproduces the
/// reference system, which keeps the first record's contact and adds a later
/// record's address or employment only where none of that type exists.
/// Uses `session` for the lookups and throws soci::soci_error like any
/// statement; call inside the record's savepoint. Names were validated when
/// the store opened.
std::vector<planned_rows> plan_record_rows(
    soci::session& session, backend dialect, const std::string& schema,
    const std::map<std::string, shared_parent>& parents,
    const std::vector<domain::table_rows>& tables,
    std::vector<std::string>& notes);

}  // namespace xmlshred::infra
