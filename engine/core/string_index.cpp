#include "engine/core/string_index.h"

#include <functional>

namespace tidemark {

size_t StringIndex::Probe(std::string_view key, uint64_t hash) const {
  size_t mask = slots_.size() - 1;
  for (size_t pos = hash & mask;; pos = (pos + 1) & mask) {
    const Slot& slot = slots_[pos];
    if (slot.index == kEmpty) return pos;
    if (slot.hash == static_cast<uint32_t>(hash >> 32) && slot.size == key.size() &&
        std::string_view(bytes_).substr(slot.offset, slot.size) == key) {
      return pos;
    }
  }
}

std::optional<uint32_t> StringIndex::Find(std::string_view key) const {
  if (slots_.empty()) return std::nullopt;
  const Slot& slot = slots_[Probe(key, std::hash<std::string_view>{}(key))];
  if (slot.index == kEmpty) return std::nullopt;
  return slot.index;
}

std::pair<uint32_t, bool> StringIndex::Intern(std::string_view key) {
  if ((keys_.size() + 1) * 2 > slots_.size()) Grow();
  uint64_t hash = std::hash<std::string_view>{}(key);
  Slot& slot = slots_[Probe(key, hash)];
  if (slot.index != kEmpty) return {slot.index, false};
  slot = {static_cast<uint32_t>(hash >> 32), static_cast<uint32_t>(keys_.size()),
          static_cast<uint32_t>(bytes_.size()), static_cast<uint32_t>(key.size())};
  keys_.emplace_back(key);
  bytes_.append(key);
  return {slot.index, true};
}

void StringIndex::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
  size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.index == kEmpty) continue;
    size_t pos = std::hash<std::string_view>{}(std::string_view(bytes_).substr(slot.offset, slot.size)) & mask;
    while (slots_[pos].index != kEmpty) pos = (pos + 1) & mask;
    slots_[pos] = slot;
  }
}

}  // namespace tidemark
