// Whether this build runs under AddressSanitizer (GCC's __SANITIZE_ADDRESS__ or clang's
// __has_feature), for code that must behave differently there: memory deliberately left to the
// operating system at exit would be reported as leaks, and the sanitizer's allocator does not
// use glibc's heap.
#pragma once

namespace tidemark {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

}  // namespace tidemark
