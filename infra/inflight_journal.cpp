#include "infra/inflight_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace xmlshred::infra {
namespace {

/// A slot holds a key and a marker saying it is in use; a free slot is
/// all zeros, so a fresh file reads as "nothing in flight".
struct slot_bytes {
  std::int64_t key = 0;
  std::int64_t in_use = 0;
};
constexpr std::int64_t in_use_marker = 0x494e464c49474854;  // "INFLIGHT"

std::string system_error_text() { return std::strerror(errno); }

/// Keys found in use in the journal's slots.
std::vector<domain::record_key> read_slots(int descriptor) {
  std::vector<domain::record_key> keys;
  slot_bytes slot;
  for (off_t offset = 0;
       pread(descriptor, &slot, sizeof slot, offset) ==
       static_cast<ssize_t>(sizeof slot);
       offset += static_cast<off_t>(sizeof slot)) {
    if (slot.in_use == in_use_marker) {
      keys.push_back(slot.key);
    }
  }
  return keys;
}

std::map<domain::record_key, int> read_counts(const std::string& file) {
  std::map<domain::record_key, int> counts;
  std::ifstream in{file};
  domain::record_key key = 0;
  int count = 0;
  while (in >> key >> count) {
    counts[key] = count;
  }
  return counts;
}

}  // namespace

inflight_journal::inflight_journal(std::string path, int descriptor,
                                   std::size_t slots,
                                   std::map<domain::record_key, int> counts)
    : path_(std::move(path)), descriptor_(descriptor), slots_(slots),
      crash_counts_(std::move(counts)) {}

inflight_journal::~inflight_journal() { close(descriptor_); }

std::variant<std::shared_ptr<inflight_journal>, std::string>
inflight_journal::open(const std::string& path, std::size_t slots) {
  const int descriptor = ::open(path.c_str(), O_RDWR | O_CREAT, 0644);
  if (descriptor < 0) {
    return "cannot open the in-flight journal " + path + ": " +
           system_error_text();
  }
  auto counts = read_counts(path + ".crashes");
  for (auto key : read_slots(descriptor)) {
    ++counts[key];
  }

  // Start this process with every slot free.
  if (ftruncate(descriptor, 0) != 0 ||
      ftruncate(descriptor,
                static_cast<off_t>(slots * sizeof(slot_bytes))) != 0) {
    const auto reason = system_error_text();
    close(descriptor);
    return "cannot reset the in-flight journal " + path + ": " + reason;
  }
  std::shared_ptr<inflight_journal> journal{
      new inflight_journal(path, descriptor, slots, std::move(counts))};
  journal->save_counts();
  return journal;
}

void inflight_journal::forget(const std::vector<domain::record_key>& done) {
  for (auto key : done) {
    crash_counts_.erase(key);
  }
  save_counts();
}

void inflight_journal::save_counts() const {
  // Written beside and renamed over, so a death mid-write keeps the old
  // counts rather than half a file.
  const auto file = path_ + ".crashes";
  const auto temporary = file + ".tmp";
  {
    std::ofstream out{temporary, std::ios::trunc};
    for (const auto& [key, count] : crash_counts_) {
      out << key << ' ' << count << '\n';
    }
  }
  std::rename(temporary.c_str(), file.c_str());
}

void inflight_journal::begin(std::size_t slot, domain::record_key key) {
  if (slot >= slots_) {
    return;
  }
  const slot_bytes bytes{key, in_use_marker};
  // A failed write only weakens crash attribution; the record itself is
  // unaffected, so the result is deliberately not acted upon.
  (void)!pwrite(descriptor_, &bytes, sizeof bytes,
                static_cast<off_t>(slot * sizeof bytes));
}

void inflight_journal::end(std::size_t slot) {
  if (slot >= slots_) {
    return;
  }
  const slot_bytes bytes{};
  (void)!pwrite(descriptor_, &bytes, sizeof bytes,
                static_cast<off_t>(slot * sizeof bytes));
}

}  // namespace xmlshred::infra
