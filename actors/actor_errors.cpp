#include "actors/actor_errors.hpp"

namespace xmlshred::actors {

caf::error reason_error(const std::string& reason) {
  return caf::make_error(caf::sec::runtime_error, reason);
}

caf::error describe_exception(std::exception_ptr& error,
                              const std::string& what) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& caught) {
    return reason_error(what + ": " + caught.what());
  } catch (...) {
    return reason_error(what + ": unknown exception");
  }
}

std::string describe_error(const caf::error& error) {
  // The last text of the context is the reason: a plain reason_error has
  // one, a record crash carries a tag, the key and then the reason.
  const auto& context = error.context();
  for (size_t index = context.size(); index > 0; --index) {
    if (context.match_element<std::string>(index - 1)) {
      return context.get_as<std::string>(index - 1);
    }
  }
  if (error == caf::sec::request_timeout) {
    return "no reply in time";
  }
  if (error == caf::sec::request_receiver_down) {
    return "the actor stopped before replying";
  }
  if (error == caf::exit_reason::user_shutdown) {
    return "stopped on request";
  }
  return caf::to_string(error);
}

}  // namespace xmlshred::actors
