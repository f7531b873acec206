// Byte-level text primitives every layer shares: trimming blanks and decoding one UTF-8
// sequence (IsValidUtf8 for a whole text is in json.h, next to the parser that needs it fast).
// The importers reach them through importers/common/text.h; the terminal neutraliser
// (terminal_text.h) decodes with DecodeUtf8. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace tidemark {

// `text` without leading and trailing ASCII whitespace (space, TAB, CR, LF, VT, FF).
std::string_view Trim(std::string_view text);

// The length (1-4) of the well-formed UTF-8 sequence starting at `pos` (< text.size()), with
// its code point in `code`; 0 when the bytes there are not well-formed UTF-8 (a stray
// continuation byte, a truncated sequence, an overlong form, a surrogate, a value above U+10FFFF).
size_t DecodeUtf8(std::string_view text, size_t pos, uint32_t& code);

}  // namespace tidemark
