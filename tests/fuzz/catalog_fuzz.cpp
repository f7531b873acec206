// libFuzzer target for the control catalog reader: ParseControlCatalog, as `tidemark import
// controls` reads a file (native JSON, CSV or Graph secureScoreControlProfiles, detected from
// content). A crash, sanitizer report or hang is a bug; kBadInput and rejects are the expected
// answers to garbage. tools/fuzz.sh runs it, seeded from tests/data/controls and
// tests/data/hostile.
#include <cstddef>
#include <cstdint>
#include <string>

#include "importers/controls/control_catalog.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)tidemark::importers::ParseControlCatalog(text, "fuzz-input");
  return 0;
}
