#pragma once

#include <exception>
#include <string>

#include <caf/all.hpp>

namespace xmlshred::actors {

/// An error carrying a human-readable reason, for replies between actors.
caf::error reason_error(const std::string& reason);

/// An error for an actor's exception handler: `what` plus the exception's
/// own message.
caf::error describe_exception(std::exception_ptr& error,
                              const std::string& what);

/// The reason text of an error made by reason_error or by a crash handler,
/// or CAF's rendering of any other error.
std::string describe_error(const caf::error& error);

}  // namespace xmlshred::actors
