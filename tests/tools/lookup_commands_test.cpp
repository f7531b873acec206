// Issue 13: lookups name the organisation's side too (mitigation -> our controls; search over
// controls, incidents and custom threats with the ATT&CK domain), refuse an empty search, and
// `threat` given an incident id points to `incident`.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <string>

#include "tests/test_support.h"

namespace tidemark::testing {
namespace {

rapidjson::Document JsonOf(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

}  // namespace

TEST_CASE("mitigation card names the catalog controls that implement it") {
  std::string store = DemoStore();
  auto text = RunTidemark({"--store", store, "mitigation", "M1038"});
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.find("Our controls:") != std::string::npos);
  CHECK(text.out.find("EDR-ASR  Turn on attack surface reduction rules") != std::string::npos);
  auto json = JsonOf(RunTidemark({"--store", store, "--json", "mitigation", "M1038"}).out);
  REQUIRE(json["controls"].Size() == 1);
  CHECK(std::string(json["controls"][0]["id"].GetString()) == "EDR-ASR");
  // A mitigation no control implements says so.
  auto none = RunTidemark({"--store", store, "mitigation", "M1042"});
  REQUIRE(none.exit_code == 0);
  CHECK(none.out.find("none in the catalog implements it") != std::string::npos);
}

TEST_CASE("search covers controls, incidents and custom threats, shows the domain, and refuses empty text") {
  std::string store = DemoStore();
  auto json = JsonOf(RunTidemark({"--store", store, "--json", "search", "edr"}).out);
  bool control = false;
  for (const auto& hit : json["results"].GetArray()) {
    if (std::string(hit["kind"].GetString()) == "control" && std::string(hit["id"].GetString()) == "EDR-ASR") control = true;
  }
  CHECK(control);
  auto kestrel = JsonOf(RunTidemark({"--store", store, "--json", "search", "kestrel"}).out);
  REQUIRE(kestrel["results"].Size() >= 1);
  const auto& last = kestrel["results"][kestrel["results"].Size() - 1];
  CHECK(std::string(last["kind"].GetString()) == "custom threat");
  CHECK(std::string(last["id"].GetString()) == "Kestrel Ops");
  auto incident = JsonOf(RunTidemark({"--store", store, "--json", "search", "mailbox read over graph"}).out);
  REQUIRE(incident["results"].Size() == 1);
  CHECK(std::string(incident["results"][0]["id"].GetString()) == "INC-2002");
  CHECK(incident["results"][0]["domain"].IsNull());
  auto technique = JsonOf(RunTidemark({"--store", store, "--json", "search", "T1059.001"}).out);
  REQUIRE(technique["results"].Size() >= 1);
  CHECK(std::string(technique["results"][0]["domain"].GetString()) == "enterprise");

  for (const char* blank : {"", "   "}) {
    auto empty = RunTidemark({"--store", store, "search", blank});
    CHECK(empty.exit_code == 2);
    CHECK(empty.err.find("search needs some text") != std::string::npos);
  }
  auto nothing = RunTidemark({"--store", store, "search", "zzzz-nothing"});
  CHECK(nothing.exit_code == 0);
  CHECK(nothing.out.find("Nothing matches") != std::string::npos);
}

TEST_CASE("threat given an incident id points to the incident command") {
  std::string store = DemoStore();
  auto result = RunTidemark({"--store", store, "threat", "INC-2004"});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("INC-2004 is an incident, not a threat: `tidemark incident INC-2004` shows it") !=
        std::string::npos);
}


TEST_CASE("technique card shows its coverage at --as-of and the incidents it was seen in") {
  std::string store = DemoStore();
  auto text = RunTidemark({"--store", store, "--as-of", "2026-03-15", "technique", "T1059.001"});
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.find("As of") != std::string::npos);
  CHECK(text.out.find("2026-03-15") != std::string::npos);
  CHECK(text.out.find("Coverage") != std::string::npos);
  CHECK(text.out.find("INC-2001") != std::string::npos);
  CHECK(text.out.find(", implemented ") != std::string::npos);
  auto now = JsonOf(RunTidemark({"--store", store, "--json", "--as-of", "2026-03-15", "technique", "T1059.001"}).out);
  REQUIRE(now["coverage"].IsNumber());
  CHECK(now["status"].IsString());
  CHECK(now["incident_count"].GetUint() >= 1);
  bool listed = false;
  for (const auto& id : now["incidents"].GetArray()) listed |= std::string(id.GetString()) == "INC-2001";
  CHECK(listed);
  REQUIRE(now["controls"].Size() >= 1);
  CHECK(now["controls"][0].HasMember("implemented"));
  // Before the first incident it was seen in none.
  auto before = JsonOf(RunTidemark({"--store", store, "--json", "--as-of", "2026-01-02", "technique", "T1059.001"}).out);
  CHECK(before["incident_count"].GetUint() == 0);
  CHECK(before["incidents"].Size() == 0);
  auto text_before = RunTidemark({"--store", store, "--as-of", "2026-01-02", "technique", "T1059.001"});
  CHECK(text_before.out.find("0 incidents") != std::string::npos);
}

}  // namespace tidemark::testing
