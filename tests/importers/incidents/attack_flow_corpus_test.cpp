// The CTID Attack Flow corpus (../shared/incidents/attack-flow, 40 .afb files) imported with
// auto-detection, each flow's stored technique set checked against a count this test makes on
// its own from the raw files: every action's `technique_id` and ["technique", ID] ttp pair,
// normalised here (trim, upper-case, missing T, the four revoked IDs of the corpus, most
// specific ID wins) — not through the reader or the normaliser under test.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "tests/test_support.h"

namespace tidemark::testing {
namespace {

const rapidjson::Value* Pair(const rapidjson::Value& pairs, const char* key) {
  if (!pairs.IsArray()) return nullptr;
  for (const auto& pair : pairs.GetArray()) {
    if (pair.IsArray() && pair.Size() == 2 && pair[0].IsString() && std::string(pair[0].GetString()) == key) {
      return pair[1].IsString() ? &pair[1] : nullptr;
    }
  }
  return nullptr;
}

struct RawFlow {
  std::string name;
  std::string instance;
  std::set<std::string> raw;  // technique strings exactly as written
};

RawFlow ScanFlow(const std::string& path) {
  rapidjson::Document doc;
  std::string text = ReadText(path);
  doc.Parse(text.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  RawFlow flow;
  for (const auto& object : doc["objects"].GetArray()) {
    // Diagram plumbing (anchors, latches) has no properties: RapidJSON asserts on a missing
    // member in debug builds, so look before indexing.
    if (!object.HasMember("id") || !object.HasMember("properties")) continue;
    std::string type = object["id"].GetString();
    const rapidjson::Value& props = object["properties"];
    if (type == "flow") {
      flow.name = Pair(props, "name")->GetString();
      flow.instance = object["instance"].GetString();
    }
    if (type != "action") continue;
    if (const rapidjson::Value* id = Pair(props, "technique_id")) flow.raw.insert(id->GetString());
    for (const auto& pair : props.GetArray()) {
      if (!pair.IsArray() || std::string(pair[0].GetString()) != "ttp" || !pair[1].IsArray()) continue;
      if (const rapidjson::Value* id = Pair(pair[1], "technique")) flow.raw.insert(id->GetString());
    }
  }
  flow.raw.erase("");
  return flow;
}

// The test's own normalisation of one raw ID.
std::string Normalise(std::string id) {
  id.erase(0, id.find_first_not_of(" \t"));
  id.erase(id.find_last_not_of(" \t") + 1);
  static const std::regex attack(R"(^[Tt]?(\d{4}(\.\d{3})?)$)");
  std::smatch match;
  if (!std::regex_match(id, match, attack)) {
    if (id.rfind("AML.", 0) == 0 || id.rfind("aml.", 0) == 0) {
      std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    }
    return id;  // ATLAS, or malformed: kept as written
  }
  std::string out = "T" + match[1].str();
  static const std::map<std::string, std::string> revoked = {
      {"T1574.002", "T1574.001"}, {"T1076", "T1021.001"}, {"T1063", "T1518.001"}, {"T1183", "T1546.012"}};
  if (auto it = revoked.find(out); it != revoked.end()) out = it->second;
  return out;
}

std::set<std::string> Expected(const std::set<std::string>& raw) {
  std::set<std::string> ids;
  for (const auto& id : raw) ids.insert(Normalise(id));
  std::set<std::string> out;
  for (const auto& id : ids) {
    bool is_parent = id.size() == 5 && id[0] == 'T' &&
                     std::any_of(ids.begin(), ids.end(), [&](const std::string& other) { return other.rfind(id + ".", 0) == 0; });
    if (!is_parent) out.insert(id);  // most specific wins: T1059 + T1059.001 -> T1059.001
  }
  return out;
}

}  // namespace

TEST_CASE("the 40 Attack Flow corpus files import with auto-detection and keep every technique they name") {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(SharedPath("incidents/attack-flow"))) {
    if (entry.path().extension() == ".afb") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() == 40);

  std::string store = StoreWithAttack();
  std::vector<std::string> args = {"--store", store, "import", "incidents"};
  args.insert(args.end(), files.begin(), files.end());
  auto imported = RunTidemark(args);
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  CHECK(imported.err.find("40 files (40 attack-flow): 40 incidents imported: 40 new") != std::string::npos);
  CHECK(imported.err.find("0 rejected") != std::string::npos);

  auto listed = RunTidemark({"--store", store, "--json", "incidents"});
  REQUIRE(listed.exit_code == 0);
  rapidjson::Document list;
  list.Parse(listed.out.c_str());
  REQUIRE_FALSE(list.HasParseError());
  std::map<std::string, const rapidjson::Value*> by_title;
  for (const auto& incident : list["incidents"].GetArray()) by_title[incident["title"].GetString()] = &incident;
  REQUIRE(by_title.size() == 40);

  std::set<std::string> all_raw;
  std::set<std::string> all_unknown;
  size_t total_techniques = 0;
  for (const auto& file : files) {
    CAPTURE(file);
    RawFlow flow = ScanFlow(file);
    all_raw.insert(flow.raw.begin(), flow.raw.end());
    auto it = by_title.find(flow.name);
    REQUIRE(it != by_title.end());
    const rapidjson::Value& incident = *it->second;
    CHECK(std::string(incident["id"].GetString()).rfind("attack-flow:attack-flow--" + flow.instance + ":", 0) == 0);
    CHECK(std::string(incident["status"].GetString()) == "closed");
    CHECK(std::string(incident["classification"].GetString()) == "true-positive");
    std::set<std::string> stored;
    for (const auto& technique : incident["techniques"].GetArray()) stored.insert(technique["id"].GetString());
    total_techniques += stored.size();
    for (const auto& unknown : incident["unknown_techniques"].GetArray()) {
      stored.insert(unknown.GetString());
      all_unknown.insert(unknown.GetString());
    }
    CHECK(stored == Expected(flow.raw));
    if (file.find("Example Attack Tree.afb") != std::string::npos) CHECK(flow.raw.empty());
    else CHECK_FALSE(flow.raw.empty());
  }
  // DATA.md §3: 253 distinct IDs — 15 ATLAS, 2 malformed, 4 revoked, the rest live ATT&CK.
  CHECK(all_raw.size() == 253);
  CHECK(std::count_if(all_raw.begin(), all_raw.end(), [](const std::string& id) { return id.rfind("AML.", 0) == 0; }) == 15);
  CHECK(std::count_if(all_raw.begin(), all_raw.end(), [](const std::string& id) { return id.rfind("[ATL] ", 0) == 0; }) == 2);
  for (const char* id : {"T1574.002", "T1076", "T1063", "T1183"}) CHECK(all_raw.count(id) == 1);
  // Unknown in an Enterprise-only store: the 17 ATLAS/malformed strings plus T1533 (Mobile)
  // and T0834, T0866 (ICS).
  CHECK(all_unknown.size() == 20);
  MESSAGE("corpus: ", all_raw.size(), " distinct raw IDs; ", total_techniques, " stored technique entries; ",
          all_unknown.size(), " distinct unknown");
}

}  // namespace tidemark::testing
