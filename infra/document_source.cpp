#include "infra/document_source.hpp"

#include "infra/generated_source.hpp"
#include "infra/source_store.hpp"

namespace xmlshred::infra {

std::variant<source_location, std::string> parse_source_location(
    std::string_view text) {
  source_location location;
  if (text.substr(0, generated_scheme.size()) == generated_scheme) {
    auto generated = parse_generated_url(text);
    if (auto* problem = std::get_if<std::string>(&generated)) {
      return *problem;
    }
    location.generated = std::get<generated_source_options>(generated);
    location.masked = std::string(text);
    return location;
  }
  auto database = parse_database_url(text);
  if (auto* problem = std::get_if<std::string>(&database)) {
    return *problem;
  }
  location.database = std::get<database_url>(database);
  location.masked = location.database->masked;
  return location;
}

result<std::unique_ptr<document_source>> open_document_source(
    const source_location& location, const source_table_spec& table,
    const domain::contract& rules) {
  if (location.generated) {
    return std::unique_ptr<document_source>(
        std::make_unique<generated_source>(rules, *location.generated));
  }
  if (!location.database) {
    return db_error{db_error_kind::fatal, "no source was given"};
  }
  auto store = source_store::open(*location.database, table);
  if (!store) {
    return store.error();
  }
  return std::unique_ptr<document_source>(std::move(store.value()));
}

}  // namespace xmlshred::infra
