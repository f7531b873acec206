// libFuzzer target for the attack-flow incident reader (tools/fuzz.sh runs it; seeds from
// tests/data/incidents/attack-flow).
#include "tests/fuzz/fuzz_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return tidemark::fuzz::FuzzReader("attack-flow", data, size);
}
