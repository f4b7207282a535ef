#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

namespace xmlshred::infra {

/// Sets up the process-wide logging: human-readable lines on stderr (stdout
/// stays free for data output), at `level` ("trace" ... "error", "off").
/// Call once from main before any actor starts.
void init_logging(const std::string& level);

/// The named logger of a subsystem ("reader", "writer", ...), created on
/// first use with the settings of init_logging. Thread-safe.
std::shared_ptr<spdlog::logger> logger(const std::string& name);

}  // namespace xmlshred::infra
