#include "engine/store/key_codec.h"

namespace tidemark::store {

std::string EncodeInt64(int64_t value) {
  uint64_t bits = static_cast<uint64_t>(value) ^ (uint64_t{1} << 63);
  std::string out(8, '\0');
  for (int idx = 7; idx >= 0; --idx) {
    out[static_cast<size_t>(idx)] = static_cast<char>(bits & 0xff);
    bits >>= 8;
  }
  return out;
}

int64_t DecodeInt64(std::string_view bytes) {
  uint64_t bits = 0;
  for (int idx = 0; idx < 8; ++idx) bits = (bits << 8) | static_cast<unsigned char>(bytes[idx]);
  return static_cast<int64_t>(bits ^ (uint64_t{1} << 63));
}

std::string JoinKey(std::initializer_list<std::string_view> parts) {
  std::string out;
  bool first = true;
  for (auto part : parts) {
    if (!first) out.push_back('\0');
    out.append(part);
    first = false;
  }
  return out;
}

std::string KeyPrefix(std::initializer_list<std::string_view> parts) {
  std::string out = JoinKey(parts);
  out.push_back('\0');
  return out;
}

std::vector<std::string_view> SplitKey(std::string_view key) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t nul = key.find('\0', start);
    if (nul == std::string_view::npos) {
      parts.push_back(key.substr(start));
      return parts;
    }
    parts.push_back(key.substr(start, nul - start));
    start = nul + 1;
  }
}

}  // namespace tidemark::store
