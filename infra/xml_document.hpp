#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include <libxml/tree.h>

#include "domain/document_reach.hpp"
#include "domain/failure_category.hpp"

namespace xmlshred::infra {

/// Owns a libxml2 document; frees it with xmlFreeDoc.
struct xml_doc_deleter {
  void operator()(xmlDoc* document) const;
};
using xml_doc_ptr = std::unique_ptr<xmlDoc, xml_doc_deleter>;

/// Why a document could not be parsed. The message names the line and the
/// parser's complaint, never document content.
struct xml_parse_error {
  domain::failure_category category;
  std::string message;
};

/// Parses document text into a tree safely: no network access, no external
/// entities or DTDs loaded, entity expansion bounded, a leading UTF-8
/// byte-order mark accepted. Thread-safe; call from any thread.
[[nodiscard]] std::variant<xml_doc_ptr, xml_parse_error> parse_xml(
    std::string_view text);

/// As above, but builds only the elements in `reach` (all of them when
/// `reach` is null): the rest of the document is still read and checked,
/// so the same documents fail, but no nodes are made for it. The root
/// element is always built. `reach` must outlive the call.
[[nodiscard]] std::variant<xml_doc_ptr, xml_parse_error> parse_xml(
    std::string_view text, const domain::document_reach* reach);

}  // namespace xmlshred::infra
