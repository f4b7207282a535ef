#include "infra/process_memory.hpp"

#include <malloc.h>

namespace xmlshred::infra {

void return_free_memory() {
  // 0: keep no padding at the top of the heap; glibc also releases whole
  // free pages inside every arena, not only at the top.
  malloc_trim(0);
}

}  // namespace xmlshred::infra
