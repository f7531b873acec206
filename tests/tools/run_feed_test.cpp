// tidemark run and tidemark feed on the demo organisation (tools/demo): which events a run
// opens, that a second run adds none, what resolves them, consumers, ticketing bodies.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <sys/wait.h>

#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "engine/store/org_catalog.h"
#include "tests/test_support.h"

namespace tidemark::testing {
namespace {

const char* kAsOf = "2026-03-15";



using ScopeControl = std::tuple<std::string, std::string, std::string>;  // kind, scope, control

// Every (scope, control) with impact > 0, from `recommendations --scope` for each scope a run
// keeps in step: counted incidents, threats with counted incidents, and all.
std::set<ScopeControl> ExpectedOpen(const std::string& store) {
  std::set<std::string> scopes = {"all"};
  auto incidents = Json(RunTidemark({"--store", store, "--json", "incidents", "--until", kAsOf}).out);
  for (const auto& inc : incidents["incidents"].GetArray()) {
    std::string classification = inc["classification"].GetString();
    if (classification != "false-positive" && classification != "benign-positive") scopes.insert(inc["id"].GetString());
  }
  auto threats = Json(RunTidemark({"--store", store, "--json", "--as-of", kAsOf, "threats", "--observed-only"}).out);
  for (const auto& t : threats["threats"].GetArray()) scopes.insert(t["id"].GetString());
  std::set<ScopeControl> expected;
  for (const auto& scope : scopes) {
    auto recs = Json(RunTidemark({"--store", store, "--json", "--as-of", kAsOf, "recommendations", "--scope", scope}).out);
    for (const auto& r : recs["recommendations"].GetArray()) {
      REQUIRE(r["impact"].GetDouble() > 0);
      expected.emplace(recs["scope"]["kind"].GetString(), recs["scope"]["id"].GetString(), r["control"].GetString());
    }
  }
  return expected;
}

std::vector<rapidjson::Document> Events(const std::string& store, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> command = {"--store", store, "feed"};
  command.insert(command.end(), extra.begin(), extra.end());
  auto result = RunTidemark(command);
  REQUIRE(result.exit_code == 0);
  std::vector<rapidjson::Document> events;
  for (const auto& line : Lines(result.out)) events.push_back(Json(line));
  return events;
}

}  // namespace

TEST_CASE("the first run opens one event per (scope, control) with impact > 0; a second adds none") {
  std::string store = DemoStore();
  auto first = RunTidemark({"--store", store, "--as-of", kAsOf, "run"});
  REQUIRE(first.exit_code == 0);
  auto events = Events(store);
  std::set<ScopeControl> opened;
  std::set<std::string> keys;
  uint64_t seq = 0;
  for (const auto& e : events) {
    CHECK(std::string(e["schema"].GetString()) == "tidemark.feed/1");
    CHECK(std::string(e["event"].GetString()) == "recommendation.opened");
    CHECK(e["seq"].GetUint64() == ++seq);  // strictly increasing from 1
    CHECK(std::string(e["time"].GetString()) == "2026-03-15T23:59:59.999Z");
    opened.emplace(e["scope"]["kind"].GetString(), e["scope"]["id"].GetString(), e["control"]["id"].GetString());
    keys.insert(e["key"].GetString());
  }
  CHECK(opened == ExpectedOpen(store));
  CHECK(keys.size() == events.size());
  CHECK(first.out == "incidents mapped 6, threats 3, events: opened " + std::to_string(events.size()) +
                         ", updated 0, resolved 0, resilience dropped 0 (feed at seq " + std::to_string(events.size()) + ")\n");

  auto second = RunTidemark({"--store", store, "--as-of", kAsOf, "run"});
  REQUIRE(second.exit_code == 0);
  CHECK(second.out.find("opened 0, updated 0, resolved 0") != std::string::npos);
  CHECK(Events(store).size() == events.size());
}

TEST_CASE("implementing the top control resolves its events; other scopes' impacts update") {
  std::string store = DemoStore();
  REQUIRE(RunTidemark({"--store", store, "--as-of", kAsOf, "run"}).exit_code == 0);
  size_t before = Events(store).size();
  std::set<std::string> open_keys;
  for (const auto& e : Events(store)) {
    if (std::string(e["control"]["id"].GetString()) == "EDR-ASR") open_keys.insert(e["key"].GetString());
  }
  REQUIRE(!open_keys.empty());
  std::string snapshot = TempDir() + "/posture.json";
  WriteText(snapshot, R"({"as_of": "2026-03-14", "controls": [{"id": "EDR-ASR", "status": "completed"}]})");
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "posture", snapshot}).exit_code == 0);
  REQUIRE(RunTidemark({"--store", store, "--as-of", kAsOf, "run"}).exit_code == 0);
  // Every EDR-ASR event resolves; so does any other control made unnecessary by it (its
  // techniques now fully covered), and nothing still recommended is resolved.
  std::set<ScopeControl> still_open = ExpectedOpen(store);
  std::set<std::string> resolved;
  for (const auto& e : Events(store, {"--from", std::to_string(before + 1)})) {
    if (std::string(e["event"].GetString()) != "recommendation.resolved") continue;
    resolved.insert(e["key"].GetString());
    CHECK(still_open.count({e["scope"]["kind"].GetString(), e["scope"]["id"].GetString(),
                            e["control"]["id"].GetString()}) == 0);
  }
  for (const auto& key : open_keys) CHECK(resolved.count(key) == 1);
  for (const auto& [kind, scope, control] : still_open) CHECK(control != "EDR-ASR");
}

