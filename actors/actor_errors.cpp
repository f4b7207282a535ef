#include "actors/actor_errors.hpp"

namespace xmlshred::actors {

caf::error reason_error(const std::string& reason) {
  return caf::make_error(caf::sec::runtime_error, reason);
}

std::string describe_error(const caf::error& error) {
  const auto& context = error.context();
  for (size_t index = 0; index < context.size(); ++index) {
    if (context.match_element<std::string>(index)) {
      return context.get_as<std::string>(index);
    }
  }
  if (error == caf::sec::request_timeout) {
    return "no reply in time";
  }
  if (error == caf::sec::request_receiver_down) {
    return "the actor stopped before replying";
  }
  return caf::to_string(error);
}

}  // namespace xmlshred::actors
