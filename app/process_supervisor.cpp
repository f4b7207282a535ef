#include "app/process_supervisor.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>
#include <variant>
#include <vector>

#include "infra/event_log.hpp"
#include "infra/logging.hpp"

namespace xmlshred::app {
namespace {

constexpr int exit_aborted = 3;
constexpr int exit_usage = 2;
constexpr int signal_exit_base = 128;
constexpr const char* supervise_flag = "--supervise";

/// The child a signal is passed on to; 0 while none runs.
std::atomic<pid_t> running_child{0};
std::atomic<bool> stop_requested{false};

void pass_signal_on(int signal_number) {
  stop_requested = true;
  const pid_t child = running_child;
  if (child > 0) {
    kill(child, signal_number);
  }
}

/// This process's own command line, without --supervise.
std::vector<std::string> child_arguments() {
  std::ifstream in{"/proc/self/cmdline", std::ios::binary};
  std::vector<std::string> arguments;
  for (std::string argument; std::getline(in, argument, '\0');) {
    if (argument != supervise_flag) {
      arguments.push_back(argument);
    }
  }
  return arguments;
}

pid_t start_child(std::vector<std::string> arguments) {
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    for (auto& argument : arguments) {
      argv.push_back(argument.data());
    }
    argv.push_back(nullptr);
    execv("/proc/self/exe", argv.data());
    _exit(127);
  }
  return pid;
}

/// How the child ended, as an exit code (128+N for a signal).
int wait_child(pid_t pid, std::string& how) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) {
    how = "signal " + std::to_string(WTERMSIG(status));
    return signal_exit_base + WTERMSIG(status);
  }
  how = "exit " + std::to_string(WEXITSTATUS(status));
  return WEXITSTATUS(status);
}

/// Whether an ended child should be started again.
bool worth_restarting(int code, bool died_by_signal) {
  if (stop_requested) {
    return false;
  }
  return died_by_signal || code == exit_aborted;
}

std::shared_ptr<infra::event_log> open_events(const std::string& file) {
  auto opened = infra::event_log::open(file, "process-supervisor");
  if (auto* log = std::get_if<std::shared_ptr<infra::event_log>>(&opened)) {
    return *log;
  }
  return infra::event_log::discard();
}

}  // namespace

int supervise_process(const process_restart_policy& policy,
                      const std::string& events_file) {
  auto log = infra::logger("supervise");
  auto events = open_events(events_file);
  std::signal(SIGINT, pass_signal_on);
  std::signal(SIGTERM, pass_signal_on);

  const auto arguments = child_arguments();
  int consecutive = 0;
  for (;;) {
    const auto started = std::chrono::steady_clock::now();
    const pid_t child = start_child(arguments);
    running_child = child;
    events->emit(infra::event{"process_started"}.set_detail("pid", child));
    // The child appends to the same file: ours must be on disk first.
    events->flush();
    std::string how;
    const int code = wait_child(child, how);
    running_child = 0;
    const bool by_signal = code > signal_exit_base && how.rfind("signal", 0) == 0;
    events->emit(infra::event{"process_exited"}
                     .set_reason(how)
                     .set_detail("exit_code", code)
                     .mark_important());
    if (!worth_restarting(code, by_signal) || code == exit_usage) {
      events->flush();
      return code;
    }

    // A child that lived long enough was healthy: the count starts again.
    const auto lived = std::chrono::steady_clock::now() - started;
    if (lived > std::chrono::milliseconds{policy.stable_after_ms}) {
      consecutive = 0;
    }
    if (++consecutive > policy.max_restarts) {
      log->error("run keeps dying, giving up restarts={}", consecutive - 1);
      events->emit(infra::event{"process_gave_up"}
                       .set_restarts(consecutive - 1)
                       .set_reason(how)
                       .mark_important());
      events->flush();
      return exit_aborted;
    }
    const auto delay = std::min<long long>(
        static_cast<long long>(policy.backoff_min_ms) << std::min(consecutive - 1, 20),
        policy.backoff_max_ms);
    log->warn("run ended ({}), restarting in {} ms restart={}", how, delay,
              consecutive);
    events->emit(infra::event{"process_restarted"}
                     .set_restarts(consecutive)
                     .set_backoff_ms(delay)
                     .set_reason(how));
    events->flush();
    std::this_thread::sleep_for(std::chrono::milliseconds{delay});
    if (stop_requested) {
      return signal_exit_base + SIGTERM;
    }
  }
}

}  // namespace xmlshred::app
