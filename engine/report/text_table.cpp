#include "engine/report/text_table.h"

#include <algorithm>

namespace tidemark::report {
namespace {

size_t DisplayWidth(const std::string& text) {
  size_t width = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++width;  // count UTF-8 lead bytes only
  }
  return width;
}

}  // namespace

std::string Printable(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) out.push_back(' ');
    else out.push_back(static_cast<char>(c));
  }
  return out;
}

std::string TextTable::Render() const {
  std::vector<size_t> widths(headers_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t col = 0; col < row.size() && col < widths.size(); ++col) {
      widths[col] = std::max(widths[col], DisplayWidth(Printable(row[col])));
    }
  };
  measure(headers_);
  for (const auto& row : rows_) measure(row);
  auto line = [&](const std::vector<std::string>& row) {
    std::string out;
    for (size_t col = 0; col < widths.size(); ++col) {
      std::string cell = col < row.size() ? Printable(row[col]) : "";
      out += cell;
      if (col + 1 < widths.size()) out += std::string(widths[col] - DisplayWidth(cell) + 2, ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(headers_);
  std::vector<std::string> rule;
  for (size_t w : widths) rule.push_back(std::string(w, '-'));
  out += line(rule);
  for (const auto& row : rows_) out += line(row);
  return out;
}

std::string RenderFields(const std::vector<std::pair<std::string, std::string>>& fields) {
  size_t width = 0;
  for (const auto& [key, value] : fields) width = std::max(width, DisplayWidth(key));
  std::string out;
  // A value may hold several lines; the later ones are indented under the first.
  for (const auto& [key, value] : fields) {
    std::string pad(width + 3, ' ');
    out += key + ":" + std::string(width - DisplayWidth(key) + 2, ' ');
    size_t start = 0;
    while (true) {
      size_t nl = value.find('\n', start);
      out += Printable(value.substr(start, nl == std::string::npos ? std::string::npos : nl - start)) + "\n";
      if (nl == std::string::npos) break;
      out += pad;
      start = nl + 1;
    }
  }
  return out;
}

std::string JoinList(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (size_t idx = 0; idx < items.size(); ++idx) {
    if (idx) out += sep;
    out += items[idx];
  }
  return out;
}

}  // namespace tidemark::report
