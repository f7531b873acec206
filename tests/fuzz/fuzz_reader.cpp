// See fuzz_reader.h.
#include "tests/fuzz/fuzz_reader.h"

#include <string>

#include "importers/incidents/import.h"

namespace tidemark::fuzz {

int FuzzReader(const char* format, const uint8_t* data, size_t size) {
  using importers::incidents::ReadIncidentText;
  using importers::incidents::ReadOutput;
  {
    std::string text(reinterpret_cast<const char*>(data), size);
    ReadOutput out;
    (void)ReadIncidentText("fuzz-input", text, "auto", out);
  }
  std::string text(reinterpret_cast<const char*>(data), size);
  ReadOutput out;
  (void)ReadIncidentText("fuzz-input", text, format, out);
  return 0;
}

}  // namespace tidemark::fuzz
