#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/record.hpp"
#include "infra/database_url.hpp"
#include "infra/result.hpp"

namespace xmlshred::infra {

/// Names of the source table and its two columns. They must be plain
/// identifiers (letters, digits, '_'); PostgreSQL folds them to lower case
/// like unquoted SQL would, so "app_XML" means the column app_xml there.
struct source_table_spec {
  std::string table;       // e.g. app_xml_staging
  std::string key_column;  // e.g. app_id
  std::string xml_column;  // e.g. app_XML
};

enum class import_outcome { inserted, already_present };

/// The table of source documents (key + XML text). Owns one database
/// session: use an instance from one thread only.
class source_store {
 public:
  [[nodiscard]] static result<std::unique_ptr<source_store>> open(
      const database_url& url, source_table_spec spec);
  ~source_store();

  /// Creates the source table if it does not exist (used by import).
  status ensure_table();

  /// Inserts one document unless its key is present; never overwrites.
  result<import_outcome> import_document(domain::record_key key,
                                         std::string_view xml);
  /// Groups imports into one transaction; call commit_import() to end it.
  status begin_import();
  status commit_import();

  /// Up to `limit` keys greater than `after`, ascending (keyset paging, no
  /// OFFSET). Reads keys only, so skipping done work stays cheap.
  result<std::vector<domain::record_key>> keys_after(domain::record_key after,
                                                     std::size_t limit);

  /// The documents of `keys` (ascending), attempt = 1. A key deleted in the
  /// meantime is simply absent.
  result<std::vector<domain::source_record>> fetch(
      const std::vector<domain::record_key>& keys);

  /// Number of rows in the source table.
  result<std::size_t> count();

 private:
  struct impl;
  explicit source_store(std::unique_ptr<impl> state);
  std::unique_ptr<impl> impl_;
};

}  // namespace xmlshred::infra
