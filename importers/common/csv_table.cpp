#include "importers/common/csv_table.h"

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "importers/common/text.h"

namespace tidemark::importers {

std::optional<size_t> CsvTable::Column(std::initializer_list<std::string_view> names) const {
  for (auto name : names) {
    for (size_t column_idx = 0; column_idx < headers.size(); ++column_idx) {
      if (headers[column_idx] == name) return column_idx;
    }
  }
  return std::nullopt;
}

std::optional<std::string> CsvTable::WidthProblem(const CsvRow& row) const {
  size_t used = row.cells.size();
  while (used > headers.size() && Trim(row.cells[used - 1]).empty()) --used;
  if (used <= headers.size()) return std::nullopt;
  return std::to_string(used) + " fields, but the header names " + std::to_string(headers.size()) +
         " columns (a comma in an unquoted field?)";
}

std::string CsvTable::Cell(const CsvRow& row, std::optional<size_t> column) {
  if (!column || *column >= row.cells.size()) return "";
  return std::string(Trim(row.cells[*column]));
}

char DetectCsvDelimiter(std::string_view text) {
  std::string_view header = text.substr(0, text.find('\n'));
  for (char c : {',', ';', '\t'}) {
    if (header.find(c) != std::string_view::npos) return c;
  }
  return ',';
}

Result<CsvTable> ParseCsv(std::string_view text, const std::string& file, CsvDialect dialect) {
  text = WithoutBom(text);
  if (dialect.require_utf8 && !IsValidUtf8(text)) {
    return Status::BadInput(file + ": not valid UTF-8 (save the file as UTF-8)");
  }
  CsvTable table;
  std::vector<CsvRow> records;
  CsvRow current;
  std::string cell;
  size_t line = 1, quote_line = 0;
  current.line = 1;
  bool in_quotes = false, row_has_content = false;
  auto end_cell = [&] {
    current.cells.push_back(std::move(cell));
    cell.clear();
  };
  auto end_row = [&] {
    end_cell();
    if (row_has_content) records.push_back(std::move(current));
    current = CsvRow();
    row_has_content = false;
  };
  for (size_t pos = 0; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c == '\0') return Status::BadInput(file + ":" + std::to_string(line) + ": NUL byte in a CSV file");
    if (in_quotes) {
      if (c == '"') {
        if (pos + 1 < text.size() && text[pos + 1] == '"') {
          cell.push_back('"');
          ++pos;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        cell.push_back(c);
      }
      continue;
    }
    if (c == '"') {
      in_quotes = true;
      quote_line = line;
      row_has_content = true;
    } else if (c == dialect.delimiter) {
      end_cell();
      row_has_content = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') ++pos;
      end_row();
      ++line;
      current.line = line;
    } else {
      if (c != ' ' && c != '\t') row_has_content = true;
      cell.push_back(c);
    }
  }
  if (in_quotes) {
    return Status::BadInput(file + ":" + std::to_string(quote_line) + ": unterminated quoted field (truncated file?)");
  }
  end_row();
  if (records.empty()) return Status::BadInput(file + ": empty CSV file (expected a header line)");
  for (const auto& header : records.front().cells) table.headers.push_back(ToLower(Trim(header)));
  table.header_cells = std::move(records.front().cells);
  table.rows.assign(std::make_move_iterator(records.begin() + 1), std::make_move_iterator(records.end()));
  return table;
}

}  // namespace tidemark::importers
