// libFuzzer target for the ATT&CK STIX 2.1 bundle reader: ParseAttackBundle, as `tidemark
// import attack` parses a file (in situ, into its page arena). A crash, sanitizer report or
// hang is a bug; kBadInput is the expected answer to garbage. tools/fuzz.sh runs it, seeded
// from tests/data/scoring/mini-attack.json and tests/data/hostile.
#include <cstddef>
#include <cstdint>
#include <string>

#include "importers/attack/stix_bundle.h"

// `tidemark import attack` parses the buffer ReadFileText fills: the text, a NUL, then at least
// a page of zero bytes. RapidJSON's in-situ UTF-8 validation reads up to two bytes past the NUL
// when the input ends inside a multi-byte sequence (tests/fuzz/regressions/attack-bundle), so
// the text here gets the same zero bytes after it: a plain std::string would be over-read.
constexpr size_t kZeroPadding = 16;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  text.append(kZeroPadding, '\0');
  text.resize(size);  // the zero bytes stay in the string's buffer, past its NUL
  (void)tidemark::importers::ParseAttackBundle(text, "fuzz-input");
  return 0;
}
