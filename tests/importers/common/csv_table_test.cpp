// The one CSV reader of every importer (importers/common/csv_table.h).
#include "importers/common/csv_table.h"

#include <doctest/doctest.h>

#include "importers/common/text.h"

namespace tidemark::importers {

TEST_CASE("CSV: quotes, doubled quotes, embedded newlines, CRLF and a BOM are read as RFC 4180 says") {
  std::string text =
      "\xEF\xBB\xBF" "Id, Title ,Techniques\r\n"
      "A,\"Say \"\"hi\"\", then\r\nleave\",T1059\r\n"
      "\r\n"
      "B,plain,\"T1078; T1110\"\r\n";
  auto table = ParseCsv(text, "f.csv");
  REQUIRE(table.ok());
  CHECK(table->headers == std::vector<std::string>{"id", "title", "techniques"});
  REQUIRE(table->rows.size() == 2);
  CHECK(table->rows[0].line == 2);
  CHECK(table->rows[0].cells[1] == "Say \"hi\", then\r\nleave");
  CHECK(table->rows[1].line == 5);
  CHECK(CsvTable::Cell(table->rows[1], table->Column({"techniques"})) == "T1078; T1110");
  CHECK(SplitList(CsvTable::Cell(table->rows[1], table->Column({"techniques"}))) ==
        std::vector<std::string>{"T1078", "T1110"});
  CHECK(CsvTable::Cell(table->rows[1], table->Column({"missing"})).empty());
}

TEST_CASE("CSV: a file-level problem fails naming the file and line") {
  struct Case {
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"id,title\nA,\"open\n", "f.csv:2: unterminated quoted field (truncated file?)"},
      {"", "f.csv: empty CSV file (expected a header line)"},
      {"\xEF\xBB\xBF  \n", "f.csv: empty CSV file (expected a header line)"},
      {"id\n\xC0\xAF\n", "f.csv: not valid UTF-8 (save the file as UTF-8)"},
      {std::string("id\nA\0", 5), "f.csv:2: NUL byte in a CSV file"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    auto table = ParseCsv(c.text, "f.csv");
    REQUIRE_FALSE(table.ok());
    CHECK(table.status().message() == c.message);
  }
}

TEST_CASE("CSV: the delimiter is detected from the header and invalid UTF-8 can be left to the caller") {
  std::string text = "id;title\nA;caf\xE9\n";
  CHECK(DetectCsvDelimiter(text) == ';');
  CHECK(DetectCsvDelimiter("id\ttitle\n") == '\t');
  CHECK(DetectCsvDelimiter("id\n") == ',');
  auto table = ParseCsv(text, "f.csv", {';', /*require_utf8=*/false});
  REQUIRE(table.ok());
  CHECK(table->rows[0].cells == std::vector<std::string>{"A", "caf\xE9"});
}

TEST_CASE("CSV: a row wider than the header is a problem unless the extra cells are blank") {
  auto table = ParseCsv("id,title\nA,b,c\nB,b,, \n", "f.csv");
  REQUIRE(table.ok());
  CHECK(table->WidthProblem(table->rows[0]) ==
        std::optional<std::string>("3 fields, but the header names 2 columns (a comma in an unquoted field?)"));
  CHECK_FALSE(table->WidthProblem(table->rows[1]));
}

TEST_CASE("LooksLikeJson and StartsWithChar look past a BOM and blanks") {
  CHECK(LooksLikeJson("\xEF\xBB\xBF \n {\"a\":1}"));
  CHECK(LooksLikeJson("[1]"));
  CHECK_FALSE(LooksLikeJson("id,title"));
  CHECK(StartsWithChar(" \t[", '['));
  CHECK_FALSE(StartsWithChar("", '['));
}

}  // namespace tidemark::importers
