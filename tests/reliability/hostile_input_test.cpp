// Hostile input (SPEC §6): every file of tests/data/hostile, and 100 000 levels of generated
// nesting, through every importer that applies, run as the real `tidemark` binary. A refused
// file exits 2 naming the file (and record and field), prints nothing on stdout and leaves the
// store's data file byte for byte as it was; an accepted one does exactly what the manifest
// (tests/data/hostile/README.md) says, including its documented surprises. The 100 MB strings
// are in hostile_huge_input_test.cpp (label "slow").
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include "importers/attack/stix_bundle.h"
#include "importers/controls/asset_inventory.h"
#include "importers/controls/control_catalog.h"
#include "importers/incidents/import.h"
#include "importers/incidents/reader_util.h"
#include "tests/reliability/hostile_cases.h"
#include "tests/reliability/reliability_support.h"

namespace tidemark::testing::hostile {
namespace {

namespace fs = std::filesystem;
using reliability::CopyStore;
using reliability::InfoCounts;
using reliability::ParseJson;

// The generated files of the fast cases, written once into a temp dir.
std::string GeneratedPath(const std::string& file) {
  static const std::string dir = [] {
    std::string generated = TempDir("hostile-generated");
    constexpr int kLevels = 100000;
    std::string arrays = std::string(kLevels, '[') + std::string(kLevels, ']');
    WriteText(generated + "/deep-arrays-100k.json", arrays);
    std::string objects;
    for (int level = 0; level < kLevels; ++level) objects += "{\"a\":";
    objects += "1" + std::string(kLevels, '}');
    WriteText(generated + "/deep-objects-100k.json", objects);
    WriteText(generated + "/deep-lines-100k.ndjson",
              "{\"id\": \"INC-DEEP\", \"techniques\": [\"T1059\"]}\n" + arrays + "\n");
    return generated;
  }();
  return dir + "/" + file.substr(std::string("generated/").size());
}

std::string CasePath(const HostileCase& c) {
  return std::string_view(c.file).starts_with("generated/") ? GeneratedPath(c.file) : HostilePath(c.file);
}

// The cells of a Markdown table row ("| `a` | b |" -> {"a", "b"}), backticks around a cell removed.
std::vector<std::string> Cells(const std::string& line) {
  std::vector<std::string> cells;
  std::string body = line.substr(2, line.size() - 4);  // without "| " and " |"
  for (size_t start = 0;;) {
    size_t bar = body.find(" | ", start);
    std::string cell = body.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
    if (cell.size() >= 2 && cell.front() == '`' && cell.back() == '`') cell = cell.substr(1, cell.size() - 2);
    cells.push_back(cell);
    if (bar == std::string::npos) return cells;
    start = bar + 3;
  }
}

}  // namespace

TEST_CASE("the manifest README lists every hostile file and exactly the outcome table of hostile_cases.h") {
  std::istringstream readme(ReadText(HostilePath("README.md")));
  std::set<std::string> described;
  std::vector<std::vector<std::string>> outcomes;
  for (std::string line; std::getline(readme, line);) {
    if (!line.starts_with("| `") || !line.ends_with(" |")) continue;
    auto cells = Cells(line);
    if (cells.size() == 2) described.insert(cells[0]);
    if (cells.size() == 4) outcomes.push_back(cells);
  }
  const auto& cases = HostileCases();
  REQUIRE(outcomes.size() == cases.size());
  for (size_t case_idx = 0; case_idx < cases.size(); ++case_idx) {
    const auto& c = cases[case_idx];
    CAPTURE(case_idx);
    CHECK(outcomes[case_idx] ==
          std::vector<std::string>{c.file, c.importer, std::to_string(c.exit_code), c.message});
    CHECK_MESSAGE(described.count(c.file) == 1, c.file, " has no line in the Files table");
  }
  std::set<std::string> used;
  for (const auto& c : cases) used.insert(c.file);
  for (const auto& name : Listing(DataPath("hostile"))) {
    if (name == "README.md") continue;
    CHECK_MESSAGE(described.count(name) == 1, name, " is not described in README.md");
    CHECK_MESSAGE(used.count(name) == 1, name, " is not used by any case");
  }
  for (const auto& name : described) {
    if (!name.starts_with("generated/")) CHECK_MESSAGE(fs::exists(HostilePath(name)), name, " is described but missing");
  }
}

TEST_CASE("every hostile file gets its expected answer from every importer; refused files change nothing") {
  std::string shared = CopyStore(BaseStore());
  auto info_before = RunTidemark({"--store", shared, "--json", "info"}).out;
  ScopedWorkDir work_dir;
  auto data_before = Listing(DataPath("hostile"));
  for (const auto& c : HostileCases()) {
    if (!IsHuge(c)) RunHostileCase(c, CasePath(c), shared);
  }
  CHECK(RunTidemark({"--store", shared, "--json", "info"}).out == info_before);
  CHECK(Listing(shared) == std::set<std::string>{"data.mdb", "lock.mdb"});
  CHECK(work_dir.Files().empty());
  CHECK(Listing(DataPath("hostile")) == data_before);
}

TEST_CASE("ids with path separators and traversal are opaque strings: they round-trip and create no files") {
  std::string store = CopyStore(BaseStore());
  ScopedWorkDir work_dir;
  auto counts_before = InfoCounts(store);
  for (auto [what, file] : {std::pair{"incidents", "incidents-path-ids.json"},
                            {"controls", "controls-path-ids.json"},
                            {"assets", "assets-path-ids.json"},
                            {"mappings", "mappings-path-id.json"}}) {
    auto result = RunTidemark({"--store", store, "-q", "import", what, HostilePath(file)});
    REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  }
  auto counts = InfoCounts(store);
  CHECK(counts.at("incidents") == counts_before.at("incidents") + 3);
  CHECK(counts.at("controls") == counts_before.at("controls") + 3);
  CHECK(counts.at("assets") == counts_before.at("assets") + 3);
  const std::pair<const char*, const char*> incidents[] = {
      {"../../etc/passwd", "../../etc/shadow"}, {"a/b", "a/b"}, {"C:\\x", "c:\\windows\\system32"}};
  for (auto [id, asset] : incidents) {
    const auto& id_ = id;  // CAPTURE's lambda cannot capture a structured binding (clang)
    CAPTURE(id_);
    auto result = RunTidemark({"--store", store, "--json", "incident", id});
    REQUIRE_MESSAGE(result.exit_code == 0, result.err);
    auto doc = ParseJson(result.out);
    CHECK(std::string(doc["scope"]["id"].GetString()) == id);
    CHECK(std::string(doc["incident"]["assets"][0]["id"].GetString()) == asset);
  }
  for (const char* id : {"../../etc/passwd", "a/b", "C:\\x"}) {
    const auto& id_ = id;  // CAPTURE's lambda cannot capture a structured binding (clang)
    CAPTURE(id_);
    auto result = RunTidemark({"--store", store, "--json", "control", id});
    REQUIRE_MESSAGE(result.exit_code == 0, result.err);
    CHECK(std::string(ParseJson(result.out)["id"].GetString()) == id);
  }
  // The mapping file's row reached the control named like a path.
  auto control = RunTidemark({"--store", store, "--json", "control", "../../etc/passwd"});
  CHECK(control.out.find("\"T1059\"") != std::string::npos);
  CHECK(Listing(store) == std::set<std::string>{"data.mdb", "lock.mdb"});
  CHECK(work_dir.Files().empty());
}

TEST_CASE("duplicate JSON keys: the first member wins, silently, as the manifest documents") {
  std::string store = CopyStore(BaseStore());
  auto import = [&](std::vector<std::string> args) {
    std::vector<std::string> command = {"--store", store, "-q", "import"};
    command.insert(command.end(), args.begin(), args.end());
    auto result = RunTidemark(command);
    REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  };
  auto exists = [&](const char* what, const char* id) {
    return RunTidemark({"--store", store, "--json", what, id}).exit_code == 0;
  };
  import({"incidents", HostilePath("incidents-duplicate-key.json")});
  CHECK(exists("incident", "INC-DUP-FIRST"));
  CHECK_FALSE(exists("incident", "INC-DUP-SECOND"));
  import({"incidents", "--format", "native", HostilePath("incidents-duplicate-wrapper.json")});
  CHECK_FALSE(exists("incident", "INC-HIDDEN"));
  import({"controls", HostilePath("controls-duplicate-key.json")});
  CHECK(exists("control", "DUP-FIRST"));
  CHECK_FALSE(exists("control", "DUP-SECOND"));
  import({"controls", HostilePath("controls-duplicate-wrapper.json")});
  CHECK_FALSE(exists("control", "HIDDEN-CONTROL"));
  import({"posture", HostilePath("posture-duplicate-key.json")});
  auto doc = ParseJson(RunTidemark({"--store", store, "--json", "control", "MFA-ADMINS"}).out);
  REQUIRE(doc["history"].Size() == 1);
  CHECK(std::string(doc["history"][0]["as_of"].GetString()) == "2026-01-01T00:00:00Z");
}

TEST_CASE("a NUL byte after a JSON document hides the rest from the organisation importers; incidents refuse it") {
  std::string store = CopyStore(BaseStore());
  auto result = RunTidemark({"--store", store, "-q", "import", "controls", HostilePath("controls-nul-after-document.json")});
  REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  CHECK(RunTidemark({"--store", store, "control", "NUL-BEFORE"}).exit_code == 0);
  CHECK(RunTidemark({"--store", store, "control", "NUL-AFTER"}).exit_code == 2);
  CHECK(RunTidemark({"--store", store, "import", "incidents", HostilePath("nul-after-document.json")}).exit_code == 2);
  CHECK(RunTidemark({"--store", store, "incident", "INC-NUL-BEFORE"}).exit_code == 2);
}

TEST_CASE("files starting with a UTF-8 BOM import their records") {
  std::string store = CopyStore(BaseStore());
  for (auto [what, file] : {std::pair{"incidents", "incidents-bom.json"},
                            {"incidents", "incidents-bom.ndjson"},
                            {"incidents", "incidents-bom.csv"},
                            {"controls", "controls-bom.json"},
                            {"controls", "controls-bom.csv"},
                            {"posture", "posture-bom.csv"},
                            {"assets", "assets-bom.csv"}}) {
    auto result = RunTidemark({"--store", store, "-q", "import", what, HostilePath(file)});
    const auto& file_ = file;  // the message's lambda cannot capture a structured binding (clang)
    CHECK_MESSAGE(result.exit_code == 0, file_, ": ", result.err);
  }
  for (const char* id : {"INC-BOM-JSON", "INC-BOM-NDJSON-1", "INC-BOM-NDJSON-2", "INC-BOM-CSV"}) {
    CHECK_MESSAGE(RunTidemark({"--store", store, "incident", id}).exit_code == 0, id);
  }
  // The BOM is not part of the first header or id.
  CHECK(RunTidemark({"--store", store, "control", "BOM-JSON"}).exit_code == 0);
  CHECK(RunTidemark({"--store", store, "control", "BOM-CSV"}).exit_code == 0);
  auto doc = ParseJson(RunTidemark({"--store", store, "--json", "control", "MFA-ADMINS"}).out);
  CHECK(doc["history"].Size() == 1);
}

// ---- regressions of the bugs the corpus found ---------------------------------------------

TEST_CASE("asset criticality given as a fraction or beyond int64 is a reject, not a RapidJSON assertion") {
  for (std::string text : {R"({"assets": [{"id": "a", "criticality": 1.5}]})",
                           R"({"assets": [{"id": "a", "criticality": 18446744073709551615}]})",
                           R"({"assets": [{"id": "a", "criticality": -1e300}]})"}) {
    CAPTURE(text);
    auto parsed = importers::ParseAssetFile(text, "assets.json");
    REQUIRE(parsed.ok());
    REQUIRE(parsed->rejects.items.size() == 1);
    CHECK(parsed->rejects.items[0].reason.find("is not a criticality level") != std::string::npos);
  }
}

TEST_CASE("an epoch time beyond 1e15 written as digits is not a time (it overflowed the cast to TimeMs)") {
  using importers::incidents::AsTime;
  rapidjson::Value huge("99999999999999999999999");
  CHECK_FALSE(AsTime(&huge).has_value());
  rapidjson::Value seconds("1741079400");
  CHECK(AsTime(&seconds) == 1741079400000);
}

TEST_CASE("a TheHive severity far outside 1-4 falls back to severityLabel (the cast to int was undefined)") {
  std::string text = ReadText(HostilePath("thehive-severity-overflow.json"));
  importers::incidents::ReadOutput out;
  REQUIRE(importers::incidents::ReadIncidentText("cases.json", text, "thehive", out).ok());
  REQUIRE(out.incidents.size() == 1);
  CHECK(out.incidents[0].incident.severity == "high");
}

TEST_CASE("incident files holding a NUL byte, or only a BOM, fail as a whole") {
  importers::incidents::ReadOutput out;
  std::string with_nul = R"({"incidents": [{"id": "A", "techniques": []}]})";
  with_nul += '\0';
  with_nul += "{}";
  auto status = importers::incidents::ReadIncidentText("f.json", with_nul, "native", out);
  CHECK(status.message() == "f.json:1: NUL byte (a binary or UTF-16 file? save it as UTF-8 text)");
  std::string bom = "\xEF\xBB\xBF\n";
  CHECK(importers::incidents::ReadIncidentText("f.json", bom, "native", out).message() == "f.json: file is empty");
}

TEST_CASE("a CSV row with more non-blank cells than the header is a reject naming its line; blank extra cells are not") {
  std::string ragged = "id,title\nA,x,y\nB,ok\n";
  auto parsed = importers::ParseControlCatalog(ragged, "c.csv");
  REQUIRE(parsed.ok());
  REQUIRE(parsed->rejects.items.size() == 1);
  CHECK(parsed->rejects.items[0].Message() == "c.csv:2: 3 fields, but the header names 2 columns (a comma in an unquoted field?)");
  CHECK(parsed->controls.size() == 1);
  std::string trailing = "id,title\nA,x,,\n";
  auto lenient = importers::ParseControlCatalog(trailing, "c.csv");
  REQUIRE(lenient.ok());
  CHECK(lenient->rejects.empty());
  CHECK(lenient->controls.size() == 1);
}

TEST_CASE("a bundle cut off inside a UTF-8 sequence is refused without reading past the text (fuzz regression: in-situ over-read)") {
  // A plain string, as attack_bundle_fuzz passes it: under AddressSanitizer a read past its NUL
  // is reported (the in-situ parse used to decode the cut sequence past the end).
  std::string text = ReadText(SourceDir() + "/tests/fuzz/regressions/attack-bundle/truncated-utf8-in-situ-overread");
  auto parsed = importers::ParseAttackBundle(text, "bundle.json");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.status().message().find("bundle.json:1: not valid JSON: Invalid encoding in string.") == 0);
}

}  // namespace tidemark::testing::hostile
