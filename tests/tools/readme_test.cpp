// The README a newcomer reads first: short, opening with the two commands, and every link in
// it and in docs/ pointing at a file that exists.
#include <doctest/doctest.h>

#include <filesystem>
#include <regex>
#include <sstream>

#include "tests/test_support.h"

namespace tidemark::testing {
namespace {


// Relative markdown links `](path)` of `file`, resolved from its directory; web links skipped.
void CheckLinks(const std::filesystem::path& file) {
  std::string text = ReadText(file.string());
  std::regex link(R"(\]\(([^)#]+)(#[^)]*)?\))");
  for (std::sregex_iterator it(text.begin(), text.end(), link), end; it != end; ++it) {
    std::string target = (*it)[1].str();
    if (target.rfind("http", 0) == 0) continue;
    INFO(file.string() << " links " << target);
    CHECK(std::filesystem::exists(file.parent_path() / target));
  }
}

}  // namespace

TEST_CASE("the README is at most 150 lines and opens with the set-up and test commands") {
  auto lines = Lines(ReadText(SourceDir() + "/README.md"));
  CHECK(lines.size() <= 150);
  REQUIRE(lines.size() > 6);
  CHECK(lines[0] == "# tidemark");
  CHECK(lines[2] == "```sh");
  CHECK(lines[3].rfind("tools/setup.sh ", 0) == 0);
  CHECK(lines[4].rfind("tools/test.sh ", 0) == 0);
  CHECK(lines[5] == "```");
}

TEST_CASE("CI runs exactly the README's test command") {
  std::string ci = ReadText(SourceDir() + "/.ci/run");
  CHECK(ci.find("exec tools/test.sh") != std::string::npos);
}

TEST_CASE("every relative link of the README and docs/ names a file that exists") {
  CheckLinks(SourceDir() + "/README.md");
  for (const auto& entry : std::filesystem::directory_iterator(SourceDir() + "/docs")) {
    if (entry.path().extension() == ".md") CheckLinks(entry.path());
  }
}

TEST_CASE("the docs are kept current rather than dated: no build diary") {
  for (const auto& entry : std::filesystem::directory_iterator(SourceDir() + "/docs")) {
    if (entry.path().extension() != ".md") continue;
    std::string text = ReadText(entry.path().string());
    INFO(entry.path().string());
    CHECK(text.find("another engineer") == std::string::npos);
    CHECK(text.find("Measured again on") == std::string::npos);
  }
}

}  // namespace tidemark::testing
