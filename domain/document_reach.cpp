#include "domain/document_reach.hpp"

namespace xmlshred::domain {

document_reach::document_reach() : nodes_(1) {}

document_reach document_reach::everything() {
  document_reach reach;
  reach.nodes_[tree_root].whole_subtree = true;
  return reach;
}

document_reach::node_index document_reach::add_path(
    const element_path& path) {
  node_index node = tree_root;
  for (const auto& step : path.steps) {
    if (auto existing = child(node, step)) {
      node = *existing;
      continue;
    }
    nodes_.push_back(name_node{step, false, {}});
    const node_index added = nodes_.size() - 1;
    nodes_[node].children.push_back(added);
    node = added;
  }
  return node;
}

void document_reach::add_walked_path(const element_path& path) {
  add_path(path);
}

void document_reach::add_subtree(const element_path& path) {
  nodes_[add_path(path)].whole_subtree = true;
}

void document_reach::merge(const document_reach& other) {
  // Depth-first over the other tree, carrying each node's path.
  struct pending {
    node_index node;
    element_path path;
  };
  std::vector<pending> stack{{tree_root, element_path{}}};
  while (!stack.empty()) {
    auto [node, path] = std::move(stack.back());
    stack.pop_back();
    const name_node& entry = other.nodes_[node];
    if (entry.whole_subtree) {
      add_subtree(path);
    } else {
      add_walked_path(path);
    }
    // Pushed in reverse so that entries are added in the other's order.
    for (auto next = entry.children.rbegin(); next != entry.children.rend();
         ++next) {
      element_path longer = path;
      longer.steps.push_back(other.nodes_[*next].name);
      stack.push_back({*next, std::move(longer)});
    }
  }
}

bool document_reach::keeps_everything() const {
  return nodes_[tree_root].whole_subtree;
}

std::optional<document_reach::node_index> document_reach::child(
    node_index node, std::string_view name) const {
  for (node_index candidate : nodes_[node].children) {
    if (nodes_[candidate].name == name) {
      return candidate;
    }
  }
  return std::nullopt;
}

bool document_reach::keeps_subtree(node_index node) const {
  return nodes_[node].whole_subtree;
}

std::string document_reach::describe() const {
  std::string out;
  describe_node(tree_root, "", out);
  return out;
}

void document_reach::describe_node(node_index node, const std::string& prefix,
                                   std::string& out) const {
  const name_node& entry = nodes_[node];
  const std::string path = node == tree_root ? "" : prefix + "/" + entry.name;
  if (entry.whole_subtree) {
    out += "subtree " + (path.empty() ? std::string("/") : path) + "\n";
    return;  // Entries below a whole subtree add nothing.
  }
  if (entry.children.empty() && node != tree_root) {
    out += "walk " + path + "\n";
  }
  for (node_index next : entry.children) {
    describe_node(next, path, out);
  }
}

}  // namespace xmlshred::domain
