// The one CSV reader of every importer (organisation files, incidents, and any later format):
// RFC 4180 quoted fields with doubled quotes and embedded newlines, CRLF or LF line ends, a
// leading UTF-8 BOM skipped, blank lines skipped. The first record is the header; header
// names are trimmed and lower-cased, so columns match case-insensitively. Pure functions;
// thread-safe.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"

namespace tidemark::importers {

struct CsvRow {
  size_t line = 0;  // 1-based line where the record starts
  std::vector<std::string> cells;  // as written (quotes removed, not trimmed)
};

class CsvTable {
 public:
  std::vector<std::string> headers;       // lower-cased, trimmed
  std::vector<std::string> header_cells;  // the header as written (quotes removed)
  std::vector<CsvRow> rows;          // records after the header; blank lines skipped

  // Column index of a header (the first of `names` present), or nullopt.
  std::optional<size_t> Column(std::initializer_list<std::string_view> names) const;
  // Why `row` cannot be read: it has more non-blank cells than the header (an unquoted comma
  // would shift every later cell into the wrong column). nullopt otherwise; short rows are fine
  // (missing cells are empty), and so are blank trailing cells.
  std::optional<std::string> WidthProblem(const CsvRow& row) const;
  // The cell of `row` in column `column`, trimmed; "" when the row is short or column absent.
  static std::string Cell(const CsvRow& row, std::optional<size_t> column);
};

struct CsvDialect {
  char delimiter = ',';
  // Refuse the whole file when any byte sequence is not well-formed UTF-8. Off for readers
  // that check cell by cell and reject only the row.
  bool require_utf8 = true;
};

// Parses `text`. Fails with kBadInput naming `file` (and the line) on an unterminated quote,
// invalid UTF-8 (when the dialect requires it), a NUL byte, or an empty file (no header).
Result<CsvTable> ParseCsv(std::string_view text, const std::string& file, CsvDialect dialect = {});

// The delimiter a header line uses: the first of `,` `;` TAB found in the first line, else `,`.
char DetectCsvDelimiter(std::string_view text);

}  // namespace tidemark::importers
