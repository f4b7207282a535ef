#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "domain/record.hpp"

namespace xmlshred::infra {

/// A small local file that says which record each transformer is working
/// on, so that after the process dies the next start knows which records
/// were in flight and can count a crash against each. One fixed slot per
/// transformer, overwritten in place: two small writes per record and no
/// database round trip. The file survives the death of the process (the
/// data is in the page cache), which is the failure it exists for.
///
/// Beside it, a crash-count file keeps how many process deaths each such
/// record has been in flight for, across starts.
///
/// Thread-safety: begin/end on different slots may run concurrently.
class inflight_journal {
 public:
  /// Opens (creating) the journal at `path` with `slots` slots, after
  /// reading what the previous process left in it: each record found in a
  /// slot gets one more crash in `path + ".crashes"`.
  [[nodiscard]] static std::variant<std::shared_ptr<inflight_journal>,
                                    std::string>
  open(const std::string& path, std::size_t slots);

  ~inflight_journal();
  inflight_journal(const inflight_journal&) = delete;
  inflight_journal& operator=(const inflight_journal&) = delete;

  /// Records whose processing was under way when a process died, with how
  /// many times that has happened, this start included.
  const std::map<domain::record_key, int>& crash_counts() const {
    return crash_counts_;
  }

  /// Drops keys that have a log row by now and saves the counts.
  void forget(const std::vector<domain::record_key>& finished);

  /// Marks `key` in flight in `slot` / marks the slot free.
  void begin(std::size_t slot, domain::record_key key);
  void end(std::size_t slot);

  const std::string& path() const { return path_; }

 private:
  inflight_journal(std::string path, int descriptor, std::size_t slots,
                   std::map<domain::record_key, int> counts);
  void save_counts() const;

  std::string path_;
  int descriptor_;
  std::size_t slots_;
  std::map<domain::record_key, int> crash_counts_;
};

}  // namespace xmlshred::infra
