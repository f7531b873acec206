// libFuzzer target for the ATT&CK STIX 2.1 bundle reader: ParseAttackBundle, as `tidemark
// import attack` parses a file (in situ, into its page arena). A crash, sanitizer report or
// hang is a bug; kBadInput is the expected answer to garbage. tools/fuzz.sh runs it, seeded
// from tests/data/scoring/mini-attack.json and tests/data/hostile.
#include <cstddef>
#include <cstdint>
#include <string>

#include "importers/attack/stix_bundle.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // A plain string: nothing readable after its NUL, so a parse reading past the text (the
  // in-situ over-read of tests/fuzz/regressions/attack-bundle) is an AddressSanitizer report.
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)tidemark::importers::ParseAttackBundle(text, "fuzz-input");
  return 0;
}
