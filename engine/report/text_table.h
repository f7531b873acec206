// Aligned plain-text tables for the human output of every command. Columns are as wide as
// their widest cell (counted in UTF-8 code points); the last column is not padded.
// When an output width is set (the terminal's, or COLUMNS; see SetOutputWidth) a table wider
// than it is fitted: the widest columns shrink first, a cut cell ends with "…", and a cut list
// cell (columns headed closes, controls, techniques, threats, assets, incidents) keeps whole
// items and ends with "+N more". Width 0 (piped output, --wide) keeps every value whole.
// Value type; not thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace tidemark::report {

// The width human output is fitted to, in columns; 0 = unlimited. Set once per process by the
// command line before anything is rendered.
void SetOutputWidth(size_t columns);
size_t OutputWidth();

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void AddRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  bool empty() const { return rows_.empty(); }
  // The table with a header line and a rule under it, each line ending in '\n', fitted to
  // OutputWidth().
  std::string Render() const;
  // The same fitted to `width` columns (0 = unlimited).
  std::string Render(size_t width) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// "Key:  value" lines with the values aligned; values longer than OutputWidth() end in "…".
std::string RenderFields(const std::vector<std::pair<std::string, std::string>>& fields);

// Columns `text` takes: its code points (UTF-8 lead bytes).
size_t DisplayWidth(const std::string& text);

// `text` cut to `width` code points, ending in "…" when cut (width 0: unchanged).
std::string FitText(const std::string& text, size_t width);

// Joins with ", ".
std::string JoinList(const std::vector<std::string>& items, const std::string& sep = ", ");

// Data text for human output: terminal controls and bidi overrides shown as visible escapes
// (NeutralizeText, engine/core/terminal_text.h). Every cell and field value goes through it.
std::string Printable(const std::string& text);

// How a table marks an ID the loaded ATT&CK data does not know ("T9999?"), and the legend line
// printed under every table that marks one.
std::string UnknownIdMark(const std::string& id);
inline constexpr const char* kUnknownIdLegend =
    "?  not in the loaded ATT&CK data (mistyped or revoked): kept, never scored";

// "1 incident", "2 incidents": `count` and the noun, plural unless the count is 1.
std::string Plural(size_t count, const std::string& singular, const std::string& plural = "");

}  // namespace tidemark::report
