#include "engine/core/terminal_text.h"

#include <cstdint>
#include <cstdio>

#include "engine/core/text.h"

namespace tidemark {
namespace {

bool ActsOnDisplay(uint32_t code) {
  return code < 0x20 || (code >= 0x7F && code <= 0x9F) || (code >= 0x202A && code <= 0x202E) ||
         (code >= 0x2066 && code <= 0x2069);
}

bool PlainAscii(std::string_view text) {
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7F) return false;
  }
  return true;
}

}  // namespace

std::string NeutralizeText(std::string_view text) {
  if (PlainAscii(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  char escape[16];
  size_t pos = 0;
  while (pos < text.size()) {
    uint32_t code = 0;
    size_t length = DecodeUtf8(text, pos, code);
    if (length == 0) {
      std::snprintf(escape, sizeof escape, "\\x%02x", static_cast<unsigned char>(text[pos]));
      out += escape;
      ++pos;
      continue;
    }
    if (ActsOnDisplay(code)) {
      if (code < 0x80) std::snprintf(escape, sizeof escape, "\\x%02x", static_cast<unsigned>(code));
      else std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned>(code));
      out += escape;
    } else {
      out.append(text.substr(pos, length));
    }
    pos += length;
  }
  return out;
}

std::string NeutralizeLines(std::string_view text) {
  std::string out;
  size_t start = 0;
  while (true) {
    size_t end = text.find('\n', start);
    out += NeutralizeText(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    out += '\n';
    start = end + 1;
  }
}

bool IsNeutralText(std::string_view text) {
  if (PlainAscii(text)) return true;
  size_t pos = 0;
  while (pos < text.size()) {
    uint32_t code = 0;
    size_t length = DecodeUtf8(text, pos, code);
    if (length == 0 || ActsOnDisplay(code)) return false;
    pos += length;
  }
  return true;
}

}  // namespace tidemark
