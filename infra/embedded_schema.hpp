#pragma once

#include <string_view>
#include <vector>

namespace xmlshred::infra {

/// One schema file compiled into the binary.
struct embedded_sql_file {
  /// Path relative to schema/, e.g. "sqlite/core.sql".
  std::string_view name;
  /// The file's text, unchanged.
  std::string_view text;
};

/// Every file of schema/ listed in infra/CMakeLists.txt, in that order. The
/// data is static: the views stay valid for the life of the process and the
/// list may be read from any thread.
const std::vector<embedded_sql_file>& embedded_sql_files();

}  // namespace xmlshred::infra
