#pragma once

#include <string>
#include <string_view>
#include <variant>

namespace xmlshred::infra {

enum class backend { sqlite, postgresql };

/// A parsed --source / --target URL.
struct database_url {
  backend kind = backend::sqlite;
  /// For sqlite: the file path after "sqlite:".
  std::string sqlite_path;
  /// What SOCI's backend is opened with (for postgresql the libpq URI).
  std::string connect_string;
  /// The URL with any password replaced by "***": safe to log.
  std::string masked;
};

/// The scheme of a generated document source ("generated:?count=N..."):
/// not a database, so parse_database_url refuses it with a message saying
/// where it is accepted (see infra/document_source.hpp).
inline constexpr std::string_view generated_scheme = "generated:";

/// Parses "sqlite:PATH" or "postgresql://user:pw@host:port/db?opts". On
/// failure returns a message saying what is accepted.
[[nodiscard]] std::variant<database_url, std::string> parse_database_url(
    std::string_view text);

/// Replaces the password of any URL-shaped secret in `text` with "***".
std::string mask_url_secrets(std::string_view text);

}  // namespace xmlshred::infra
