// libFuzzer target for the posture reader: ParsePostureFile, as `tidemark import posture`
// reads a file (native JSON/CSV or Graph secureScores, detected from content; checking the
// controls against a store comes later and is not fuzzed). A crash, sanitizer report or hang is
// a bug; kBadInput and rejects are the expected answers to garbage. tools/fuzz.sh runs it,
// seeded from tests/data/controls and tests/data/hostile.
#include <cstddef>
#include <cstdint>
#include <string>

#include "importers/controls/posture_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)tidemark::importers::ParsePostureFile(text, "fuzz-input");
  return 0;
}
