#include "engine/core/ids.h"

#include <doctest/doctest.h>

namespace tidemark {

TEST_CASE("technique IDs normalise case, blanks and a missing T") {
  struct Case {
    const char* input;
    const char* expected;  // nullptr: not a technique ID
  };
  const Case cases[] = {
      {"T1059.001", "T1059.001"}, {"t1059.001", "T1059.001"}, {" T1566 ", "T1566"},
      {"1598.003", "T1598.003"},  {"T1059.1", nullptr},       {"T159", nullptr},
      {"AML.T0040", nullptr},     {"T1059.001x", nullptr},    {"", nullptr},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    auto got = NormalizeTechniqueId(c.input);
    if (c.expected) {
      REQUIRE(got.has_value());
      CHECK(*got == c.expected);
    } else {
      CHECK_FALSE(got.has_value());
    }
  }
}

TEST_CASE("technique IDs are rebuilt from parent and sub-technique parts") {
  CHECK(JoinTechniqueId("T1562", "002") == "T1562.002");
  CHECK(JoinTechniqueId("t1562", ".002") == "T1562.002");
  CHECK(JoinTechniqueId("T1562", "") == "T1562");
  CHECK_FALSE(JoinTechniqueId("T1562.001", "002").has_value());
  CHECK(ParentTechniqueId("T1059.001") == "T1059");
  CHECK_FALSE(ParentTechniqueId("T1059").has_value());
}

TEST_CASE("ATLAS IDs are recognised as foreign technique IDs") {
  CHECK(IsForeignTechniqueId("AML.T0040"));
  CHECK(IsForeignTechniqueId("aml.t0002.002"));
  CHECK_FALSE(IsForeignTechniqueId("T1059"));
}

TEST_CASE("tactics are accepted in every spelling") {
  const std::pair<const char*, const char*> cases[] = {
      {"TA0011", "command-and-control"}, {"ta0002", "execution"},
      {"command-and-control", "command-and-control"}, {"Command and Control", "command-and-control"},
      {"CommandAndControl", "command-and-control"}, {"command_and_control", "command-and-control"},
      {"Defense Evasion", "defense-evasion"}, {"PrivilegeEscalation", "privilege-escalation"},
      {"TA0104", "execution"}, {"Inhibit Response Function", "inhibit-response-function"},
  };
  for (const auto& [input, expected] : cases) {
    const auto& input_ = input;  // CAPTURE's lambda cannot capture a structured binding (clang)
    CAPTURE(input_);
    CHECK(NormalizeTactic(input) == expected);
  }
  CHECK_FALSE(NormalizeTactic("TA9999").has_value());
  CHECK_FALSE(NormalizeTactic("lunch").has_value());
}

TEST_CASE("enumerations fold case and separators") {
  CHECK(FoldEnum("TruePositive") == "truepositive");
  CHECK(FoldEnum("true_positive") == "truepositive");
  CHECK(FoldEnum("True Positive") == "truepositive");
}

}  // namespace tidemark
