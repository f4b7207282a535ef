#pragma once

#include <string>

#include "actors/messages.hpp"

namespace xmlshred::app {

/// Peak resident memory of this process so far, in megabytes.
double peak_memory_mb();

/// Prints the short human summary of a run on stderr.
void print_summary(const actors::run_summary& summary,
                   const std::string& target);

/// Writes the summary as JSON to `file`; returns an error text on failure.
std::optional<std::string> write_summary_json(
    const actors::run_summary& summary, const std::string& target,
    const std::string& file);

}  // namespace xmlshred::app
