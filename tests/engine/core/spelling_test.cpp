// "Did you mean": closest candidates for misspelt commands, IDs and names.
#include <doctest/doctest.h>

#include "engine/core/spelling.h"

namespace tidemark {

TEST_CASE("a swapped pair of letters is one edit") {
  CHECK(SpellingDistance("incidnet", "incident") == 1);
  CHECK(SpellingDistance("abc", "abc") == 0);
  CHECK(SpellingDistance("", "abc") == 3);
}

TEST_CASE("the closest candidate is suggested only when it is close") {
  std::vector<std::string> commands = {"incident", "incidents", "info"};
  CHECK(ClosestSpelling("incidnet", commands) == std::optional<std::string>("incident"));
  CHECK_FALSE(ClosestSpelling("navigator", commands).has_value());
  CHECK_FALSE(ClosestSpelling("", commands).has_value());
}

TEST_CASE("case differences and a source prefix are recognised") {
  CHECK(ClosestSpelling("edr-asr", {"CRED-GUARD", "EDR-ASR"}) == std::optional<std::string>("EDR-ASR"));
  CHECK(ClosestSpelling("3127", {"INC-2004", "defender:3127"}) == std::optional<std::string>("defender:3127"));
}

}  // namespace tidemark
