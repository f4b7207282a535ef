#pragma once

#include <memory>
#include <string>

#include "domain/contract.hpp"
#include "infra/source_store.hpp"

namespace spdlog {
class logger;
}

namespace xmlshred::app {

/// Opens the source table that `contract` names (its source_table, key
/// column and source_column) at `url_text`, creating the table when
/// missing, for commands that fill it (import, generate). Logs why and
/// returns null when the URL is wrong or the database refuses.
std::unique_ptr<infra::source_store> open_source_for_loading(
    const std::string& url_text, const domain::contract& contract,
    spdlog::logger& log);

}  // namespace xmlshred::app
