#include "importers/common/text.h"

namespace tidemark::importers {

std::string_view WithoutBom(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

bool StartsWithChar(std::string_view text, char c) {
  text = Trim(WithoutBom(text));
  return !text.empty() && text.front() == c;
}

bool LooksLikeJson(std::string_view text) { return StartsWithChar(text, '{') || StartsWithChar(text, '['); }

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t pos = 0; pos <= text.size(); ++pos) {
    if (pos == text.size() || text[pos] == ';' || text[pos] == '|') {
      std::string_view part = Trim(text.substr(start, pos - start));
      if (!part.empty()) parts.emplace_back(part);
      start = pos + 1;
    }
  }
  return parts;
}

}  // namespace tidemark::importers
