#include "engine/core/page_buffer.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <new>
#include <utility>

namespace tidemark {
namespace {

// Transparent huge pages are 2 MiB on x86-64 and arm64 (4 KiB base pages); the kernel only
// uses them for 2 MiB-aligned ranges, so the data is aligned to that inside a larger mapping.
constexpr size_t kHugePage = size_t{2} << 20;

size_t RoundUp(size_t value, size_t unit) { return (value + unit - 1) / unit * unit; }

}  // namespace

PageBuffer::PageBuffer(size_t capacity) {
  capacity_ = RoundUp(capacity == 0 ? 1 : capacity, kHugePage);
  mapping_size_ = capacity_ + kHugePage;
  // MAP_NORESERVE: untouched pages are never committed, so generous reservations are free.
  mapping_ = mmap(nullptr, mapping_size_, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (mapping_ == MAP_FAILED) {
    mapping_ = nullptr;
    throw std::bad_alloc();
  }
  auto address = reinterpret_cast<uintptr_t>(mapping_);
  data_ = reinterpret_cast<char*>(RoundUp(address, kHugePage));
#ifdef MADV_HUGEPAGE
  // Advice only: with huge pages disabled the buffer still works, with 4 KiB faults.
  (void)madvise(data_, capacity_, MADV_HUGEPAGE);
#endif
}

PageBuffer::~PageBuffer() {
  if (mapping_) munmap(mapping_, mapping_size_);
}

PageBuffer::PageBuffer(PageBuffer&& other) noexcept
    : mapping_(std::exchange(other.mapping_, nullptr)),
      mapping_size_(std::exchange(other.mapping_size_, 0)),
      data_(std::exchange(other.data_, nullptr)),
      capacity_(std::exchange(other.capacity_, 0)) {}

PageBuffer& PageBuffer::operator=(PageBuffer&& other) noexcept {
  if (this != &other) {
    if (mapping_) munmap(mapping_, mapping_size_);
    mapping_ = std::exchange(other.mapping_, nullptr);
    mapping_size_ = std::exchange(other.mapping_size_, 0);
    data_ = std::exchange(other.data_, nullptr);
    capacity_ = std::exchange(other.capacity_, 0);
  }
  return *this;
}

Result<FileText> ReadFileText(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::BadInput(path + ": cannot open file");
  struct Closer {
    int fd;
    ~Closer() { close(fd); }
  } closer{fd};
  struct stat info;
  if (fstat(fd, &info) != 0) return Status::BadInput(path + ": cannot open file");
  if (S_ISDIR(info.st_mode)) return Status::BadInput(path + ": is a directory, not a file; name the files inside it");
  // Regular files are read in one go into a buffer of their size; anything else grows.
  FileText text;
  size_t capacity = S_ISREG(info.st_mode) ? static_cast<size_t>(info.st_size) + 1 : size_t{1} << 20;
  text.buffer = PageBuffer(capacity);
  while (true) {
    if (text.size + 1 >= text.buffer.capacity()) {
      PageBuffer bigger(text.buffer.capacity() * 2);
      std::memcpy(bigger.data(), text.buffer.data(), text.size);
      text.buffer = std::move(bigger);
    }
    ssize_t got = read(fd, text.buffer.data() + text.size, text.buffer.capacity() - 1 - text.size);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      return Status::BadInput(path + ": read error: " + std::strerror(errno));
    }
    text.size += static_cast<size_t>(got);
  }
  text.buffer.data()[text.size] = '\0';
  return text;
}

}  // namespace tidemark

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TIDEMARK_CLANG_ASAN 1
#endif
#endif
#ifndef TIDEMARK_CLANG_ASAN
#define TIDEMARK_CLANG_ASAN 0
#endif

namespace tidemark {

void PreferHugePagesForHeap(size_t reserve) {
#if defined(__SANITIZE_ADDRESS__) || TIDEMARK_CLANG_ASAN || !defined(__GLIBC__)
  (void)reserve;
#else
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TOP_PAD, static_cast<int>(std::min<size_t>(reserve, 1u << 30)));
  char* start = static_cast<char*>(sbrk(0));
  // An allocation larger than the free top of the heap makes glibc extend it by itself plus
  // the pad; freeing it leaves the pad in place (trimming keeps M_TOP_PAD bytes).
  // (volatile: a malloc/free pair with nothing in between may be optimised away.)
  void* volatile probe = malloc(mallinfo2().keepcost + 4096);
  free(probe);
  char* end = static_cast<char*>(sbrk(0));
  auto first = reinterpret_cast<char*>(RoundUp(reinterpret_cast<uintptr_t>(start), 4096));
  if (end > first) madvise(first, end - first, MADV_HUGEPAGE);
#endif
}

uint64_t FilesBytes(const std::vector<std::string>& paths) {
  uint64_t bytes = 0;
  for (const auto& path : paths) {
    std::error_code ec;
    if (auto size = std::filesystem::file_size(path, ec); !ec) bytes += size;
  }
  return bytes;
}

void PreferHugePagesForImport(uint64_t input_bytes) {
  PreferHugePagesForHeap(std::min<uint64_t>(input_bytes * 2, uint64_t{1} << 30));
}

}  // namespace tidemark
