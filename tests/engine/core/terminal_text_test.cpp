// NeutralizeText (engine/core/terminal_text.h): what reaches a terminal, a log or a ticket.
#include "engine/core/terminal_text.h"

#include <doctest/doctest.h>

#include "engine/core/text.h"

namespace tidemark {

TEST_CASE("terminal controls, C1 controls and bidi overrides become visible escapes; other text is unchanged") {
  struct Case {
    std::string in;
    std::string out;
  };
  const Case cases[] = {
      {"plain ASCII title", "plain ASCII title"},
      {"", ""},
      {"a\x1b]0;owned\x07z", "a\\x1b]0;owned\\x07z"},    // OSC window title
      {"red\x1b[31m", "red\\x1b[31m"},                  // CSI
      {"tab\there\r\nnext", "tab\\x09here\\x0d\\x0anext"},
      {std::string("nul\0x", 5), "nul\\x00x"},
      {"del\x7f", "del\\x7f"},
      {"csi\xC2\x9B" "2J", "csi\\u009b2J"},             // U+009B, the one-character CSI
      {"nel\xC2\x85", "nel\\u0085"},
      {"evil\xE2\x80\xAEtxt.exe", "evil\\u202etxt.exe"},  // RIGHT-TO-LEFT OVERRIDE
      {"\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD", "\\u202a\\u202b\\u202c\\u202d"},
      {"\xE2\x81\xA6x\xE2\x81\xA9", "\\u2066x\\u2069"},   // isolates
      {"caf\xC3\xA9 \xE2\x80\x94 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x94\x92", "caf\xC3\xA9 \xE2\x80\x94 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x94\x92"},
      {"\xE2\x80\xAF nbsp-like stays", "\xE2\x80\xAF nbsp-like stays"},  // U+202F is not a bidi control
      {"lone \x9B byte", "lone \\x9b byte"},              // 8-bit CSI, not UTF-8
      {"cut \xE2\x80", "cut \\xe2\\x80"},
      {"overlong \xC0\xAF", "overlong \\xc0\\xaf"},
      {"C:\\path\\x1b", "C:\\path\\x1b"},                // a backslash stays as written
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(NeutralizeText(c.in) == c.out);
    CHECK(IsNeutralText(c.in) == (c.in == c.out));
    CHECK(NeutralizeText(c.out) == c.out);  // idempotent: escapes are printable ASCII
    CHECK(IsNeutralText(NeutralizeText(c.in)));
  }
}

TEST_CASE("NeutralizeLines keeps line breaks and neutralises each line") {
  CHECK(NeutralizeLines("one\x1b[2J\ntwo\r\n\xE2\x80\xAE") == "one\\x1b[2J\ntwo\\x0d\n\\u202e");
  CHECK(NeutralizeLines("") == "");
  CHECK(NeutralizeLines("a\n") == "a\n");
}

TEST_CASE("Trim removes ASCII blanks at both ends only") {
  CHECK(Trim("  a b \t\r\n") == "a b");
  CHECK(Trim("\xC2\xA0x") == "\xC2\xA0x");  // NBSP is not an ASCII blank
  CHECK(Trim("   ").empty());
}

}  // namespace tidemark
