// The body shared by the incident reader fuzz targets: the input goes through the same path
// as `tidemark import incidents` (shape detection, JSON parsing, every reader's Detect) and
// then through one reader forced with --format. Any crash, sanitizer report or hang is a bug;
// rejected records and kBadInput are the expected outcome for garbage.
// Defined in fuzz_reader.cpp, which tools/fuzz.sh compiles once and links into every target
// that includes this header (the importer headers are parsed once, not once per target).
#pragma once

#include <cstddef>
#include <cstdint>

namespace tidemark::fuzz {

int FuzzReader(const char* format, const uint8_t* data, size_t size);

}  // namespace tidemark::fuzz