TEST_CASE("reclassifying an incident as false positive resolves its events") {
  std::string store = DemoStore();
  REQUIRE(RunTidemark({"--store", store, "--as-of", kAsOf, "run"}).exit_code == 0);
  size_t before = Events(store).size();
  size_t open_for_incident = 0;
  for (const auto& e : Events(store)) open_for_incident += std::string(e["scope"]["id"].GetString()) == "INC-2001";
  REQUIRE(open_for_incident > 0);
  std::string file = TempDir() + "/fp.ndjson";
  WriteText(file, R"({"id": "INC-2001", "title": "Spearphishing test by the red team", "created": "2026-01-13T08:02:11Z", "closed": "2026-01-14T17:30:00Z", "status": "closed", "classification": "false-positive", "techniques": ["T1566.001", "T1059.001", "T1547.001", "T1071.001"], "assets": [{"id": "ws-fin-042", "type": "device"}]})" "\n");
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "incidents", file}).exit_code == 0);
  auto run = RunTidemark({"--store", store, "--as-of", kAsOf, "run"});
  REQUIRE(run.exit_code == 0);
  size_t resolved_for_incident = 0;
  for (const auto& e : Events(store, {"--from", std::to_string(before + 1)})) {
    if (std::string(e["scope"]["id"].GetString()) == "INC-2001") {
      CHECK(std::string(e["event"].GetString()) == "recommendation.resolved");
      ++resolved_for_incident;
    }
  }
  CHECK(resolved_for_incident == open_for_incident);
  for (const auto& e : Events(store, {"--from", std::to_string(before + 1)})) {
    if (std::string(e["scope"]["id"].GetString()) == "INC-2001") CHECK(std::string(e["reason"].GetString()) == "reclassified");
  }
  CHECK_MESSAGE(run.out.find("reclassified " + std::to_string(open_for_incident)) != std::string::npos, run.out);
}

TEST_CASE("run --json prints a summary object; a second run's counts are zero") {
  std::string store = DemoStore();
  auto first = RunTidemark({"--store", store, "--as-of", kAsOf, "--json", "run"});
  REQUIRE(first.exit_code == 0);
  auto summary = Json(first.out);
  size_t total = Events(store).size();
  CHECK(std::string(summary["as_of"].GetString()) == "2026-03-15T23:59:59.999Z");
  CHECK(summary["top"].GetUint64() == 10);
  CHECK(summary["incidents"].GetUint64() == 6);
  CHECK(summary["threats"].GetUint64() == 3);
  CHECK(summary["events"]["opened"].GetUint64() == total);
  CHECK(summary["events"]["resilience_dropped"].GetUint64() == 0);
  CHECK(summary["resolved_by_reason"]["outranked"].GetUint64() == 0);
  CHECK(summary["last_seq"].GetUint64() == total);
  auto second = Json(RunTidemark({"--store", store, "--as-of", kAsOf, "run", "--json", "--top", "3"}).out);
  CHECK(second["top"].GetUint64() == 3);
  CHECK(second["events"]["opened"].GetUint64() == 0);
  CHECK(second["last_seq"].GetUint64() >= total);  // --top 3 may outrank a few incident items
  CHECK(second["events"]["resolved"].GetUint64() == second["resolved_by_reason"]["outranked"].GetUint64());
  auto negative = RunTidemark({"--store", store, "run", "--top", "-1"});
  CHECK(negative.exit_code == 1);
  CHECK(negative.err.find("--top") != std::string::npos);
}

