#include "importers/controls/csv_reader.h"

#include <cstdint>

#include "engine/core/ids.h"

namespace tidemark::importers {
namespace {

std::string Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return std::string(text);
}

// Well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
bool ValidUtf8(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    auto byte = static_cast<unsigned char>(text[pos]);
    size_t extra = byte < 0x80 ? 0 : (byte >> 5) == 0x6 ? 1 : (byte >> 4) == 0xE ? 2 : (byte >> 3) == 0x1E ? 3 : 9;
    if (extra == 9 || pos + extra >= text.size()) return false;
    uint32_t code = extra == 0 ? byte : byte & (0x3F >> extra);
    for (size_t k = 1; k <= extra; ++k) {
      auto next = static_cast<unsigned char>(text[pos + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    static const uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (code < kMin[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    pos += extra + 1;
  }
  return true;
}

}  // namespace

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
  return Trim(row.cells[*column]);
}

bool LooksLikeJson(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' || c == '[';
  }
  return false;
}

Result<CsvTable> ParseCsv(std::string_view text, const std::string& file) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (!ValidUtf8(text)) return Status::BadInput(file + ": not valid UTF-8 (save the file as UTF-8)");
  CsvTable table;
  std::vector<CsvRow> records;
  CsvRow current;
  std::string cell;
  size_t line = 1;
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
      row_has_content = true;
    } else if (c == ',') {
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
  if (in_quotes) return Status::BadInput(file + ":" + std::to_string(current.line) + ": unterminated quoted field (truncated file?)");
  end_row();
  if (records.empty()) return Status::BadInput(file + ": empty CSV file (expected a header line)");
  for (const auto& header : records.front().cells) table.headers.push_back(ToLower(Trim(header)));
  table.rows.assign(std::make_move_iterator(records.begin() + 1), std::make_move_iterator(records.end()));
  return table;
}

}  // namespace tidemark::importers
