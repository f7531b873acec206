// TextTable fitting: the widest columns shrink first, cut cells end in "…", cut lists keep
// whole items and say how many are left, width 0 keeps everything.
#include <doctest/doctest.h>

#include <sstream>

#include "engine/report/text_table.h"

namespace tidemark::report {
namespace {

size_t Width(const std::string& line) {
  size_t width = 0;
  for (unsigned char c : line) width += (c & 0xC0) != 0x80;
  return width;
}

size_t LongestLine(const std::string& text) {
  std::istringstream in(text);
  size_t longest = 0;
  for (std::string line; std::getline(in, line);) longest = std::max(longest, Width(line));
  return longest;
}

TextTable Sample() {
  TextTable table({"control", "title", "closes"});
  table.AddRow({"EDR-ASR", "Turn on attack surface reduction rules", "T1003.001, T1486, T1490, T1059.001"});
  table.AddRow({"CRED-GUARD", "Turn on Credential Guard and LSA protection", "T1003.001"});
  return table;
}

}  // namespace

TEST_CASE("a table without a width keeps every value whole") {
  std::string text = Sample().Render(0);
  CHECK(text.find("Turn on Credential Guard and LSA protection") != std::string::npos);
  CHECK(text.find("T1003.001, T1486, T1490, T1059.001") != std::string::npos);
  CHECK(text.find("\xE2\x80\xA6") == std::string::npos);
}

TEST_CASE("a table that fits its width is unchanged") {
  CHECK(Sample().Render(200) == Sample().Render(0));
}

TEST_CASE("a table wider than its width is cut to it with an ellipsis and +N more") {
  std::string text = Sample().Render(50);
  CHECK(LongestLine(text) <= 50);
  CHECK(text.find("EDR-ASR") != std::string::npos);     // short ids stay whole
  CHECK(text.find("CRED-GUARD") != std::string::npos);
  CHECK(text.find("\xE2\x80\xA6") != std::string::npos);  // a title was cut
  CHECK(text.find(" more") != std::string::npos);         // the technique list says what is left
  CHECK(text.find("T1003.001 +") != std::string::npos);
}

TEST_CASE("the raises column of `incident` is a list: cut to whole techniques, never T1 in the middle") {
  TextTable table({"#", "control", "title", "impact", "raises"});
  table.AddRow({"4", "EDR-ASR", "Attack surface reduction", "+16.00",
                "T1003.001, T1486, T1490, T1059.001, T1566.001, T1078.004"});
  std::string text = table.Render(80);
  CHECK(LongestLine(text) <= 80);
  CHECK(text.find(" more") != std::string::npos);
  CHECK(text.find(", T1\xE2\x80\xA6") == std::string::npos);
}

TEST_CASE("cutting counts code points, not bytes") {
  TextTable table({"id", "name"});
  table.AddRow({"x", "éééééééééééééééééééééééééééééééééééééééé"});
  std::string text = table.Render(20);
  CHECK(LongestLine(text) <= 20);
  CHECK(text.find("ééééé") != std::string::npos);
}

TEST_CASE("field values longer than the output width end in an ellipsis") {
  SetOutputWidth(30);
  std::string text = RenderFields({{"Title", "RDP from VPN, LSASS dump, ransomware on the file server"}});
  SetOutputWidth(0);
  CHECK(LongestLine(text) <= 30);
  CHECK(text.rfind("\xE2\x80\xA6\n") == text.size() - 4);
}

TEST_CASE("plurals follow the count") {
  CHECK(Plural(1, "incident") == "1 incident");
  CHECK(Plural(0, "incident") == "0 incidents");
  CHECK(Plural(2, "incident") == "2 incidents");
  CHECK(Plural(3, "match", "matches") == "3 matches");
}

}  // namespace tidemark::report
