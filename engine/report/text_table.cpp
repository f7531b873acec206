#include "engine/report/text_table.h"

#include <algorithm>
#include <cctype>

#include "engine/core/terminal_text.h"

namespace tidemark::report {
namespace {

size_t g_output_width = 0;

constexpr size_t kGap = 2;       // spaces between columns
constexpr size_t kMinColumn = 8;  // a column is cut no narrower than this (or its content)...
constexpr size_t kNarrowest = 4;  // ...unless the columns do not fit otherwise: then down to this
const std::string kEllipsis = "\xE2\x80\xA6";  // "…"

// The first `count` code points of `text`.
std::string Prefix(const std::string& text, size_t count) {
  size_t seen = 0;
  for (size_t pos = 0; pos < text.size(); ++pos) {
    if ((static_cast<unsigned char>(text[pos]) & 0xC0) != 0x80) {
      if (seen == count) return text.substr(0, pos);
      ++seen;
    }
  }
  return text;
}

bool IsListHeader(const std::string& header) {
  std::string word;
  for (char c : header) {
    if (!std::isalpha(static_cast<unsigned char>(c))) break;
    word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return word == "closes" || word == "controls" || word == "techniques" || word == "threats" ||
         word == "assets" || word == "incidents" || word == "raises";
}

// A list cell cut to whole items followed by "+N more"; "…" inside the first item when not
// even one whole item fits.
std::string FitList(const std::string& text, size_t width) {
  std::string sep = text.find("; ") != std::string::npos ? "; " : ", ";
  std::vector<std::string> items;
  for (size_t start = 0;;) {
    size_t at = text.find(sep, start);
    items.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) break;
    start = at + sep.size();
  }
  if (items.size() < 2) return FitText(text, width);
  for (size_t keep = items.size() - 1; keep >= 1; --keep) {
    std::string head = items[0];
    for (size_t idx = 1; idx < keep; ++idx) head += sep + items[idx];
    std::string candidate = head + " +" + std::to_string(items.size() - keep) + " more";
    if (DisplayWidth(candidate) <= width) return candidate;
  }
  std::string more = " +" + std::to_string(items.size() - 1) + " more";
  if (DisplayWidth(more) + 2 <= width) return FitText(items[0], width - DisplayWidth(more)) + more;
  return FitText(text, width);
}

// Column widths for `natural` widths fitted into `width` (0 = unlimited): every column is
// capped at one common cap, the largest that fits, never below min(natural, kMinColumn).
std::vector<size_t> FitWidths(const std::vector<size_t>& natural, size_t width) {
  size_t total = 0;
  for (size_t w : natural) total += w;
  total += natural.empty() ? 0 : kGap * (natural.size() - 1);
  if (width == 0 || total <= width) return natural;
  // The floor is kMinColumn, lowered towards kNarrowest only when a table has so many columns
  // that they do not fit at kMinColumn each.
  size_t floor = kMinColumn;
  auto capped = [&](size_t cap) {
    std::vector<size_t> out;
    for (size_t w : natural) out.push_back(std::max(std::min(w, floor), std::min(w, cap)));
    return out;
  };
  auto sum = [&](const std::vector<size_t>& widths) {
    size_t s = kGap * (widths.size() - 1);
    for (size_t w : widths) s += w;
    return s;
  };
  while (floor > kNarrowest && sum(capped(floor)) > width) --floor;
  size_t lo = floor, hi = std::max(floor, *std::max_element(natural.begin(), natural.end()));
  if (sum(capped(lo)) > width) return capped(lo);  // as narrow as it gets
  while (lo < hi) {  // largest cap that fits
    size_t mid = lo + (hi - lo + 1) / 2;
    if (sum(capped(mid)) <= width) lo = mid;
    else hi = mid - 1;
  }
  std::vector<size_t> out = capped(lo);
  // Hand the columns left over to the columns that were cut, left to right.
  size_t spare = width - sum(out);
  for (size_t col = 0; col < out.size() && spare > 0; ++col) {
    size_t grow = std::min(spare, natural[col] - out[col]);
    out[col] += grow;
    spare -= grow;
  }
  return out;
}

}  // namespace

void SetOutputWidth(size_t columns) { g_output_width = columns; }
size_t OutputWidth() { return g_output_width; }

size_t DisplayWidth(const std::string& text) {
  size_t width = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++width;  // count UTF-8 lead bytes only
  }
  return width;
}

std::string Printable(const std::string& text) { return NeutralizeText(text); }

std::string FitText(const std::string& text, size_t width) {
  if (width == 0 || DisplayWidth(text) <= width) return text;
  return Prefix(text, width - 1) + kEllipsis;
}

std::string TextTable::Render() const { return Render(g_output_width); }

std::string TextTable::Render(size_t width) const {
  std::vector<size_t> natural(headers_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t col = 0; col < row.size() && col < natural.size(); ++col) {
      natural[col] = std::max(natural[col], DisplayWidth(Printable(row[col])));
    }
  };
  measure(headers_);
  for (const auto& row : rows_) measure(row);
  std::vector<size_t> widths = FitWidths(natural, width);
  std::vector<bool> list(headers_.size());
  for (size_t col = 0; col < headers_.size(); ++col) list[col] = IsListHeader(headers_[col]);
  auto line = [&](const std::vector<std::string>& row, bool header) {
    std::string out;
    for (size_t col = 0; col < widths.size(); ++col) {
      std::string cell = col < row.size() ? Printable(row[col]) : "";
      if (widths[col] < natural[col]) {
        cell = list[col] && !header ? FitList(cell, widths[col]) : FitText(cell, widths[col]);
      }
      out += cell;
      if (col + 1 < widths.size()) out += std::string(widths[col] - DisplayWidth(cell) + kGap, ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(headers_, true);
  std::vector<std::string> rule;
  for (size_t w : widths) rule.push_back(std::string(w, '-'));
  out += line(rule, true);
  for (const auto& row : rows_) out += line(row, false);
  return out;
}

std::string RenderFields(const std::vector<std::pair<std::string, std::string>>& fields) {
  size_t width = 0;
  for (const auto& [key, value] : fields) width = std::max(width, DisplayWidth(key));
  size_t value_width = 0;
  if (g_output_width > 0) value_width = std::max<size_t>(g_output_width > width + 3 ? g_output_width - width - 3 : 0, kMinColumn);
  std::string out;
  // A value may hold several lines; the later ones are indented under the first.
  for (const auto& [key, value] : fields) {
    std::string pad(width + 3, ' ');
    out += key + ":" + std::string(width - DisplayWidth(key) + 2, ' ');
    size_t start = 0;
    while (true) {
      size_t nl = value.find('\n', start);
      std::string part = Printable(value.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
      out += FitText(part, value_width) + "\n";
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

std::string Plural(size_t count, const std::string& singular, const std::string& plural) {
  return std::to_string(count) + " " + (count == 1 ? singular : plural.empty() ? singular + "s" : plural);
}

std::string UnknownIdMark(const std::string& id) { return id + "?"; }

}  // namespace tidemark::report
