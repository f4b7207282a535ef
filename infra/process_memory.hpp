#pragma once

namespace xmlshred::infra {

/// Hands memory the allocator holds but no longer uses back to the system.
///
/// Documents range from 10 KB to 2 MB and are parsed on several threads,
/// each with its own allocator arena; freed pieces of large documents stay
/// mapped in those arenas, so without this the resident size creeps up over
/// a long run although the memory in use does not. Takes a few hundred
/// microseconds; call it now and then (after a batch commits), not per
/// record. Thread-safe.
void return_free_memory();

}  // namespace xmlshred::infra