TEST_CASE("--per-control delivers one ticket per control, listing every scope it serves") {
  std::string store = DemoStore();
  REQUIRE(RunTidemark({"--store", store, "--as-of", kAsOf, "run"}).exit_code == 0);
  std::map<std::string, std::set<std::string>> scopes_of;  // control -> scope keys
  for (const auto& e : Events(store)) scopes_of[e["control"]["id"].GetString()].insert(e["key"].GetString());
  auto jira = Lines(RunTidemark({"--store", store, "feed", "--format", "jira", "--per-control"}).out);
  auto snow = Lines(RunTidemark({"--store", store, "feed", "--format", "servicenow", "--per-control"}).out);
  CHECK(jira.size() == scopes_of.size());
  REQUIRE(snow.size() == scopes_of.size());
  for (const auto& line : snow) {
    auto ticket = Json(line);
    std::string description = ticket["description"].GetString();
    std::string control = description.substr(description.find("control ") + 8);
    control = control.substr(0, control.find(' '));
    REQUIRE(scopes_of.count(control) == 1);
    CHECK(description.find("is recommended for " + std::to_string(scopes_of[control].size()) +
                           (scopes_of[control].size() == 1 ? " scope." : " scopes.")) != std::string::npos);
    size_t bullets = 0;
    for (size_t at = description.find("\n- "); at != std::string::npos; at = description.find("\n- ", at + 1)) ++bullets;
    CHECK(bullets == scopes_of[control].size());
  }
  auto ndjson = RunTidemark({"--store", store, "feed", "--per-control"});
  CHECK(ndjson.exit_code == 1);
}

TEST_CASE("feed --assignees: a mapped owner is the Jira assignee; a bad file is refused before anything is printed") {
  std::string store = DemoStore();
  {  // the owner set straight in the store: what the catalog importers read is theirs to test
    auto opened = store::Store::Open(store);
    REQUIRE(opened.ok());
    REQUIRE((*opened)->Write([](store::WriteTxn& txn) {
                       auto control = store::OrgCatalog::FindControl(txn, "EDR-ASR");
                       REQUIRE(control.has_value());
                       control->owner = "Endpoint Team";
                       store::OrgCatalog::PutControl(txn, *control);
                       return Status::Ok();
                     }).ok());
  }
  REQUIRE(RunTidemark({"--store", store, "--as-of", kAsOf, "run"}).exit_code == 0);
  std::string assignees = TempDir() + "/assignees.json";
  WriteText(assignees, R"({"Endpoint Team": "5b10ac8d82e05b22cc7d4ef5"})");
  auto events = Events(store);
  auto jira = Lines(RunTidemark({"--store", store, "feed", "--format", "jira", "--assignees", assignees}).out);
  auto snow = Lines(RunTidemark({"--store", store, "feed", "--format", "servicenow"}).out);
  REQUIRE(jira.size() == events.size());
  size_t owned_events = 0;
  for (size_t idx = 0; idx < events.size(); ++idx) {
    bool edr = std::string(events[idx]["control"]["id"].GetString()) == "EDR-ASR";
    CHECK(events[idx].HasMember("owner") == edr);
    auto body = Json(jira[idx]);
    CHECK(body["fields"].HasMember("assignee") == edr);
    if (!edr) continue;
    ++owned_events;
    CHECK(std::string(events[idx]["owner"].GetString()) == "Endpoint Team");
    CHECK(std::string(body["fields"]["assignee"]["accountId"].GetString()) == "5b10ac8d82e05b22cc7d4ef5");
    CHECK(std::string(Json(snow[idx])["assignment_group"].GetString()) == "Endpoint Team");
  }
  CHECK(owned_events > 0);
  WriteText(assignees, R"({"Endpoint Team": 7})");
  auto bad = RunTidemark({"--store", store, "feed", "--format", "jira", "--assignees", assignees});
  CHECK(bad.exit_code == 2);
  CHECK(bad.out.empty());
  CHECK(bad.err.find("owner \"Endpoint Team\"") != std::string::npos);
  CHECK(RunTidemark({"--store", store, "feed", "--assignees", assignees}).exit_code == 1);
}

TEST_CASE("a consumer gets each event once; --from moves no cursor") {
  std::string store = DemoStore();
  REQUIRE(RunTidemark({"--store", store, "--as-of", kAsOf, "run"}).exit_code == 0);
  size_t total = Events(store).size();
  CHECK(Events(store, {"--from", "3"}).size() == total - 2);
  CHECK(Events(store, {"--consumer", "jira"}).size() == total);
  CHECK(Events(store, {"--consumer", "jira"}).empty());
  CHECK(Events(store, {"--consumer", "servicenow"}).size() == total);  // cursors are per consumer
  auto bad = RunTidemark({"--store", store, "feed", "--consumer", "x", "--from", "2"});
  CHECK(bad.exit_code == 1);
  auto long_name = RunTidemark({"--store", store, "feed", "--consumer", std::string(600, 'x')});
  CHECK(long_name.exit_code == 1);
  CHECK(long_name.out.empty());
}

