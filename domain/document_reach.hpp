#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/xml_access.hpp"

namespace xmlshred::domain {

/// The elements of a document that a set of contracts can ever read, as a
/// tree of element names from the root. A parser given the reach may leave
/// every other subtree out of the tree it builds: mapping the smaller tree
/// gives the same rows, and most of a credit application (bureau reports,
/// journals) is never read.
///
/// Two kinds of entries:
/// - a walked path: each element along it is read (its attributes), and
///   its children only where another entry leads on;
/// - a whole subtree: the element and everything below it, for places
///   searched by element name at any depth.
///
/// Built once before any document is parsed; immutable and thread-safe to
/// read afterwards.
class document_reach {
 public:
  /// Index of a node of the name tree; the root of the tree (above the
  /// document's root element) is node 0.
  using node_index = std::size_t;
  static constexpr node_index tree_root = 0;

  document_reach();

  /// A reach that keeps every element: nothing may be left out.
  static document_reach everything();

  void add_walked_path(const element_path& path);
  void add_subtree(const element_path& path);
  /// Adds every entry of `other`.
  void merge(const document_reach& other);

  /// True when no element may be left out.
  bool keeps_everything() const;

  /// The child of `node` named `name`, or nullopt when elements of that
  /// name below `node` are out of reach.
  std::optional<node_index> child(node_index node,
                                  std::string_view name) const;

  /// True when everything below `node` is in reach.
  bool keeps_subtree(node_index node) const;

  /// The entries, one per line ("walk /a/b", "subtree /a/b/c"), for logs and
  /// tests.
  std::string describe() const;

 private:
  struct name_node {
    std::string name;
    bool whole_subtree = false;
    std::vector<node_index> children;
  };

  node_index add_path(const element_path& path);
  void describe_node(node_index node, const std::string& prefix,
                     std::string& out) const;

  std::vector<name_node> nodes_;
};

}  // namespace xmlshred::domain
