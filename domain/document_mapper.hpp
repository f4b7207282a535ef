#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <libxml/tree.h>

#include "domain/contract.hpp"
#include "domain/document_reach.hpp"
#include "domain/record.hpp"

namespace xmlshred::domain {

/// Turns parsed documents into rows following one contract. Construction
/// prepares everything that does not depend on a document (paths split,
/// lookups indexed); map() is const and may be called from several threads
/// at once on different documents.
class document_mapper {
 public:
  explicit document_mapper(std::shared_ptr<const contract> rules);
  ~document_mapper();
  document_mapper(document_mapper&&) noexcept;
  document_mapper& operator=(document_mapper&&) noexcept;

  const contract& rules() const;

  /// True when this contract claims the document: the root element is the
  /// contract's xml_root_element and its application path exists.
  bool claims(const xmlDoc& document) const;

  /// The record key read through the contract's identity mapping, or
  /// nullopt when it is missing or not an integer.
  std::optional<record_key> read_key(const xmlDoc& document) const;

  /// Maps a claimed document. `key` is the source key; a document whose own
  /// key differs fails with category `mapping`. Expected problems (missing
  /// required value, unconvertible value) come back as a failed outcome;
  /// exceptions mean a bug or resource exhaustion.
  record_outcome map(const xmlDoc& document, record_key key) const;

  /// The elements map(), claims() and read_key() can read; a tree built
  /// from only these maps to the same outcome.
  document_reach reach() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Picks the contract that claims each document among several, and turns
/// documents no contract claims into rejected outcomes.
class document_router {
 public:
  explicit document_router(std::vector<std::shared_ptr<const contract>> rules);

  /// The mapper claiming `document`, or nullptr.
  const document_mapper* route(const xmlDoc& document) const;

  /// Routes and maps; rejects with `wrong_root` when no contract's root
  /// matches, `unsupported_type` when a root matches but no contract claims
  /// the document.
  record_outcome map(const xmlDoc& document, record_key key) const;

  /// What any of the contracts can read (see document_mapper::reach).
  document_reach reach() const;

  const std::vector<document_mapper>& mappers() const { return mappers_; }

 private:
  std::vector<document_mapper> mappers_;
};

}  // namespace xmlshred::domain
