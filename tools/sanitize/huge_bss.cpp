// Linked into the sanitizer build's `tidemark` only (CMakeLists.txt, TIDEMARK_SANITIZE): its
// zero-initialised data (10 MB, nearly all of it the sanitizer runtime's stack depot tables)
// moves to transparent huge pages before main. Every `tidemark` process of the sanitizer tests
// wrote the depot's hash table at random and LeakSanitizer read all of it at exit, about 1,900
// page faults of 4 KiB per process, and a page fault costs ~20 us on the CI VM: the tests start
// ~2,500 such processes (figures: docs/performance.md#the-test-loop). Runs from .preinit_array,
// after the ASan runtime's own initialiser (linked first), which has touched some of those pages
// already: a touched 2 MB range keeps 4 KiB pages, so each range is written once (a huge page
// where none was touched) and then collapsed (MADV_COLLAPSE, Linux 6.1+; older kernels refuse
// it and nothing changes). Only the memory's page size changes, never its contents.
#include <sys/mman.h>

#include <cstdint>

extern "C" char __bss_start[], _end[];  // from the linker: the executable's .bss

namespace {

// Not instrumented: it runs before the globals are registered with ASan.
__attribute__((no_sanitize("address", "undefined"))) void HugePagesForSanitizerBss(int, char**, char**) {
  constexpr uintptr_t kHuge = uintptr_t{1} << 21;
  constexpr int kCollapse = 25;  // MADV_COLLAPSE (glibc 2.36's headers do not name it)
  uintptr_t begin = (reinterpret_cast<uintptr_t>(__bss_start) + 4095) & ~uintptr_t{4095};
  uintptr_t end = reinterpret_cast<uintptr_t>(_end) & ~uintptr_t{4095};
  if (end <= begin) return;
  madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  for (uintptr_t at = (begin + kHuge - 1) & ~(kHuge - 1); at + kHuge <= end; at += kHuge) {
    volatile char* byte = reinterpret_cast<volatile char*>(at);
    *byte = *byte;
  }
  madvise(reinterpret_cast<void*>(begin), end - begin, kCollapse);
}

}  // namespace

__attribute__((section(".preinit_array"), used)) void (*tidemark_huge_pages_for_sanitizer_bss)(int, char**, char**) =
    HugePagesForSanitizerBss;
