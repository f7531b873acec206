// libFuzzer target for the mapping reader: ParseMappingFile, as `tidemark import mappings`
// reads a file (native JSON/CSV or a CTID Mappings Explorer set, detected from content). A
// crash, sanitizer report or hang is a bug; kBadInput and rejects are the expected answers to
// garbage. tools/fuzz.sh runs it, seeded from mappings/, tests/data/controls and
// tests/data/hostile.
#include <cstddef>
#include <cstdint>
#include <string>

#include "importers/controls/mapping_set.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)tidemark::importers::ParseMappingFile(text, "fuzz-input");
  return 0;
}
