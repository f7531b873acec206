// JiraAssignees: the owner -> Jira account ID file of `feed --format jira --assignees FILE`,
// its errors (file, owner, field), and the owner label used when an owner is not mapped.
#include "engine/report/jira_assignees.h"

#include <doctest/doctest.h>

#include "tests/test_support.h"

namespace tidemark::report {

TEST_CASE("an assignees file maps owners exactly to account IDs") {
  auto assignees = JiraAssignees::Parse(R"({"Endpoint Team": "5b10ac8d82e05b22cc7d4ef5", "soc": "712020:abc"})", "a.json");
  REQUIRE(assignees.ok());
  CHECK(assignees->size() == 2);
  CHECK(assignees->AccountOf("Endpoint Team") == std::optional<std::string_view>("5b10ac8d82e05b22cc7d4ef5"));
  CHECK(assignees->AccountOf("soc") == std::optional<std::string_view>("712020:abc"));
  CHECK_FALSE(assignees->AccountOf("SOC").has_value());
  CHECK_FALSE(assignees->AccountOf("endpoint team").has_value());
}

TEST_CASE("a malformed assignees file is refused naming the file, the owner and what is wrong") {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const auto& c : {Case{R"(["x"])", "a.json: must be a JSON object"},
                        Case{R"({"soc": 42})", "a.json: owner \"soc\": the value must be a Jira account ID"},
                        Case{R"({"soc": ""})", "a.json: owner \"soc\": the value must be a Jira account ID"},
                        Case{R"({"": "id"})", "a.json: an owner name is empty"}, Case{"{", "a.json"}}) {
    CAPTURE(c.text);
    auto assignees = JiraAssignees::Parse(c.text, "a.json");
    REQUIRE_FALSE(assignees.ok());
    CHECK(assignees.status().code() == StatusCode::kBadInput);
    CHECK(assignees.status().message().find(c.message) != std::string::npos);
  }
  auto missing = JiraAssignees::Load(testing::TempDir("assignees") + "/none.json");
  CHECK_FALSE(missing.ok());
  CHECK(missing.status().message().find("none.json") != std::string::npos);
}

TEST_CASE("an owner label is owner- and a lower-case slug of letters and digits") {
  CHECK(OwnerLabel("Endpoint Team") == "owner-endpoint-team");
  CHECK(OwnerLabel("  Identity & Access / EMEA ") == "owner-identity-access-emea");
  CHECK(OwnerLabel("secops_2") == "owner-secops-2");
  CHECK(OwnerLabel("équipe") == "owner-quipe");
  CHECK(OwnerLabel("&&") == "owner-unnamed");
}

}  // namespace tidemark::report
