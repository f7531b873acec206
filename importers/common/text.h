// Text helpers every importer shares. Trimming (engine/core/text.h), UTF-8 checks
// (IsValidUtf8, engine/core/json.h) and
// lower-casing/folding of enumerations (engine/core/ids.h: ToLower, FoldEnum,
// EqualsIgnoreCase) live in engine/core and are reached through this header; what only
// importers need is here. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "engine/core/text.h"

namespace tidemark::importers {

// `text` without a leading UTF-8 byte-order mark.
std::string_view WithoutBom(std::string_view text);

// True when `text` starts (after a BOM and blanks) with `c`.
bool StartsWithChar(std::string_view text, char c);

// True when `text` (after a BOM and blanks) starts like JSON ('{' or '[').
bool LooksLikeJson(std::string_view text);

// Splits "a; b;c" on ';' and '|', trimming blanks and dropping empty parts.
std::vector<std::string> SplitList(std::string_view text);

}  // namespace tidemark::importers
