// The HTML report rendered in headless Chromium (Debian's `chromium`, installed by
// tools/install-deps.sh): the page loads, shows the chart and the tables, and fetches nothing.
#include "engine/report/html_report.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

#include "tests/test_support.h"

namespace tidemark::testing {
namespace {

// Runs Chromium headless with the flags this machine needs (no sandbox as root, no background
// networking); returns its stdout. Fails the test when Chromium is missing.
std::string Chromium(const std::vector<std::string>& args) {
  REQUIRE_MESSAGE(std::filesystem::exists("/usr/bin/chromium"), "Chromium is missing: run tools/install-deps.sh");
  std::string profile = TempDir("chromium");
  std::string out = TempDir("chromium-out") + "/stdout";
  std::string command = "timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic "
                        "--no-first-run --disable-background-networking --disable-component-update --disable-sync "
                        "--user-data-dir=" + profile;
  for (const auto& a : args) command += " '" + a + "'";
  command += " > " + out + " 2>/dev/null";
  int rc = std::system(command.c_str());
  REQUIRE(rc == 0);
  return ReadText(out);
}

}  // namespace

TEST_CASE("the demo report renders in headless Chromium with its chart and tables, and fetches nothing") {
  std::string store = DemoStore();
  std::string dir = TempDir("report");
  std::string html_path = dir + "/report.html";
  auto result = RunTidemark({"--store", store, "--as-of", "2026-03-15", "report", "--scope", "all", "--out", html_path});
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.empty());
  std::string html = ReadText(html_path);
  // Self-contained: no external resource of any kind.
  for (const char* fetch : {"src=\"http", "href=\"http", "src='http", "url(http", "<script", "<link", "@import"}) {
    CAPTURE(fetch);
    CHECK(html.find(fetch) == std::string::npos);
  }
  std::string dom = Chromium({"--dump-dom", "file://" + html_path});
  CHECK(dom.find("<svg") != std::string::npos);
  CHECK(dom.find("<path d=\"M") != std::string::npos);  // the resilience line
  CHECK(dom.find("id=\"recommendations\"") != std::string::npos);
  CHECK(dom.find("EDR-ASR") != std::string::npos);
  CHECK(dom.find("81.1") != std::string::npos);  // resilience of all at 2026-03-15
  std::string png = dir + "/report.png";
  Chromium({"--screenshot=" + png, "--window-size=1200,1700", "file://" + html_path});
  REQUIRE(std::filesystem::exists(png));
  CHECK(std::filesystem::file_size(png) > 20000);
  if (const char* keep = std::getenv("TIDEMARK_REPORT_SCREENSHOT")) std::filesystem::copy_file(png, keep, std::filesystem::copy_options::overwrite_existing);
}

}  // namespace tidemark::testing
