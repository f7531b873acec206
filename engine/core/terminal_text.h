// Text from data on its way to a terminal, a log or a ticket (SPEC §6, issue 12): control
// characters and bidi overrides in an incident title, a control name or a file name must not
// move the cursor, retitle a window, clear a screen or reorder what an analyst reads. Stored
// values stay byte-exact and JSON output stays exact (JSON escaping handles it); only human
// text goes through NeutralizeText. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace tidemark {

// `text` with every character that can act on a terminal or reorder text replaced by a
// visible escape, everything else unchanged:
// - C0 controls U+0000–U+001F (ESC, CR, LF, TAB included) and DEL U+007F -> `\x1b`;
// - C1 controls U+0080–U+009F (U+009B is a one-character CSI) -> `\u009b`;
// - bidi embeddings/overrides U+202A–U+202E and isolates U+2066–U+2069 -> `\u202e`;
// - a byte that is not part of well-formed UTF-8 -> `\xNN` (a lone 0x9B is CSI on an 8-bit
//   terminal).
// A backslash is kept as it is: the escapes are for a human reader, not for parsing back.
std::string NeutralizeText(std::string_view text);

// NeutralizeText applied to each line of `text`, keeping the '\n' between lines (for text
// whose line breaks are meant, such as a ticket description).
std::string NeutralizeLines(std::string_view text);

// True when NeutralizeText(text) would return `text` unchanged.
bool IsNeutralText(std::string_view text);

}  // namespace tidemark
