// Aligned plain-text tables for the human output of every command. Columns are as wide as
// their widest cell (counted in UTF-8 code points); the last column is not padded.
// Value type; not thread-safe.
#pragma once

#include <string>
#include <vector>

namespace tidemark::report {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void AddRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  bool empty() const { return rows_.empty(); }
  // The table with a header line and a rule under it, each line ending in '\n'.
  std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// "Key:  value" lines with the values aligned.
std::string RenderFields(const std::vector<std::pair<std::string, std::string>>& fields);

// Joins with ", ".
std::string JoinList(const std::vector<std::string>& items, const std::string& sep = ", ");

// Removes control characters (terminal escapes from hostile input) for human output.
std::string Printable(const std::string& text);

}  // namespace tidemark::report
