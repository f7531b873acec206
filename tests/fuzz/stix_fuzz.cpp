// libFuzzer target for the stix incident reader (tools/fuzz.sh runs it; seeds from
// tests/data/incidents/stix).
#include "tests/fuzz/fuzz_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return tidemark::fuzz::FuzzReader("stix", data, size);
}
