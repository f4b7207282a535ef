#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/record.hpp"
#include "infra/database_url.hpp"
#include "infra/document_source.hpp"
#include "infra/result.hpp"

namespace xmlshred::infra {

enum class import_outcome { inserted, already_present };

/// The table of source documents (key + XML text). Owns one database
/// session: use an instance from one thread only.
class source_store : public document_source {
 public:
  [[nodiscard]] static result<std::unique_ptr<source_store>> open(
      const database_url& url, source_table_spec spec);
  ~source_store() override;

  /// Creates the source table if it does not exist (used by import and
  /// generate). In SQLite it also creates the key index keys_after reads.
  status ensure_table();

  /// Inserts one document unless its key is present; never overwrites.
  result<import_outcome> import_document(domain::record_key key,
                                         std::string_view xml);
  /// Groups imports into one transaction; call commit_import() to end it.
  status begin_import();
  status commit_import();

  /// Up to `limit` keys greater than `after`, ascending (keyset paging, no
  /// OFFSET). In SQLite the key index that ensure_table() creates is read
  /// when present: the table's own pages hold the start of each document,
  /// so walking them to list keys reads far more than the keys.
  [[nodiscard]] result<std::vector<domain::record_key>> keys_after(
      domain::record_key after, std::size_t limit) override;

  /// The documents of `keys` (ascending), attempt = 1. A key deleted in the
  /// meantime is simply absent.
  [[nodiscard]] result<std::vector<domain::source_record>> fetch(
      const std::vector<domain::record_key>& keys) override;

  /// Number of rows in the source table.
  [[nodiscard]] result<std::size_t> count() override;

  /// Name of the SQLite index on the key column that ensure_table()
  /// creates, e.g. "app_xml_staging_key_order".
  static std::string key_index_name(const source_table_spec& spec);

 private:
  struct impl;
  explicit source_store(std::unique_ptr<impl> state);
  std::unique_ptr<impl> impl_;
};

}  // namespace xmlshred::infra
