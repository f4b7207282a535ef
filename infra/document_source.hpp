#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/contract.hpp"
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

/// Where a run reads its documents: keys in ascending order, and the
/// documents of given keys. Implementations hold their own connection or
/// state: use an instance from one thread only.
class document_source {
 public:
  virtual ~document_source() = default;

  /// Up to `limit` keys greater than `after`, ascending. Reads keys only,
  /// so skipping keys that are already done stays cheap.
  [[nodiscard]] virtual result<std::vector<domain::record_key>> keys_after(
      domain::record_key after, std::size_t limit) = 0;

  /// The documents of `keys`, ascending by key, attempt = 1. A key the
  /// source does not hold is simply absent.
  [[nodiscard]] virtual result<std::vector<domain::source_record>> fetch(
      const std::vector<domain::record_key>& keys) = 0;

  /// Number of documents in the source.
  [[nodiscard]] virtual result<std::size_t> count() = 0;
};

/// What `generated:?count=N[&seed=S][&first-key=K][&defect-rate=R]` asks
/// for; the parameters mean what `xmlshred generate`'s options do.
struct generated_source_options {
  std::size_t count = 0;
  std::uint64_t seed = 1;
  domain::record_key first_key = 10'000'000;
  double defect_rate = 0.0;
};

/// A parsed run --source: a database holding the source table, or
/// documents made on demand by the document generator. Exactly one of
/// `database` and `generated` is set.
struct source_location {
  std::optional<database_url> database;
  std::optional<generated_source_options> generated;
  /// The URL with any password replaced by "***": safe to log.
  std::string masked;
};

/// Parses a database URL (see parse_database_url) or a "generated:" URL.
/// On failure returns a message naming the bad part and what is accepted.
[[nodiscard]] std::variant<source_location, std::string>
parse_source_location(std::string_view text);

/// Opens the documents at `location`: the table `table` of its database,
/// or the generator shaped by `rules` (which is copied, not kept).
[[nodiscard]] result<std::unique_ptr<document_source>> open_document_source(
    const source_location& location, const source_table_spec& table,
    const domain::contract& rules);

}  // namespace xmlshred::infra
