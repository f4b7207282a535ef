#include "infra/process_memory.hpp"

#include <malloc.h>

namespace xmlshred::infra {

void return_free_memory() {
  // 0: keep no padding at the top of the heap; glibc also releases whole
  // free pages inside every arena, not only at the top.
  malloc_trim(0);
}

memory_returner::memory_returner(std::chrono::milliseconds interval)
    : interval_(interval) {}

void memory_returner::maybe_return() {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_return_ < interval_) {
    return;
  }
  last_return_ = now;
  return_free_memory();
}

}  // namespace xmlshred::infra
