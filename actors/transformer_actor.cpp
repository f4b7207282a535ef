#include "actors/transformer_actor.hpp"

#include <chrono>
#include <exception>
#include <string>
#include <utility>
#include <variant>

#include "actors/actor_errors.hpp"
#include "actors/messages.hpp"
#include "actors/supervisor_actor.hpp"
#include "infra/xml_document.hpp"

namespace xmlshred::actors {
namespace {

struct transformer_state {
  static inline const char* name = "transformer";

  transformer_settings settings;
  /// What the contracts read; the parser builds nothing else.
  domain::document_reach reach;
  /// The key being transformed, for the crash report.
  domain::record_key current = 0;
};

using transformer_actor = caf::stateful_actor<transformer_state>;

/// Strikes a configured fault at `stage`, if one selects this record.
void inject_fault(transformer_state& st, infra::fault_stage stage,
                  domain::record_key key) {
  if (!st.settings.faults) {
    return;
  }
  if (const auto* fault = st.settings.faults->check(stage, key)) {
    st.settings.events->emit(infra::event{"fault_injected"}
                                 .set_actor(st.settings.name)
                                 .set_record(key)
                                 .set_reason(fault->text)
                                 .set_detail("stage", infra::to_string(stage))
                                 .set_detail("action",
                                             infra::to_string(fault->action))
                                 .mark_important());
    infra::perform_fault(*fault, key);
  }
}

domain::record_outcome transform(transformer_state& st,
                                 const domain::source_record& record) {
  inject_fault(st, infra::fault_stage::parse, record.key);
  auto parsed = infra::parse_xml(record.xml, &st.reach);
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
  return st.settings.router->map(document, record.key);
}

/// The crash names the record and the exception's message; exception
/// texts of the mapper carry no field values.
caf::error crash_reason(domain::record_key key, std::exception_ptr& error) {
  std::string what = "unknown exception";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& caught) {
    what = caught.what();
  } catch (...) {
  }
  return record_crash_error(key, "transformer crashed: " + what);
}

caf::behavior transformer(transformer_actor* self, caf::actor registry,
                          transformer_settings settings) {
  self->state.settings = std::move(settings);
  self->state.reach = self->state.settings.router->reach();
  self->set_exception_handler([self](std::exception_ptr& error) {
    return crash_reason(self->state.current, error);
  });
  self->send(registry, ready_atom::value, self->state.settings.name,
             caf::actor_cast<caf::actor>(self));
  return {
      [self](domain::source_record& record) {
        auto& st = self->state;
        st.current = record.key;
        // Noted before any work, so a death of the whole process while on
        // this record is counted against it at the next start.
        st.settings.journal->begin(st.settings.journal_slot, record.key);
        const auto started = std::chrono::system_clock::now();
        const auto clock_start = std::chrono::steady_clock::now();
        auto outcome = transform(st, record);
        outcome.attempts = record.attempt;
        outcome.started_at = started;
        outcome.duration =
            std::chrono::duration_cast<std::chrono::microseconds>(
                std::chrono::steady_clock::now() - clock_start);
        st.settings.journal->end(st.settings.journal_slot);
        return outcome;
      },
  };
}

}  // namespace

caf::actor spawn_transformer(caf::local_actor* parent, caf::actor registry,
                             transformer_settings settings) {
  return parent->spawn<caf::detached + caf::monitored>(
      transformer, std::move(registry), std::move(settings));
}

}  // namespace xmlshred::actors
