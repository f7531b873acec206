// Where the curated Secure Score mapping (mappings/secure-score.json in the repository) is
// found at run time, so importing a Graph secureScoreControlProfiles export applies it without
// hand work. Looked up in order: $TIDEMARK_MAPPINGS_DIR/secure-score.json, then next to the
// executable: ../mappings, ../../mappings, ../share/tidemark/mappings (covers the build tree
// and an installed prefix). Pure lookups; thread-safe.
#pragma once

#include <optional>
#include <string>

namespace tidemark::importers {

constexpr const char* kSecureScoreMappingFile = "secure-score.json";

// The path of the curated mapping, or nullopt when none of the places holds it.
std::optional<std::string> FindSecureScoreMapping();

}  // namespace tidemark::importers
