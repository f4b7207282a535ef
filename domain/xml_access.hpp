#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <libxml/tree.h>

namespace xmlshred::domain {

/// An absolute element path such as "/Provenir/Request/CustData" split into
/// its element names once, so documents are walked without re-parsing it.
struct element_path {
  std::vector<std::string> steps;

  /// Splits "/a/b/c"; empty segments are ignored.
  static element_path parse(std::string_view text);

  /// True when `other` starts with all steps of this path.
  bool is_prefix_of(const element_path& other) const;
  bool operator==(const element_path& other) const {
    return steps == other.steps;
  }
};

/// The root element of a document, or nullptr.
const xmlNode* root_element(const xmlDoc& document);

/// True when the element is named `name`.
bool has_name(const xmlNode* element, std::string_view name);

/// The last element in document order reached by `steps[first..]` below
/// `start`'s children, or nullptr. With first == 0 and `start` the root,
/// steps[0] must name the root itself.
const xmlNode* find_last(const xmlNode* start, const element_path& path,
                         std::size_t first);

/// Every element matching `path` from the document root, in document order.
std::vector<const xmlNode*> find_all(const xmlDoc& document,
                                     const element_path& path);

/// The element `levels` steps above `element` (0: the element itself).
const xmlNode* ancestor(const xmlNode* element, std::size_t levels);

/// The value of attribute `name` on `element`: an exact name match first,
/// then a case-insensitive one (documents vary in capitalisation). Returns
/// false when absent. `scratch` holds the text when libxml2 keeps it in
/// several nodes; `value` then points into it.
bool read_attribute(const xmlNode* element, const std::string& name,
                    std::string_view& value, std::string& scratch);

}  // namespace xmlshred::domain
