#include "actors/transformer_actor.hpp"

#include <chrono>
#include <exception>
#include <string>
#include <utility>
#include <variant>

#include "actors/actor_errors.hpp"
#include "actors/messages.hpp"
#include "infra/logging.hpp"
#include "infra/xml_document.hpp"

namespace xmlshred::actors {
namespace {

struct transformer_state {
  static inline const char* name = "transformer";

  std::shared_ptr<const domain::document_router> router;
  std::shared_ptr<infra::fault_injector> faults;
  std::shared_ptr<spdlog::logger> log = infra::logger("transformer");
  /// The key being transformed, for the crash report.
  domain::record_key current = 0;
};

using transformer_actor = caf::stateful_actor<transformer_state>;

/// Strikes a configured fault at `stage`, if one selects this record.
void inject_fault(transformer_state& st, infra::fault_stage stage,
                  domain::record_key key) {
  if (!st.faults) {
    return;
  }
  if (const auto* fault = st.faults->check(stage, key)) {
    st.log->warn("fault injected fault={} record={}", fault->text, key);
    infra::perform_fault(*fault, key);
  }
}

domain::record_outcome transform(transformer_state& st,
                                 const domain::source_record& record) {
  const auto& router = *st.router;
  inject_fault(st, infra::fault_stage::parse, record.key);
  auto parsed = infra::parse_xml(record.xml);
  if (auto* problem = std::get_if<infra::xml_parse_error>(&parsed)) {
    // A document that cannot be parsed is damaged data, not a document of
    // another kind: it fails, where a wrong root or product line is
    // rejected by rule.
    return domain::unconverted_outcome(record.key,
                                       domain::record_status::failed,
                                       problem->category, problem->message);
  }
  const auto& document = *std::get<infra::xml_doc_ptr>(parsed);
  inject_fault(st, infra::fault_stage::transform, record.key);
  return router.map(document, record.key);
}

/// The crash reason names the record and the exception type's message;
/// exception texts from the mapper carry no field values.
caf::error crash_reason(domain::record_key key, std::exception_ptr& error) {
  std::string what = "unknown exception";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& caught) {
    what = caught.what();
  } catch (...) {
  }
  return reason_error("transformer crashed on record " +
                      std::to_string(key) + ": " + what);
}

caf::behavior transformer(
    transformer_actor* self,
    std::shared_ptr<const domain::document_router> router,
    std::shared_ptr<infra::fault_injector> faults) {
  self->state.router = std::move(router);
  self->state.faults = std::move(faults);
  self->set_exception_handler([self](std::exception_ptr& error) {
    return crash_reason(self->state.current, error);
  });
  return {
      [self](domain::source_record& record) {
        self->state.current = record.key;
        const auto started = std::chrono::system_clock::now();
        const auto clock_start = std::chrono::steady_clock::now();
        auto outcome = transform(self->state, record);
        outcome.attempts = record.attempt;
        outcome.started_at = started;
        outcome.duration =
            std::chrono::duration_cast<std::chrono::microseconds>(
                std::chrono::steady_clock::now() - clock_start);
        return outcome;
      },
  };
}

}  // namespace

caf::actor spawn_transformer(
    caf::local_actor* parent,
    std::shared_ptr<const domain::document_router> router,
    std::shared_ptr<infra::fault_injector> faults) {
  return parent->spawn<caf::detached + caf::monitored>(
      transformer, std::move(router), std::move(faults));
}

}  // namespace xmlshred::actors
