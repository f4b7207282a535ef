#include "infra/database_url.hpp"

#include <regex>
#include <string>

namespace xmlshred::infra {
namespace {

constexpr std::string_view sqlite_prefix = "sqlite:";
constexpr std::string_view postgresql_schemes[] = {"postgresql://",
                                                   "postgres://"};
constexpr std::string_view mask = "***";
constexpr std::string_view accepted_forms =
    "expected sqlite:PATH (relative or absolute file path) or "
    "postgresql://USER:PASSWORD@HOST:PORT/DBNAME[?OPTIONS] "
    "(postgres:// is accepted too)";

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// SOCI's sqlite3 backend reads a connect string without '=' as a bare file
// name; with '=' it parses key=value pairs, so such a path must be quoted.
std::string sqlite_connect_string(const std::string& path) {
  if (path.find('=') == std::string::npos &&
      path.find(' ') == std::string::npos) {
    return path;
  }
  return "db=\"" + path + "\"";
}

std::variant<database_url, std::string> parse_sqlite(std::string_view text) {
  std::string path(text.substr(sqlite_prefix.size()));

  // "sqlite:///abs/path" and "sqlite://rel" are common URL spellings of
  // the same thing: drop the authority marker.
  if (starts_with(path, "//")) {
    path.erase(0, 2);
  }
  if (path.empty()) {
    return std::string("database URL 'sqlite:' names no file; ") +
           std::string(accepted_forms);
  }
  if (path.find('"') != std::string::npos) {
    return std::string("database URL: a sqlite path may not contain '\"'");
  }
  database_url url;
  url.kind = backend::sqlite;
  url.sqlite_path = path;
  url.connect_string = sqlite_connect_string(path);
  url.masked = std::string(text);
  return url;
}

std::variant<database_url, std::string> parse_postgresql(
    std::string_view text, std::string_view scheme) {
  std::string_view rest = text.substr(scheme.size());
  if (rest.empty() || rest.front() == '?') {
    return "database URL '" + mask_url_secrets(text) +
           "' names no host or database; " + std::string(accepted_forms);
  }

  // libpq parses the URI itself; SOCI hands the connect string to it.
  database_url url;
  url.kind = backend::postgresql;
  url.connect_string = std::string(text);
  url.masked = mask_url_secrets(text);
  return url;
}

}  // namespace

std::variant<database_url, std::string> parse_database_url(
    std::string_view text) {
  if (starts_with(text, sqlite_prefix)) {
    return parse_sqlite(text);
  }
  if (starts_with(text, generated_scheme)) {
    return "'" + std::string(text) +
           "' makes documents on demand and is accepted only as the "
           "--source of `xmlshred run` or `xmlshred verify`; give a "
           "database here: " + std::string(accepted_forms);
  }
  for (std::string_view scheme : postgresql_schemes) {
    if (starts_with(text, scheme)) {
      return parse_postgresql(text, scheme);
    }
  }
  return "unsupported database URL '" + mask_url_secrets(text) + "': " +
         std::string(accepted_forms);
}

std::string mask_url_secrets(std::string_view text) {
  // scheme://user:secret@host -> scheme://user:***@host. The user part
  // stops at ':' '/' '@' or blank; the secret runs to the last '@' before
  // the next blank or '/', so a password containing '@' is masked whole.
  static const std::regex url_password(
      R"(([A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*:)[^\s/]*@)");
  // libpq key=value strings: password=secret or password='a secret'.
  static const std::regex keyword_password(
      R"(((?:^|[\s?&])password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+))",
      std::regex::icase);

  std::string masked(text);
  masked = std::regex_replace(masked, url_password,
                              "$1" + std::string(mask) + "@");
  masked = std::regex_replace(masked, keyword_password,
                              "$1" + std::string(mask));
  return masked;
}

}  // namespace xmlshred::infra