TEST_CASE("a consumer whose output cannot be written keeps its cursor (at-least-once)") {
  std::string store = DemoStore();
  REQUIRE(RunTidemark({"--store", store, "--as-of", kAsOf, "run"}).exit_code == 0);
  size_t total = Events(store).size();
  // /dev/full fails every write with ENOSPC: the flush fails, the command exits 3, the
  // cursor stays where it was and the next read gets every event again.
  std::string command = std::string("'") + TIDEMARK_BIN + "' --store '" + store + "' feed --consumer jira > /dev/full 2>/dev/null";
  int rc = std::system(command.c_str());
  CHECK(WIFEXITED(rc));
  CHECK(WEXITSTATUS(rc) == 3);
  CHECK(Events(store, {"--consumer", "jira"}).size() == total);
  CHECK(Events(store, {"--consumer", "jira"}).empty());
}

TEST_CASE("Jira bodies are ADF create-issue bodies; ServiceNow bodies carry correlation_id = key") {
  std::string store = DemoStore();
  REQUIRE(RunTidemark({"--store", store, "--as-of", kAsOf, "run"}).exit_code == 0);
  auto events = Events(store);
  auto jira = Lines(RunTidemark({"--store", store, "feed", "--format", "jira", "--jira-project", "SOC"}).out);
  auto snow = Lines(RunTidemark({"--store", store, "feed", "--format", "servicenow"}).out);
  REQUIRE(jira.size() == events.size());
  REQUIRE(snow.size() == events.size());
  for (size_t idx = 0; idx < events.size(); ++idx) {
    std::string key = events[idx]["key"].GetString();
    auto body = Json(jira[idx]);
    CHECK(std::string(body["fields"]["project"]["key"].GetString()) == "SOC");
    CHECK(std::string(body["fields"]["description"]["type"].GetString()) == "doc");
    CHECK(body["fields"]["description"]["version"].GetInt() == 1);
    CHECK(body["fields"]["description"]["content"].Size() >= 2);
    bool labelled = false;
    for (const auto& label : body["fields"]["labels"].GetArray()) labelled |= std::string(label.GetString()) == "tidemark-" + key;
    CHECK(labelled);
    CHECK(body["fields"]["summary"].GetStringLength() > 0);
    auto ticket = Json(snow[idx]);
    CHECK(std::string(ticket["correlation_id"].GetString()) == key);
    CHECK(ticket["short_description"].GetStringLength() > 0);
    CHECK(ticket.HasMember("work_notes"));
  }
}

TEST_CASE("markup and control characters from incidents reach ADF, ServiceNow, HTML and SVG escaped") {
  std::string store = DemoStore();
  std::string file = TempDir() + "/hostile.ndjson";
  WriteText(file, R"({"id": "INC-<b>9</b>", "title": "<script>alert('x')</script> \u0007bell & \"quotes\"", "closed": "2026-03-10T10:00:00Z", "status": "closed", "classification": "true-positive", "techniques": ["T1071.001"], "assets": [{"id": "<img src=x onerror=alert(1)>", "type": "device"}], "threats": ["<svg onload=alert(1)>"]})" "\n");
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "incidents", file}).exit_code == 0);
  REQUIRE(RunTidemark({"--store", store, "--as-of", kAsOf, "run"}).exit_code == 0);
  for (const auto& line : Lines(RunTidemark({"--store", store, "feed", "--format", "jira"}).out)) Json(line);
  for (const auto& line : Lines(RunTidemark({"--store", store, "feed", "--format", "servicenow"}).out)) Json(line);
  std::string html_path = TempDir() + "/r.html";
  REQUIRE(RunTidemark({"--store", store, "--as-of", kAsOf, "report", "--scope", "all", "--out", html_path}).exit_code == 0);
  std::string html = ReadText(html_path);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find('\a') == std::string::npos);
  auto svg = RunTidemark({"--store", store, "history", "--scope", "<svg onload=alert(1)>", "--format", "svg"});
  REQUIRE(svg.exit_code == 0);
  CHECK(svg.out.find("<svg onload") == std::string::npos);
  CHECK(svg.out.find("&lt;svg onload=alert(1)&gt;") != std::string::npos);
  auto text = RunTidemark({"--store", store, "--as-of", kAsOf, "incident", "INC-<b>9</b>"});
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.find('\a') == std::string::npos);
}

}  // namespace tidemark::testing
