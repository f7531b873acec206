// Human tables fit the terminal: COLUMNS (or the terminal's width) bounds every line of the
// demo's views, --wide and piped output keep whole values.
#include <doctest/doctest.h>

#include <cstdlib>
#include <sstream>

#include "tests/test_support.h"

namespace tidemark::testing {
namespace {

size_t Width(const std::string& line) {
  size_t width = 0;
  for (unsigned char c : line) width += (c & 0xC0) != 0x80;
  return width;
}

std::string LongestLine(const std::string& text) {
  std::istringstream in(text);
  std::string longest;
  for (std::string line; std::getline(in, line);) {
    // Every line counts, the "Why" paths too: their technique names are cut first (scope_view).
    if (Width(line) > Width(longest)) longest = line;
  }
  return longest;
}

const std::vector<std::vector<std::string>>& DemoViews() {
  static const std::vector<std::vector<std::string>> views = {
      {"recommendations", "--group-by", "product"},
      {"recommendations", "--scope", "G0016"},
      {"incident", "INC-2004"},
      {"incident", "defender:3127"},
      {"incidents"},
      {"threat", "G0016"},
      {"threat", "all"},
      {"threats", "--observed-only"},
      {"threats", "--limit", "20"},
      {"controls"},
      {"control", "EDR-ASR"},
      {"history", "--scope", "all"},
      {"technique", "T1003.001"},
      {"mitigation", "M1038"},
      {"search", "credential"},
  };
  return views;
}

CommandResult Run(const std::string& store, std::vector<std::string> args, const char* columns) {
  if (columns) setenv("COLUMNS", columns, 1);
  else unsetenv("COLUMNS");
  args.insert(args.begin(), {"--store", store, "--as-of", "2026-03-15"});
  auto result = RunTidemark(args);
  unsetenv("COLUMNS");
  return result;
}

}  // namespace

TEST_CASE("no line of the demo's views is wider than COLUMNS=100 or COLUMNS=80") {
  std::string store = DemoStore();
  for (const char* columns : {"100", "80"}) {
    for (const auto& view : DemoViews()) {
      auto result = Run(store, view, columns);
      INFO("COLUMNS=" << columns << " tidemark " << view[0] << (view.size() > 1 ? " " + view[1] : ""));
      REQUIRE(result.exit_code == 0);
      std::string longest = LongestLine(result.out);
      INFO("longest line: " << longest);
      CHECK(Width(longest) <= static_cast<size_t>(std::atoi(columns)));
    }
  }
}

TEST_CASE("cut cells end in an ellipsis and cut technique lists say how many are left") {
  std::string store = DemoStore();
  auto threat = Run(store, {"threat", "G0016"}, "80");
  CHECK(threat.out.find("\xE2\x80\xA6") != std::string::npos);
  CHECK(threat.out.find(" more") != std::string::npos);
}

TEST_CASE("piped output without COLUMNS and --wide keep every value whole") {
  std::string store = DemoStore();
  auto piped = Run(store, {"threat", "G0016"}, nullptr);
  auto wide = Run(store, {"--wide", "threat", "G0016"}, "80");
  CHECK(piped.out == wide.out);
  CHECK(Width(LongestLine(piped.out)) > 100);
  CHECK(piped.out.find("\xE2\x80\xA6") == std::string::npos);
}

}  // namespace tidemark::testing
