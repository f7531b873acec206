// Hash maps keyed by std::string that can be probed with a std::string_view without
// building a temporary string (C++20 heterogeneous lookup): the bulk paths look up hundreds
// of thousands of IDs decoded straight out of LMDB pages.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tidemark {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

template <typename Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

}  // namespace tidemark
