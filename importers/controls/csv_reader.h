// A small RFC 4180 CSV reader for the organisation's files (catalogs, mappings, posture,
// assets): quoted fields with doubled quotes and embedded newlines, CRLF or LF line ends, a
// leading UTF-8 BOM skipped. Header names are matched case-insensitively. Pure functions;
// thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"

namespace tidemark::importers {

struct CsvRow {
  size_t line = 0;  // 1-based line where the record starts
  std::vector<std::string> cells;
};

class CsvTable {
 public:
  std::vector<std::string> headers;  // lower-cased, trimmed
  std::vector<CsvRow> rows;          // blank lines skipped

  // Column index of a header (any of `names`), or nullopt.
  std::optional<size_t> Column(std::initializer_list<std::string_view> names) const;
  // Why `row` cannot be read: it has more non-blank cells than the header (an unquoted comma
  // would shift every later cell into the wrong column). nullopt otherwise; short rows are fine
  // (missing cells are empty), and so are blank trailing cells.
  std::optional<std::string> WidthProblem(const CsvRow& row) const;
  // The cell of `row` in column `column`, trimmed; "" when the row is short or column absent.
  static std::string Cell(const CsvRow& row, std::optional<size_t> column);
};

// Parses `text`. Fails with kBadInput naming `file` and the line on an unterminated quote,
// invalid UTF-8, a NUL byte, or an empty file (no header).
Result<CsvTable> ParseCsv(std::string_view text, const std::string& file);

// True when `text` (after an optional BOM and blanks) starts like JSON ('{' or '[').
bool LooksLikeJson(std::string_view text);

}  // namespace tidemark::importers
