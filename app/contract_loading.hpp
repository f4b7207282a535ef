#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/contract.hpp"

namespace xmlshred::app {

using contract_list = std::vector<std::shared_ptr<const domain::contract>>;

/// Loads every contract file. Prints each problem of each file on stderr
/// ("FILE: JSON-PATH: message") and each warning once; returns nullopt when
/// any file has a problem, so the caller exits 2 before writing anything.
std::optional<contract_list> load_contracts(
    const std::vector<std::string>& files);

}  // namespace xmlshred::app
