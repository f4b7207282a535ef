#include "app/source_opening.hpp"

#include <variant>

#include <spdlog/logger.h>

namespace xmlshred::app {

std::unique_ptr<infra::source_store> open_source_for_loading(
    const std::string& url_text, const domain::contract& contract,
    spdlog::logger& log) {
  auto url = infra::parse_database_url(url_text);
  if (auto* problem = std::get_if<std::string>(&url)) {
    log.error("--source: {}", *problem);
    return nullptr;
  }
  infra::source_table_spec table{contract.source_table, contract.key_column(),
                                 contract.source_column};
  auto store = infra::source_store::open(std::get<infra::database_url>(url),
                                         table);
  if (!store) {
    log.error("cannot open the source: {}", store.error().message);
    return nullptr;
  }
  if (auto created = store.value()->ensure_table(); !created) {
    log.error("cannot create the source table: {}", created.error().message);
    return nullptr;
  }
  return std::move(store.value());
}

}  // namespace xmlshred::app
