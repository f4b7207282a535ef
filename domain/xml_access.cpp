#include "domain/xml_access.hpp"

#include <cstring>
#include <strings.h>

namespace xmlshred::domain {
namespace {

const char* name_of(const xmlNode* node) {
  return reinterpret_cast<const char*>(node->name);
}

bool is_element(const xmlNode* node) {
  return node != nullptr && node->type == XML_ELEMENT_NODE;
}

/// Depth-first search from the last child backwards: the first complete
/// match found this way is the last one in document order.
const xmlNode* find_last_below(const xmlNode* parent, const element_path& path,
                               std::size_t step) {
  const std::string& wanted = path.steps[step];
  for (const xmlNode* child = parent->last; child != nullptr;
       child = child->prev) {
    if (!is_element(child) || wanted != name_of(child)) {
      continue;
    }
    if (step + 1 == path.steps.size()) {
      return child;
    }
    if (const xmlNode* found = find_last_below(child, path, step + 1)) {
      return found;
    }
  }
  return nullptr;
}

void find_all_below(const xmlNode* parent, const element_path& path,
                    std::size_t step, std::vector<const xmlNode*>& out) {
  const std::string& wanted = path.steps[step];
  for (const xmlNode* child = parent->children; child != nullptr;
       child = child->next) {
    if (!is_element(child) || wanted != name_of(child)) {
      continue;
    }
    if (step + 1 == path.steps.size()) {
      out.push_back(child);
    } else {
      find_all_below(child, path, step + 1, out);
    }
  }
}

std::string_view attribute_text(const xmlAttr* attribute,
                                std::string& scratch) {
  const xmlNode* text = attribute->children;
  if (text == nullptr) {
    return {};
  }
  // The common case: one text node holding the whole value.
  if (text->next == nullptr && text->type == XML_TEXT_NODE) {
    return text->content != nullptr
               ? std::string_view(reinterpret_cast<const char*>(text->content))
               : std::string_view();
  }
  xmlChar* joined = xmlNodeListGetString(attribute->doc, attribute->children,
                                         1 /*in_line*/);
  scratch = joined != nullptr ? reinterpret_cast<const char*>(joined) : "";
  xmlFree(joined);
  return scratch;
}

}  // namespace

element_path element_path::parse(std::string_view text) {
  element_path path;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t slash = text.find('/', pos);
    if (slash == std::string_view::npos) {
      slash = text.size();
    }
    if (slash > pos) {
      path.steps.emplace_back(text.substr(pos, slash - pos));
    }
    pos = slash + 1;
  }
  return path;
}

bool element_path::is_prefix_of(const element_path& other) const {
  if (steps.size() > other.steps.size()) {
    return false;
  }
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i] != other.steps[i]) {
      return false;
    }
  }
  return true;
}

const xmlNode* root_element(const xmlDoc& document) {
  return xmlDocGetRootElement(&document);
}

bool has_name(const xmlNode* element, std::string_view name) {
  return is_element(element) && name == name_of(element);
}

const xmlNode* find_last(const xmlNode* start, const element_path& path,
                         std::size_t first) {
  if (start == nullptr || first > path.steps.size()) {
    return nullptr;
  }
  if (first == path.steps.size()) {
    return start;
  }
  if (first == 0) {
    // steps[0] names the root element itself.
    if (!has_name(start, path.steps[0])) {
      return nullptr;
    }
    return path.steps.size() == 1 ? start : find_last_below(start, path, 1);
  }
  return find_last_below(start, path, first);
}

std::vector<const xmlNode*> find_all(const xmlDoc& document,
                                     const element_path& path) {
  std::vector<const xmlNode*> found;
  const xmlNode* root = root_element(document);
  if (path.steps.empty() || !has_name(root, path.steps[0])) {
    return found;
  }
  if (path.steps.size() == 1) {
    found.push_back(root);
    return found;
  }
  find_all_below(root, path, 1, found);
  return found;
}

const xmlNode* ancestor(const xmlNode* element, std::size_t levels) {
  for (std::size_t i = 0; i < levels && element != nullptr; ++i) {
    element = element->parent;
  }
  return is_element(element) ? element : nullptr;
}

bool read_attribute(const xmlNode* element, const std::string& name,
                    std::string_view& value, std::string& scratch) {
  if (element == nullptr) {
    return false;
  }
  // strcmp stops at the first differing byte, which is what makes this
  // scan cheap on elements with a hundred attributes.
  const char* wanted = name.c_str();
  for (const xmlAttr* a = element->properties; a != nullptr; a = a->next) {
    if (std::strcmp(wanted, reinterpret_cast<const char*>(a->name)) == 0) {
      value = attribute_text(a, scratch);
      return true;
    }
  }
  for (const xmlAttr* a = element->properties; a != nullptr; a = a->next) {
    if (strcasecmp(wanted, reinterpret_cast<const char*>(a->name)) == 0) {
      value = attribute_text(a, scratch);
      return true;
    }
  }
  return false;
}

}  // namespace xmlshred::domain
