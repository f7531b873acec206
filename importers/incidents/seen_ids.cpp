#include "importers/incidents/seen_ids.h"

#include <cstring>
#include <functional>
#include <stdexcept>

namespace tidemark::importers::incidents {
namespace {

constexpr int kOffsetBits = 48;
constexpr uint64_t kOffsetMask = (uint64_t{1} << kOffsetBits) - 1;
constexpr uint32_t kInFile = uint32_t{1} << 31;

uint32_t LoadU32(const char* at) {
  uint32_t value;
  std::memcpy(&value, at, sizeof value);
  return value;
}

void AppendU32(std::string& out, size_t value) {
  auto narrow = static_cast<uint32_t>(value);
  out.append(reinterpret_cast<const char*>(&narrow), sizeof narrow);
}

uint64_t Tag(size_t hash) { return (static_cast<uint64_t>(hash) >> kOffsetBits) << kOffsetBits; }

}  // namespace

std::string_view SeenIds::IdAt(uint64_t offset) const {
  return std::string_view(bytes_).substr(offset + 8, LoadU32(bytes_.data() + offset));
}

void SeenIds::Append(std::string_view id, std::string_view where) {
  if (bytes_.size() + 8 + id.size() + where.size() >= kOffsetMask || where.size() >= kInFile) {
    throw std::length_error("too many incident ids");
  }
  last_ = bytes_.size();
  bool in_file = where.substr(0, file_.size()) == file_;
  if (in_file) where.remove_prefix(file_.size());
  AppendU32(bytes_, id.size());
  AppendU32(bytes_, where.size() | (in_file ? kInFile : 0));
  bytes_.append(id);
  bytes_.append(where);
  ++count_;
}

std::optional<std::string> SeenIds::Insert(std::string_view id, std::string_view where) {
  if (ascending_) {
    if (count_ == 0 || IdAt(last_) < id) {
      Append(id, where);
      return std::nullopt;
    }
    BuildTable();
  }
  if ((count_ + 1) * 2 > slots_.size()) Grow();
  size_t hash = std::hash<std::string_view>{}(id);
  size_t mask = slots_.size() - 1;
  for (size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    uint64_t entry = slots_[slot];
    if (entry == 0) {
      Append(id, where);
      slots_[slot] = Tag(hash) | (last_ + 1);
      return std::nullopt;
    }
    uint64_t offset = (entry & kOffsetMask) - 1;
    if ((entry & ~kOffsetMask) == Tag(hash) && IdAt(offset) == id) {
      uint32_t length = LoadU32(bytes_.data() + offset + 4);
      std::string_view place = std::string_view(bytes_).substr(offset + 8 + id.size(), length & ~kInFile);
      return (length & kInFile ? file_ : std::string()) + std::string(place);
    }
  }
}

void SeenIds::BuildTable() {
  ascending_ = false;
  size_t size = 1024;
  while ((count_ + 1) * 2 > size) size *= 2;
  slots_.assign(size, 0);
  for (uint64_t offset = 0; offset < bytes_.size();) {
    std::string_view id = IdAt(offset);
    size_t hash = std::hash<std::string_view>{}(id);
    Place(hash, Tag(hash) | (offset + 1));
    offset += 8 + id.size() + (LoadU32(bytes_.data() + offset + 4) & ~kInFile);
  }
}

void SeenIds::Place(size_t hash, uint64_t entry) {
  size_t mask = slots_.size() - 1;
  size_t slot = hash & mask;
  while (slots_[slot] != 0) slot = (slot + 1) & mask;
  slots_[slot] = entry;
}

void SeenIds::Grow() {
  std::vector<uint64_t> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, 0);
  for (uint64_t entry : old) {
    if (entry != 0) Place(std::hash<std::string_view>{}(IdAt((entry & kOffsetMask) - 1)), entry);
  }
}

}  // namespace tidemark::importers::incidents
