// StringIndex: interns strings as dense indexes 0, 1, 2, ... in insertion order. An open
// addressing table of (hash, index) slots, linear probing, kept at most half full: a lookup
// reads one or two adjacent 16-byte slots and compares the string only when the full 64-bit
// hash matches, against a copy of the key in one contiguous byte array (the std::string keys
// may live anywhere in the heap). Why not StringMap<uint32_t>: bulk incident loads intern ~200,000 asset
// references against ~10,000 assets, and the node-based map's bucket and node loads missed the
// cache on nearly every lookup (a quarter of `threat all`, measured with perf).
// Thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tidemark {

class StringIndex {
 public:
  // The index of `key`, appending it when new; `second` is true when it was appended.
  std::pair<uint32_t, bool> Intern(std::string_view key);
  std::optional<uint32_t> Find(std::string_view key) const;

  const std::string& key(uint32_t index) const { return keys_[index]; }
  const std::vector<std::string>& keys() const { return keys_; }
  size_t size() const { return keys_.size(); }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct Slot {
    uint32_t hash = 0;  // the high half of the 64-bit hash (the low bits chose the slot)
    uint32_t index = kEmpty;
    uint32_t offset = 0;  // of the key's bytes in bytes_
    uint32_t size = 0;
  };
  // The slot holding `key` or the empty slot where it belongs (slots_ is never full).
  size_t Probe(std::string_view key, uint64_t hash) const;
  void Grow();

  std::vector<Slot> slots_;  // size a power of two, or 0
  std::vector<std::string> keys_;
  std::string bytes_;  // every key, back to back
};

}  // namespace tidemark
