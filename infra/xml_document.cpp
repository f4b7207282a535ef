#include "infra/xml_document.hpp"

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include <limits>
#include <string>
#include <vector>

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

/// What one parse keeps in the context's _private: the first error and,
/// for a parse limited to a reach, where the parser is in the reach.
struct parse_state {
  error_capture capture;
  const domain::document_reach* reach = nullptr;
  /// Reach nodes of the open elements that a walked path leads through;
  /// `no_reach` for a root element that no path names.
  std::vector<domain::document_reach::node_index> open;
  /// Depth inside a subtree kept whole, or left out (0: in neither).
  std::size_t whole_depth = 0;
  std::size_t left_out_depth = 0;
};

constexpr auto no_reach = static_cast<domain::document_reach::node_index>(-1);

parse_state& state_of(void* user_data) {
  return *static_cast<parse_state*>(
      static_cast<xmlParserCtxtPtr>(user_data)->_private);
}

/// The context-level handler receives ctxt->userData; route it to the
/// capture stored in _private.
void capture_context_error(void* user_data, xmlErrorPtr error) {
  auto* context = static_cast<xmlParserCtxtPtr>(user_data);
  auto* state = context != nullptr
                    ? static_cast<parse_state*>(context->_private)
                    : nullptr;
  capture_error(state != nullptr ? &state->capture : nullptr, error);
}

// -- building only what a reach names ---------------------------------------
//
// libxml2 still reads every byte (so well-formedness and its limits are
// checked as before) but the SAX callbacks below skip building nodes for
// subtrees out of reach. Building and freeing nodes is most of a parse's
// cost, and most elements of a document are never read.

/// Whether a new element is built, and how its children are to be treated.
bool enter_element(parse_state& st, const xmlChar* name) {
  if (st.left_out_depth > 0) {
    ++st.left_out_depth;
    return false;
  }
  if (st.whole_depth > 0) {
    ++st.whole_depth;
    return true;
  }
  const auto parent = st.open.empty() ? domain::document_reach::tree_root
                                      : st.open.back();
  const std::string_view text(reinterpret_cast<const char*>(name));
  auto node = parent == no_reach ? std::nullopt : st.reach->child(parent, text);
  if (!node) {
    // The root element is always built, so that a document with another
    // root can be told apart from an empty one.
    if (st.open.empty()) {
      st.open.push_back(no_reach);
      return true;
    }
    st.left_out_depth = 1;
    return false;
  }
  if (st.reach->keeps_subtree(*node)) {
    st.whole_depth = 1;
  } else {
    st.open.push_back(*node);
  }
  return true;
}

/// Whether the element being closed was built.
bool leave_element(parse_state& st) {
  if (st.left_out_depth > 0) {
    --st.left_out_depth;
    return false;
  }
  if (st.whole_depth > 0) {
    --st.whole_depth;
  } else if (!st.open.empty()) {
    st.open.pop_back();
  }
  return true;
}

void start_element_in_reach(void* context, const xmlChar* name,
                            const xmlChar* prefix, const xmlChar* uri,
                            int namespace_count, const xmlChar** namespaces,
                            int attribute_count, int defaulted_count,
                            const xmlChar** attributes) {
  if (enter_element(state_of(context), name)) {
    xmlSAX2StartElementNs(context, name, prefix, uri, namespace_count,
                          namespaces, attribute_count, defaulted_count,
                          attributes);
  }
}

void end_element_in_reach(void* context, const xmlChar* name,
                          const xmlChar* prefix, const xmlChar* uri) {
  if (leave_element(state_of(context))) {
    xmlSAX2EndElementNs(context, name, prefix, uri);
  }
}

bool inside_left_out(void* context) {
  return state_of(context).left_out_depth > 0;
}

void characters_in_reach(void* context, const xmlChar* text, int length) {
  if (!inside_left_out(context)) {
    xmlSAX2Characters(context, text, length);
  }
}

void cdata_in_reach(void* context, const xmlChar* text, int length) {
  if (!inside_left_out(context)) {
    xmlSAX2CDataBlock(context, text, length);
  }
}

void comment_in_reach(void* context, const xmlChar* text) {
  if (!inside_left_out(context)) {
    xmlSAX2Comment(context, text);
  }
}

void instruction_in_reach(void* context, const xmlChar* target,
                          const xmlChar* data) {
  if (!inside_left_out(context)) {
    xmlSAX2ProcessingInstruction(context, target, data);
  }
}

void reference_in_reach(void* context, const xmlChar* name) {
  if (!inside_left_out(context)) {
    xmlSAX2Reference(context, name);
  }
}

/// Routes the node-building callbacks of `context` through the reach.
void limit_to_reach(xmlParserCtxt& context) {
  xmlSAXHandler& sax = *context.sax;
  sax.startElementNs = start_element_in_reach;
  sax.endElementNs = end_element_in_reach;
  sax.characters = characters_in_reach;
  sax.cdataBlock = cdata_in_reach;
  sax.comment = comment_in_reach;
  sax.processingInstruction = instruction_in_reach;
  sax.reference = reference_in_reach;
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
  return parse_xml(text, nullptr);
}

std::variant<xml_doc_ptr, xml_parse_error> parse_xml(
    std::string_view text, const domain::document_reach* reach) {
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
  parse_state state;
  context->_private = &state;
  context->sax->serror = capture_context_error;
  if (reach != nullptr && !reach->keeps_everything()) {
    state.reach = reach;
    limit_to_reach(*context);
  }
  scoped_error_handler thread_handler(&state.capture);

  xml_doc_ptr document(xmlCtxtReadMemory(
      context.get(), text.data(), static_cast<int>(text.size()),
      nullptr /*url*/, nullptr /*encoding*/, parse_options));
  if (!document || context->wellFormed == 0) {
    std::string message = state.capture.seen ? state.capture.message
                                             : "document is not well-formed";
    return xml_parse_error{domain::failure_category::not_well_formed,
                           std::move(message)};
  }
  return document;
}

}  // namespace xmlshred::infra
