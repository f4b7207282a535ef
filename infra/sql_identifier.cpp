#include "infra/sql_identifier.hpp"

#include <cctype>

namespace xmlshred::infra {
namespace {

constexpr std::size_t max_identifier_length = 63;

bool is_identifier_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_';
}

bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

}  // namespace

std::optional<std::string> identifier_problem(std::string_view name) {
  if (name.empty()) {
    return std::string("name is empty");
  }
  if (name.size() > max_identifier_length) {
    return "name '" + std::string(name) + "' is longer than " +
           std::to_string(max_identifier_length) + " characters";
  }
  if (!is_identifier_start(name.front())) {
    return "name '" + std::string(name) +
           "' must start with a letter or '_'";
  }
  for (char c : name) {
    if (!is_identifier_char(c)) {
      return "name '" + std::string(name) +
             "' may hold only letters, digits and '_'";
    }
  }
  return std::nullopt;
}

std::string quote_identifier(backend dialect, std::string_view name) {
  std::string quoted = "\"";
  for (char c : name) {
    quoted += dialect == backend::postgresql
                  ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                  : c;
  }
  quoted += '"';
  return quoted;
}

std::string qualified_table(backend dialect, std::string_view schema,
                            std::string_view table) {
  if (dialect == backend::postgresql && !schema.empty()) {
    return quote_identifier(dialect, schema) + "." +
           quote_identifier(dialect, table);
  }
  return quote_identifier(dialect, table);
}

}  // namespace xmlshred::infra
