// PageBuffer: a large writable memory region taken straight from the kernel (anonymous mmap)
// with transparent huge pages requested, for whole input files and the JSON documents parsed
// from them. Why: on a virtual machine every 4 KiB page fault is expensive (~12 us measured
// here), and a 50 MB bundle read into a std::string costs ~12,500 of them plus a zero fill:
// 180 ms against 12 ms for the same read into huge pages (README "Performance").
//
// Owns its mapping (move-only; unmapped on destruction). Pages are zero and committed on first
// touch, so reserving more than will be used costs address space only. Thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"

namespace tidemark {

class PageBuffer {
 public:
  PageBuffer() = default;
  // Reserves at least `capacity` bytes. Throws std::bad_alloc when the address space is
  // exhausted.
  explicit PageBuffer(size_t capacity);
  ~PageBuffer();
  PageBuffer(PageBuffer&& other) noexcept;
  PageBuffer& operator=(PageBuffer&& other) noexcept;
  PageBuffer(const PageBuffer&) = delete;
  PageBuffer& operator=(const PageBuffer&) = delete;

  char* data() const { return data_; }
  size_t capacity() const { return capacity_; }

 private:
  void* mapping_ = nullptr;  // what munmap gets back (data_ is aligned inside it)
  size_t mapping_size_ = 0;
  char* data_ = nullptr;
  size_t capacity_ = 0;
};

// A whole file in a PageBuffer, followed by a NUL byte (so it can be parsed in situ).
struct FileText {
  PageBuffer buffer;
  size_t size = 0;
  char* data() const { return buffer.data(); }
  std::string_view view() const { return std::string_view(buffer.data(), size); }
};

// Reads a whole file (regular files in one read; pipes and special files in chunks). Fails
// with kBadInput naming the file when it cannot be opened or read.
Result<FileText> ReadFileText(const std::string& path);

}  // namespace tidemark

namespace tidemark {

// Asks for the next `reserve` bytes of the malloc heap to be backed by transparent huge pages,
// for commands that build large in-memory structures from the store (100,000 incidents: ~70 MB
// of small allocations, ~17,000 page faults of 4 KiB, a quarter of `threat all`'s time). glibc
// grows its heap by `reserve` at once (M_TOP_PAD), allocations up to 64 MiB stay in that heap
// (M_MMAP_THRESHOLD), and the grown range gets MADV_HUGEPAGE, which is what the glibc tunable
// glibc.malloc.hugetlb=1 does, without needing the environment set before the process starts.
// Untouched reserve costs address space only. A no-op under sanitizers (their allocators do
// not use the brk heap) and wherever the calls fail.
void PreferHugePagesForHeap(size_t reserve);

// The summed size of the files at `paths` (a file whose size cannot be read counts 0).
uint64_t FilesBytes(const std::vector<std::string>& paths);

// PreferHugePagesForHeap sized for a write transaction that imports `input_bytes` of files: the
// LMDB pages it dirties are malloc'd 4 KiB each by the writing thread, about twice the inputs'
// bytes (within the 1 GiB cap).
void PreferHugePagesForImport(uint64_t input_bytes);

}  // namespace tidemark
