// The helpers every incident reader relies on: dotted/nested field access, value shapes
// (stringified arrays, comma lists, epoch and ISO times), severity and asset normalisation.
#include "importers/incidents/reader_util.h"

#include <doctest/doctest.h>

namespace tidemark::importers::incidents {
namespace {

rapidjson::Document Parse(const char* text) {
  rapidjson::Document doc;
  doc.Parse(text);
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

}  // namespace

TEST_CASE("Field finds dotted keys, nested objects and any mix of the two") {
  auto doc = Parse(R"({"kibana.alert.rule.name": "a", "kibana": {"alert": {"severity": "low"}},
                       "kibana.alert": {"workflow_status": "closed"}, "host": {"name": "ws1"}, "x": null})");
  CHECK(Field(doc, "kibana.alert.rule.name")->GetString() == std::string("a"));
  CHECK(Field(doc, "kibana.alert.severity")->GetString() == std::string("low"));
  CHECK(Field(doc, "kibana.alert.workflow_status")->GetString() == std::string("closed"));
  CHECK(Field(doc, "host.name")->GetString() == std::string("ws1"));
  CHECK(Field(doc, "host.id") == nullptr);
  CHECK(Field(doc, "x") == nullptr);
  CHECK(Field(doc, "") == nullptr);
}

TEST_CASE("AsTextList reads arrays, stringified JSON arrays and comma lists") {
  auto doc = Parse(R"({"a": ["T1059", 7, null], "b": "[\"T1059\",\"T1105\"]", "c": "Execution, CommandAndControl,", "d": "[broken"})");
  CHECK(AsTextList(Field(doc, "a")) == std::vector<std::string>{"T1059", "7"});
  CHECK(AsTextList(Field(doc, "b")) == std::vector<std::string>{"T1059", "T1105"});
  CHECK(AsTextList(Field(doc, "c")) == std::vector<std::string>{"Execution", "CommandAndControl"});
  CHECK(AsTextList(Field(doc, "d")) == std::vector<std::string>{"[broken"});
}

TEST_CASE("AsTime reads ISO strings, epoch seconds and milliseconds as numbers or strings") {
  auto doc = Parse(R"({"iso": "2025-03-04T09:12:44Z", "ms": 1741079564000, "s": "1741079564", "bad": "soon", "neg": -5})");
  CHECK(*AsTime(Field(doc, "iso")) == 1741079564000);
  CHECK(*AsTime(Field(doc, "ms")) == 1741079564000);
  CHECK(*AsTime(Field(doc, "s")) == 1741079564000);
  CHECK_FALSE(AsTime(Field(doc, "bad")));
  CHECK_FALSE(AsTime(Field(doc, "neg")));
}

TEST_CASE("severity spellings normalise; unknown ones become empty") {
  const std::pair<const char*, const char*> cases[] = {
      {"High", "high"}, {"MEDIUM", "medium"}, {"moderate", "medium"}, {"Informational", "informational"},
      {"info", "informational"}, {"Critical", "critical"}, {"fatal", "critical"}, {"unknown", ""}, {"7", ""}};
  for (const auto& [given, expected] : cases) {
    const auto& given_ = given;  // CAPTURE's lambda cannot capture a structured binding (clang)
    CAPTURE(given_);
    CHECK(NormalizeSeverity(given) == expected);
  }
}

TEST_CASE("assets get stable lower-case ids and are not repeated") {
  model::Incident incident;
  AddAsset(incident, "device", " WS-FIN-042 ", "WS-FIN-042");
  AddAsset(incident, "device", "ws-fin-042");
  AddAsset(incident, "user", "");
  REQUIRE(incident.assets.size() == 1);
  CHECK(incident.assets[0].id == "ws-fin-042");
  CHECK(incident.assets[0].name == "WS-FIN-042");
}

TEST_CASE("IsValidUtf8 rejects malformed, overlong and surrogate sequences") {
  CHECK(IsValidUtf8("plain"));
  CHECK(IsValidUtf8("caf\xC3\xA9 \xF0\x9F\x94\x92"));
  CHECK_FALSE(IsValidUtf8("\xC3\x28"));
  CHECK_FALSE(IsValidUtf8("\xC0\xAF"));
  CHECK_FALSE(IsValidUtf8("\xED\xA0\x80"));
  CHECK_FALSE(IsValidUtf8("\xE2\x82"));
}

}  // namespace tidemark::importers::incidents
