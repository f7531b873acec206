#include "engine/core/spelling.h"

#include <algorithm>
#include <cctype>

#include "engine/core/ids.h"

namespace tidemark {
namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

}  // namespace

size_t SpellingDistance(std::string_view a, std::string_view b) {
  // Optimal string alignment distance over three rows.
  std::vector<size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = Lower(a[i - 1]) == Lower(b[j - 1]) ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && Lower(a[i - 1]) == Lower(b[j - 2]) && Lower(a[i - 2]) == Lower(b[j - 1])) {
        cur[j] = std::min(cur[j], before[j - 2] + 1);
      }
    }
    before.swap(prev);
    prev.swap(cur);
  }
  return prev[b.size()];
}

std::optional<std::string> ClosestSpelling(std::string_view query, const std::vector<std::string>& candidates) {
  if (query.empty()) return std::nullopt;
  for (const auto& candidate : candidates) {  // a whole part of an id: "3127" of "defender:3127"
    if (candidate.size() > query.size()) {
      std::string_view tail = std::string_view(candidate).substr(candidate.size() - query.size());
      char sep = candidate[candidate.size() - query.size() - 1];
      if ((sep == ':' || sep == '-') && EqualsIgnoreCase(tail, query)) return candidate;
    }
  }
  size_t limit = std::max<size_t>(1, query.size() / 3);
  std::optional<std::string> best;
  size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    size_t distance = SpellingDistance(query, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

}  // namespace tidemark
