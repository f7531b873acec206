// The body shared by the incident reader fuzz targets: the input goes through the same path
// as `tidemark import incidents` (shape detection, JSON parsing, every reader's Detect) and
// then through one reader forced with --format. Any crash, sanitizer report or hang is a bug;
// rejected records and kBadInput are the expected outcome for garbage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "importers/incidents/import.h"

namespace tidemark::fuzz {

inline int FuzzReader(const char* format, const uint8_t* data, size_t size) {
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
