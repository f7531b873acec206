// libFuzzer target for the thehive incident reader (tools/fuzz.sh runs it; seeds from
// tests/data/incidents/thehive).
#include "tests/fuzz/fuzz_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return tidemark::fuzz::FuzzReader("thehive", data, size);
}
