#include "engine/core/arena.h"

#include <cstdint>

namespace tidemark {

std::string_view Arena::Copy(std::string_view text) {
  if (text.empty()) return {};
  void* at = Allocate(text.size(), 1);
  std::memcpy(at, text.data(), text.size());
  return std::string_view(static_cast<const char*>(at), text.size());
}

void* Arena::Allocate(size_t bytes, size_t align) {
  size_t pad = (align - reinterpret_cast<std::uintptr_t>(next_) % align) % align;
  if (next_ == nullptr || pad + bytes > left_) {
    if (bytes + align > kBlockBytes) {
      // Its own block, kept before the current one so the current block's free space stays usable.
      auto block = std::make_unique_for_overwrite<std::byte[]>(bytes + align);
      std::byte* start = block.get();
      blocks_.insert(blocks_.empty() ? blocks_.end() : blocks_.end() - 1, std::move(block));
      size_t block_pad = (align - reinterpret_cast<std::uintptr_t>(start) % align) % align;
      return start + block_pad;
    }
    blocks_.push_back(std::make_unique_for_overwrite<std::byte[]>(kBlockBytes));
    next_ = blocks_.back().get();
    left_ = kBlockBytes;
    pad = (align - reinterpret_cast<std::uintptr_t>(next_) % align) % align;
  }
  std::byte* at = next_ + pad;
  next_ += pad + bytes;
  left_ -= pad + bytes;
  return at;
}

}  // namespace tidemark
