#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/contract.hpp"
#include "infra/document_generator.hpp"
#include "infra/document_source.hpp"

namespace xmlshred::infra {

/// Parses "generated:?count=N[&seed=S][&first-key=K][&defect-rate=R]".
/// count is required; the others default as in generated_source_options.
/// On failure returns a message naming the bad parameter.
[[nodiscard]] std::variant<generated_source_options, std::string>
parse_generated_url(std::string_view text);

/// Documents made on demand by the document generator: keys first_key ..
/// first_key + count - 1, document i the same as `xmlshred generate` with
/// the same seed, first key and defect rate writes. Nothing is stored, so
/// a source of any size costs no disk, and a document read twice (after a
/// restart) is the same text. Keys are computed, never read.
class generated_source : public document_source {
 public:
  /// `rules` shapes the documents as in `xmlshred generate --contract`;
  /// it is copied into the generator's plan and not kept.
  generated_source(const domain::contract& rules,
                   const generated_source_options& options);

  [[nodiscard]] result<std::vector<domain::record_key>> keys_after(
      domain::record_key after, std::size_t limit) override;
  [[nodiscard]] result<std::vector<domain::source_record>> fetch(
      const std::vector<domain::record_key>& keys) override;
  [[nodiscard]] result<std::size_t> count() override;

 private:
  /// The largest key; keys are first_key .. last_key(). count >= 1.
  domain::record_key last_key() const;

  generated_source_options options_;
  document_generator generator_;
};

}  // namespace xmlshred::infra
