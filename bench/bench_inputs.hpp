#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/contract.hpp"
#include "domain/document_mapper.hpp"
#include "domain/record.hpp"

namespace xmlshred::bench {

/// Which documents a benchmark run is made of.
enum class input_mix {
  /// The shipped sample documents, repeated.
  samples,
  /// Documents from infra::document_generator.
  generated,
  /// Samples and generated documents alternately.
  mixed,
};

/// Parses "samples", "generated" or "mixed".
std::optional<input_mix> parse_input_mix(std::string_view text);
std::string_view to_string(input_mix mix);

/// One distinct document with the key written in it.
struct pool_document {
  domain::record_key key = 0;
  std::string xml;
};

/// The distinct documents a run cycles through: run document i is
/// at(i), so every stage of a run sees the same texts in the same order.
/// Immutable once built; safe to read from several threads.
class document_pool {
 public:
  document_pool(std::vector<pool_document> samples,
                std::vector<pool_document> generated, input_mix mix);

  const pool_document& at(std::size_t index) const;
  /// Total bytes of run documents 0..count-1.
  std::size_t bytes(std::size_t count) const;
  input_mix mix() const { return mix_; }
  std::size_t distinct() const { return samples_.size() + generated_.size(); }

 private:
  std::vector<pool_document> samples_;
  std::vector<pool_document> generated_;
  input_mix mix_;
};

/// What the pool is built from.
struct pool_spec {
  std::string samples_dir;
  input_mix mix = input_mix::mixed;
  std::size_t generated_count = 0;
  std::uint64_t seed = 1;
};

/// Reads the samples (those whose key the router can read; a document
/// that does not parse or has no key cannot be remapped and is left out)
/// and generates `generated_count` defect-free documents. On failure
/// returns nullopt and says why in `problem`.
std::optional<document_pool> build_pool(const pool_spec& spec,
                                        const domain::contract& rules,
                                        const domain::document_router& router,
                                        std::string& problem);

/// `xml` with the key attribute of the key element (from the contract's
/// key mapping, e.g. Request/@ID) set to `key`; nullopt when the document
/// has no such attribute.
std::optional<std::string> with_key(std::string_view xml,
                                    const domain::mapping_spec& key_mapping,
                                    domain::record_key key);

/// `xml` with every non-empty value of `attribute` (e.g. con_id) replaced
/// by key * 64 + n, n numbering the distinct original values in order of
/// appearance, so a copy of a document brings contacts of its own while a
/// contact repeated inside it stays one contact.
std::string with_contact_ids(std::string xml, const std::string& attribute,
                             domain::record_key key);

/// Loads run documents 0..count-1 into the source table at `source_url`
/// with keys first_key + i, contact ids rewritten the same way, in
/// committed groups. Returns an error text on failure.
std::optional<std::string> load_source(const document_pool& pool,
                                       std::size_t count,
                                       domain::record_key first_key,
                                       const std::string& source_url,
                                       const domain::contract& rules);

}  // namespace xmlshred::bench
