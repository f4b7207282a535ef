#include "infra/xml_document.hpp"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include <limits>
#include <string>

namespace xmlshred::infra {
namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

/// libxml2 takes the buffer size as an int.
constexpr std::size_t max_document_size =
    static_cast<std::size_t>(std::numeric_limits<int>::max());

/// Parser options: no network, blanks between elements dropped, short text
/// kept inline in its node (fewer allocations; the tree is read-only). Entity
/// substitution, DTD loading and XML_PARSE_HUGE are deliberately absent:
/// external entities stay unresolved references and libxml2 keeps its
/// default depth and entity-amplification limits.
constexpr int parse_options =
    XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_COMPACT;

/// What the error handler collected during one parse.
struct error_capture {
  bool seen = false;
  std::string message;
};

/// Keeps the first error libxml2 reports. The message names the line and
/// the parser's complaint; libxml2's text names markup, not field values.
void capture_error(void* user_data, xmlErrorPtr error) {
  auto* capture = static_cast<error_capture*>(user_data);
  if (capture == nullptr || error == nullptr || capture->seen) {
    return;
  }
  if (error->level < XML_ERR_ERROR) {
    return;
  }
  capture->seen = true;
  std::string text = error->message != nullptr ? error->message : "error";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  capture->message = "line " + std::to_string(error->line) + ": " + text;
}

/// The context-level handler receives ctxt->userData; route it to the
/// capture stored in _private.
void capture_context_error(void* user_data, xmlErrorPtr error) {
  auto* context = static_cast<xmlParserCtxtPtr>(user_data);
  capture_error(context != nullptr ? context->_private : nullptr, error);
}

/// Installs the thread's structured error handler for one parse and
/// restores the previous one, so nothing reaches stderr even for errors
/// libxml2 raises outside the parser context.
class scoped_error_handler {
 public:
  explicit scoped_error_handler(error_capture* capture)
      : previous_handler_(xmlStructuredError),
        previous_context_(xmlStructuredErrorContext) {
    xmlSetStructuredErrorFunc(capture, capture_error);
  }
  ~scoped_error_handler() {
    xmlSetStructuredErrorFunc(previous_context_, previous_handler_);
  }
  scoped_error_handler(const scoped_error_handler&) = delete;
  scoped_error_handler& operator=(const scoped_error_handler&) = delete;

 private:
  xmlStructuredErrorFunc previous_handler_;
  void* previous_context_;
};

struct context_deleter {
  void operator()(xmlParserCtxt* context) const { xmlFreeParserCtxt(context); }
};

bool is_blank(std::string_view text) {
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      return false;
    }
  }
  return true;
}

}  // namespace

void xml_doc_deleter::operator()(xmlDoc* document) const {
  xmlFreeDoc(document);
}

std::variant<xml_doc_ptr, xml_parse_error> parse_xml(std::string_view text) {
  // A byte-order mark carries no content; dropping it lets the blank check
  // and the parser see the document itself.
  if (text.substr(0, utf8_bom.size()) == utf8_bom) {
    text.remove_prefix(utf8_bom.size());
  }
  if (is_blank(text)) {
    return xml_parse_error{domain::failure_category::empty_document,
                           "document is empty"};
  }

  if (text.size() > max_document_size) {
    return xml_parse_error{domain::failure_category::not_well_formed,
                           "document exceeds the parser's size limit"};
  }

  // One context per call: the error handler and its capture live on it,
  // so concurrent parses on other threads never share state.
  std::unique_ptr<xmlParserCtxt, context_deleter> context(xmlNewParserCtxt());
  if (!context) {
    return xml_parse_error{domain::failure_category::not_well_formed,
                           "cannot allocate an XML parser context"};
  }
  error_capture capture;
  context->_private = &capture;
  context->sax->serror = capture_context_error;
  scoped_error_handler thread_handler(&capture);

  xml_doc_ptr document(xmlCtxtReadMemory(
      context.get(), text.data(), static_cast<int>(text.size()),
      nullptr /*url*/, nullptr /*encoding*/, parse_options));
  if (!document || context->wellFormed == 0) {
    std::string message =
        capture.seen ? capture.message : "document is not well-formed";
    return xml_parse_error{domain::failure_category::not_well_formed,
                           std::move(message)};
  }
  return document;
}

}  // namespace xmlshred::infra
