// Hostile input, the 100 MB strings of tests/data/hostile/README.md ("generated/huge-..."):
// ids, a CSV cell, a STIX id and an incident title of 100 MB, each written into a temp dir,
// run through its importer as the real `tidemark` and deleted. Refused ones exit 2 naming the
// file and record and leave the store's data file as it was; the huge title is imported (free
// text has no length limit). About 15 s in a Release build, so the ctest label is "slow" (the
// sanitizer pass runs `ctest -LE slow`).
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "tests/reliability/hostile_cases.h"

namespace tidemark::testing::hostile {
namespace {

constexpr size_t kHugeBytes = size_t{100} << 20;

// The text around the 100 MB run of 'x' of each generated file.
const std::map<std::string, std::pair<std::string, std::string>>& HugeTemplates() {
  static const std::map<std::string, std::pair<std::string, std::string>> templates = {
      {"huge-incident-id.json", {R"({"incidents": [{"id": ")", R"(", "techniques": ["T1059"]}]})"}},
      {"huge-incident-id.csv", {"id,title\n", ",t\n"}},
      {"huge-incident-title.json",
       {R"({"incidents": [{"id": "INC-HUGE-TITLE", "techniques": ["T1059"], "title": ")", R"("}]})"}},
      {"huge-control-id.json", {R"({"controls": [{"id": ")", R"("}]})"}},
      {"huge-control-id.csv", {"id,title\n", ",t\n"}},
      {"huge-asset-id.json", {R"({"assets": [{"id": ")", R"("}]})"}},
      {"huge-mapping-control.json", {R"({"mappings": [{"control": ")", R"(", "technique": "T1059"}]})"}},
      {"huge-stix-id.json",
       {R"({"type": "bundle", "id": "bundle--1", "objects": [{"type": "attack-pattern", "id": "attack-pattern--)",
        R"(", "name": "n"}]})"}},
  };
  return templates;
}

void WriteHuge(const std::string& path, const std::string& before, const std::string& after) {
  std::ofstream out(path, std::ios::binary);
  out << before;
  std::string chunk(1 << 20, 'x');
  for (size_t written = 0; written < kHugeBytes; written += chunk.size()) out << chunk;
  out << after;
  REQUIRE(out.good());
}

}  // namespace

TEST_CASE("100 MB ids, cells and STIX ids are refused naming the record; a 100 MB title imports") {
  std::string shared = reliability::CopyStore(BaseStore());
  auto info_before = RunTidemark({"--store", shared, "--json", "info"}).out;
  std::string dir = TempDir("hostile-huge");
  size_t ran = 0;
  for (const auto& c : HostileCases()) {
    if (!IsHuge(c)) continue;
    std::string name = std::string(c.file).substr(std::string("generated/").size());
    auto found = HugeTemplates().find(name);
    REQUIRE_MESSAGE(found != HugeTemplates().end(), name);
    std::string path = dir + "/" + name;
    WriteHuge(path, found->second.first, found->second.second);
    RunHostileCase(c, path, shared);
    std::filesystem::remove(path);
    ++ran;
  }
  CHECK(ran == HugeTemplates().size());
  CHECK(RunTidemark({"--store", shared, "--json", "info"}).out == info_before);
}

}  // namespace tidemark::testing::hostile
