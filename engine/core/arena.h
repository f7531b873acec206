// Arena: stable storage for many small arrays and strings that live as long as one owner and
// are freed together with it. Why: a bulk load keeps ~6 small lists per incident (techniques,
// assets, threats, ...) for 1,000,000 incidents; as std::vectors and std::strings that is
// millions of heap allocations, each with its header and growth slack, scattered over the heap
// (page faults and cache misses when scoring walks them). Here they are copied back to back
// into blocks of 1 MiB. Only trivially copyable, trivially destructible items.
//
// Not copyable; moving keeps every view valid (the blocks do not move). Thread-compatible.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace tidemark {

class Arena {
 public:
  Arena() = default;
  Arena(Arena&& other) noexcept { *this = std::move(other); }
  Arena& operator=(Arena&& other) noexcept {
    blocks_ = std::move(other.blocks_);
    next_ = std::exchange(other.next_, nullptr);
    left_ = std::exchange(other.left_, 0);
    return *this;
  }
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // A copy of `items` that lives as long as the arena (an empty span for no items).
  template <typename T>
  std::span<const T> Copy(std::span<const T> items) {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
    if (items.empty()) return {};
    void* at = Allocate(items.size_bytes(), alignof(T));
    std::memcpy(at, items.data(), items.size_bytes());
    return std::span<const T>(static_cast<const T*>(at), items.size());
  }
  // A copy of `text` that lives as long as the arena.
  std::string_view Copy(std::string_view text);

 private:
  static constexpr size_t kBlockBytes = size_t{1} << 20;
  void* Allocate(size_t bytes, size_t align);

  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  std::byte* next_ = nullptr;  // free space in the last block
  size_t left_ = 0;
};

}  // namespace tidemark
