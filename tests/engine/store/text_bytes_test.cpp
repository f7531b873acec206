// Text is stored byte-safe and read back equal (issue 12): every control byte 0x00-0x1F in an
// incident title, followed by 20 bytes, imports, reads back from the store equal and prints as
// valid JSON. RapidJSON 1.1.0's SSE4.2 writer stored 0x1A-0x1F raw, and every later read of the
// record failed with exit 3 "corrupt ... record".
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "tests/test_support.h"

namespace tidemark::testing {
namespace {

std::string Escaped(int byte) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", byte);
  return buf;
}

TEST_CASE("a title with any control byte 0x00-0x1F followed by 20 bytes is stored and read back equal") {
  std::string store = TempDir("control-bytes");
  std::string input = TempDir("control-input") + "/incidents.ndjson";
  {
    std::ofstream out(input);
    for (int byte = 0; byte < 0x20; ++byte) {
      out << "{\"id\": \"INC-" << byte << "\", \"title\": \"before" << Escaped(byte)
          << "twenty-bytes-after-it\", \"created\": \"2026-03-04T09:12:44Z\", \"closed\": \"2026-03-05T09:12:44Z\", "
             "\"classification\": \"true-positive\", \"techniques\": [\"T1059.001\"]}\n";
    }
  }
  auto imported = RunTidemark({"--store", store, "-q", "import", "incidents", input});
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  for (int byte = 0; byte < 0x20; ++byte) {
    CAPTURE(byte);
    std::string expected = "before" + std::string(1, static_cast<char>(byte)) + "twenty-bytes-after-it";
    auto shown = RunTidemark({"--store", store, "--json", "incident", "INC-" + std::to_string(byte)});
    REQUIRE_MESSAGE(shown.exit_code == 0, shown.err);
    rapidjson::Document doc;
    doc.Parse(shown.out.c_str(), shown.out.size());
    REQUIRE_MESSAGE(!doc.HasParseError(), shown.out);
    CHECK(std::string(doc["incident"]["title"].GetString(), doc["incident"]["title"].GetStringLength()) == expected);
  }
  auto listed = RunTidemark({"--store", store, "--json", "incidents"});
  REQUIRE_MESSAGE(listed.exit_code == 0, listed.err);
  rapidjson::Document list;
  list.Parse(listed.out.c_str(), listed.out.size());
  CHECK_MESSAGE(!list.HasParseError(), listed.out);
}

TEST_CASE("an input string past the string limit is refused with exit 2 naming the file") {
  std::string input = TempDir("long-string") + "/incidents.json";
  {
    std::ofstream out(input);
    out << "[{\"id\": \"INC-1\", \"title\": \"" << std::string(200, 't')
        << "\", \"created\": \"2026-03-04T09:12:44Z\", \"techniques\": [\"T1059.001\"]}]\n";
  }
  std::string store = TempDir("long-string-store");
  setenv("TIDEMARK_MAX_JSON_STRING", "100", 1);
  auto result = RunTidemark({"--store", store, "import", "incidents", input});
  unsetenv("TIDEMARK_MAX_JSON_STRING");
  CHECK(result.exit_code == 2);
  CHECK_MESSAGE(result.err.find(input) != std::string::npos, result.err);
  CHECK_MESSAGE(result.err.find("too long") != std::string::npos, result.err);
}

}  // namespace
}  // namespace tidemark::testing
