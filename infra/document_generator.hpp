#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "domain/contract.hpp"
#include "domain/record.hpp"

namespace xmlshred::infra {

/// A deliberate flaw planted in a generated document, so that load tests
/// exercise the failure paths as well as the happy one.
enum class defect_kind {
  /// A well-formed document whose mapped values all convert.
  none,
  /// The text stops part-way through: not well-formed XML.
  not_well_formed,
  /// Every attribute is empty except the record key.
  blank_fields,
  /// String values longer than their column allows (they get cut).
  over_long_values,
  /// Two primary contacts share one contact id.
  duplicate_contacts,
  /// The application element of another product line (`IL_application`).
  other_product_line,
};

/// Number of defect kinds, `none` included.
inline constexpr std::size_t defect_kind_count = 6;

/// Stable lower-case name of a defect kind, e.g. "not_well_formed".
std::string_view to_string(defect_kind kind);

/// What the generator is asked for. Sizes are bytes of document text.
struct generator_options {
  std::uint64_t seed = 1;
  /// Key of document 0; document i gets first_key + i.
  domain::record_key first_key = 10'000'000;
  /// Share of documents carrying one defect, 0..1.
  double defect_rate = 0.0;
  std::size_t min_bytes = 10 * 1024;
  std::size_t median_bytes = 130 * 1024;
  std::size_t max_bytes = 2 * 1024 * 1024;
};

/// One generated document.
struct generated_document {
  domain::record_key key = 0;
  defect_kind defect = defect_kind::none;
  std::string xml;
};

/// Makes synthetic credit-application documents shaped like the corpus:
/// the attributes a contract maps (with values that convert: enum keys,
/// flags, numbers, dates), repeated contacts with addresses and
/// employments, and bulky journal, audit and report sections whose size
/// follows a log-normal spread around median_bytes, clamped to the bounds.
///
/// Document i depends only on the seed, the options and i, so documents can
/// be made one at a time, in any order, from several threads at once
/// (generate() is const). Holds no document between calls.
class document_generator {
 public:
  /// `rules` supplies element paths, attribute names, data types, enum
  /// keys and filter rules; it is copied into a plan and not kept.
  document_generator(const domain::contract& rules,
                     generator_options options);
  ~document_generator();
  document_generator(document_generator&&) noexcept;
  document_generator& operator=(document_generator&&) noexcept;

  const generator_options& options() const { return options_; }

  /// Document number `index` (0-based).
  generated_document generate(std::size_t index) const;

  /// The element tree and value recipes derived from the contract;
  /// defined in the .cpp only.
  struct plan;

 private:
  generator_options options_;
  std::unique_ptr<const plan> plan_;
};

}  // namespace xmlshred::infra
