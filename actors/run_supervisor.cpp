#include "actors/run_supervisor.hpp"

#include <chrono>
#include <utility>

#include "actors/actor_errors.hpp"
#include "actors/run_state.hpp"
#include "actors/transformer_actor.hpp"

namespace xmlshred::actors {
namespace detail {

constexpr int exit_all_good = 0;
constexpr int exit_some_failed = 1;
constexpr int exit_aborted = 3;
constexpr int signal_exit_base = 128;

int final_exit_code(const root_state& st) {
  if (st.summary.exit_code == exit_aborted) {
    return exit_aborted;
  }
  if (st.stop_exit_code != 0) {
    return st.stop_exit_code;
  }
  return st.summary.failed > 0 ? exit_some_failed : exit_all_good;
}

void abort_run(root_actor* self, const std::string& reason) {
  auto& st = self->state;
  if (st.summary.exit_code == exit_aborted || st.finishing) {
    return;
  }
  st.log->error("run aborted reason={}", reason);
  st.summary.exit_code = exit_aborted;
  st.summary.abort_reason = reason;
  finish(self);
}

// -- the tree ----------------------------------------------------------------

supervisor_spec source_tree(root_actor* self) {
  const auto& s = self->state.settings;
  auto reader_settings = s.reader;
  caf::actor registry = caf::actor_cast<caf::actor>(self);
  return {"source",
          s.source_policy,
          {{"reader",
            [registry, reader_settings](caf::local_actor* parent) {
              return spawn_reader(parent, registry, reader_settings);
            }}},
          s.events,
          s.seed};
}

supervisor_spec transform_tree(root_actor* self) {
  const auto& s = self->state.settings;
  caf::actor registry = caf::actor_cast<caf::actor>(self);
  supervisor_spec spec{"transform", s.transform_policy, {}, s.events, s.seed};
  for (std::size_t index = 1; index <= s.workers; ++index) {
    transformer_settings worker{"transformer-" + std::to_string(index),
                                s.router,    s.events, s.faults,
                                s.journal,   index - 1};
    spec.children.push_back(
        {worker.name, [registry, worker](caf::local_actor* parent) {
           return spawn_transformer(parent, registry, worker);
         }});
  }
  return spec;
}

supervisor_spec sink_tree(root_actor* self) {
  const auto& s = self->state.settings;
  auto writer_settings = s.writer;
  caf::actor registry = caf::actor_cast<caf::actor>(self);
  return {"sink",
          s.sink_policy,
          {{"writer",
            [registry, writer_settings](caf::local_actor* parent) {
              return spawn_writer(parent, registry, writer_settings);
            }}},
          s.events,
          s.seed};
}

void begin_run(root_actor* self) {
  auto& st = self->state;
  self->request(st.writer, setup_timeout, begin_run_atom::value,
                st.settings.settings_json)
      .then(
          [=]() {
            self->state.run_begun = true;
            pump(self);
          },
          [=](caf::error& error) { abort_run(self, describe_error(error)); });
}

void on_ready(root_actor* self, const std::string& name, caf::actor worker) {
  auto& st = self->state;
  if (st.finishing) {
    return;
  }
  self->monitor(worker);
  st.worker_names[worker.address()] = name;
  if (name == "reader") {
    st.reader = worker;
  } else if (name == "writer") {
    st.writer = worker;
    if (!st.run_begun) {
      begin_run(self);
    }
    for (const auto& [key, outcome] : st.unacked) {
      send_to_writer(self, outcome);
    }
  } else {
    st.idle.push_back(worker);
  }
  pump(self);
}

void on_down(root_actor* self, const caf::down_msg& down) {
  auto& st = self->state;
  if (st.finishing) {
    return;
  }
  for (auto* tree : {&st.source_supervisor, &st.transform_supervisor,
                     &st.sink_supervisor}) {
    if (*tree && down.source == tree->address()) {
      const auto reason = describe_error(down.reason);
      emit(st, infra::event{"escalated"}.set_reason(reason).mark_important());
      abort_run(self, reason);
      return;
    }
  }
  st.worker_names.erase(down.source);
  st.idle.erase(std::remove_if(st.idle.begin(), st.idle.end(),
                               [&](const caf::actor& worker) {
                                 return worker.address() == down.source;
                               }),
                st.idle.end());
  if (st.reader && down.source == st.reader.address()) {
    st.reader = nullptr;
  } else if (st.writer && down.source == st.writer.address()) {
    st.writer = nullptr;
  }
}

// -- life cycle ----------------------------------------------------------------

void start_tree(root_actor* self) {
  auto& st = self->state;
  st.started = std::chrono::steady_clock::now();
  emit(st, infra::event{"run_started"}.set_detail(
               "settings", nlohmann::json::parse(st.settings.settings_json)));
  // The sink first, so the run's row exists before anything is read.
  st.sink_supervisor = spawn_supervisor(self, sink_tree(self));
  st.transform_supervisor = spawn_supervisor(self, transform_tree(self));
  st.source_supervisor = spawn_supervisor(self, source_tree(self));
}

void stop_tree(root_actor* self) {
  auto& st = self->state;
  for (auto* tree : {&st.source_supervisor, &st.transform_supervisor,
                     &st.sink_supervisor}) {
    if (*tree) {
      self->send_exit(*tree, caf::exit_reason::user_shutdown);
    }
  }
}

void deliver_summary(root_actor* self) {
  auto& st = self->state;
  auto& s = st.summary;
  s.elapsed_seconds = std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - st.started)
                          .count();
  emit(st, infra::event{"run_finished"}
               .set_detail("read", s.read)
               .set_detail("already_done", s.already_done)
               .set_detail("converted", s.converted)
               .set_detail("rejected", s.rejected)
               .set_detail("failed", s.failed)
               .set_detail("exit_code", s.exit_code)
               .set_detail("elapsed_s", s.elapsed_seconds)
               .set_reason(s.abort_reason)
               .mark_important());
  st.settings.events->flush();
  st.done.deliver(s);
  stop_tree(self);
  self->quit();
}

/// Records the run's end in the target, then answers the start request.
void finish(root_actor* self) {
  auto& st = self->state;
  if (st.finishing) {
    return;
  }
  st.finishing = true;
  st.summary.exit_code = final_exit_code(st);
  infra::run_totals totals{st.summary.read, st.summary.converted,
                           st.summary.rejected, st.summary.failed};
  if (!st.writer) {
    deliver_summary(self);
    return;
  }
  self->request(st.writer, setup_timeout, finish_run_atom::value, totals,
                st.summary.exit_code)
      .then([=]() { deliver_summary(self); },
            [=](caf::error& error) {
              self->state.log->error("run row not completed reason={}",
                                     describe_error(error));
              deliver_summary(self);
            });
}

void on_stop(root_actor* self, int signal_number) {
  auto& st = self->state;
  emit(st, infra::event{"shutdown_requested"}
               .set_detail("signal", signal_number)
               .mark_important());
  st.log->warn("shutdown requested signal={}", signal_number);
  st.stopping = true;
  st.stop_exit_code = signal_exit_base + signal_number;
  // Records read but not handed to a transformer have no log row; the next
  // run reads them again.
  st.in_flight -= std::min(st.in_flight, st.pending.size());
  st.summary.read -= std::min(st.summary.read, st.pending.size());
  for (const auto& record : st.pending) {
    st.unreleased.erase(record.key);
  }
  st.pending.clear();
  // Records behind a dropped one may now be next in order.
  if (!st.ready.empty()) {
    auto first = st.ready.extract(st.ready.begin());
    hand_to_writer(self, std::move(first.mapped()));
  }
  pump(self);
}

caf::behavior run_supervisor(root_actor* self, supervisor_settings settings) {
  self->state.settings = std::move(settings);
  self->state.summary.run_id = self->state.settings.writer.run_id;
  self->set_default_handler(caf::drop);
  self->set_down_handler([self](caf::down_msg& down) { on_down(self, down); });
  return {
      [=](start_atom) -> caf::result<run_summary> {
        self->state.done = self->make_response_promise();
        start_tree(self);
        return caf::delegated<run_summary>{};
      },
      [=](ready_atom, const std::string& name, caf::actor worker) {
        on_ready(self, name, std::move(worker));
      },
      [=](circuit_atom, bool open) {
        self->state.circuit_open = open;
        pump(self);
      },
      [=](pump_atom) {
        self->state.page_requested = false;
        pump(self);
      },
      [=](stop_atom, int signal_number) { on_stop(self, signal_number); },
  };
}

}  // namespace detail

caf::actor spawn_run_supervisor(caf::actor_system& system,
                                supervisor_settings settings) {
  return system.spawn(detail::run_supervisor, std::move(settings));
}

}  // namespace xmlshred::actors
