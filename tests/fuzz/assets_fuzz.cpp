// libFuzzer target for the asset inventory reader: ParseAssetFile, as `tidemark import
// assets` reads a file (JSON or CSV). A crash, sanitizer report or hang is a bug; kBadInput and
// rejects are the expected answers to garbage. tools/fuzz.sh runs it, seeded from
// tests/data/controls and tests/data/hostile.
#include <cstddef>
#include <cstdint>
#include <string>

#include "importers/controls/asset_inventory.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)tidemark::importers::ParseAssetFile(text, "fuzz-input");
  return 0;
}
