// "Did you mean": the candidate closest to a misspelt name, for error messages.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tidemark {

// Edit distance (insertions, deletions, substitutions, adjacent swaps), case-insensitive.
size_t SpellingDistance(std::string_view a, std::string_view b);

// The candidate closest to `query` when it is close enough to be a misspelling (distance at
// most a third of the query's length, at least 1; or the query is a prefix or suffix of it,
// such as "3127" of "defender:3127"); ties go to the first candidate.
std::optional<std::string> ClosestSpelling(std::string_view query, const std::vector<std::string>& candidates);

}  // namespace tidemark
