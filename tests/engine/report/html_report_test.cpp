// The HTML report rendered in headless Chromium (Debian's `chromium`, installed by
// tools/install-deps.sh): the page loads, shows the chart and the tables, and fetches nothing.
#include "engine/report/html_report.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "tests/test_support.h"

namespace tidemark::testing {
namespace {

struct Rendered {
  std::string out;       // stdout (the DOM with --dump-dom)
  std::string console;   // the page's console lines: errors, CSP violations (blocked fetches)
};

// Runs Chromium headless with the flags this machine needs (no sandbox as root, no background
// networking) and its log on stderr, from which the page's console lines are kept. Fails the
// test when Chromium is missing or does not run.
Rendered Chromium(const std::vector<std::string>& args) {
  REQUIRE_MESSAGE(std::filesystem::exists("/usr/bin/chromium"),
                  "Chromium is missing: run tools/install-deps.sh (or skip with ctest -LE chromium, docs/development.md)");
  std::string profile = TempDir("chromium");
  std::string dir = TempDir("chromium-out");
  std::string command = "timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic "
                        "--no-first-run --disable-background-networking --disable-component-update --disable-sync "
                        "--enable-logging=stderr --v=0 --user-data-dir=" + profile;
  for (const auto& a : args) command += " '" + a + "'";
  command += " > " + dir + "/stdout 2> " + dir + "/stderr";
  int rc = std::system(command.c_str());
  REQUIRE_MESSAGE(rc == 0, "chromium failed: " << ReadText(dir + "/stderr"));
  Rendered rendered{ReadText(dir + "/stdout"), ""};
  std::istringstream log(ReadText(dir + "/stderr"));
  for (std::string line; std::getline(log, line);) {
    if (line.find(":CONSOLE") != std::string::npos) rendered.console += line + "\n";
  }
  return rendered;
}

// What a first-time analyst looks for in the demo report (issue 13).
void CheckReadsForAnalysts(const std::string& html) {
  // Technique IDs carry their names and link to ATT&CK (sub-techniques as T1059/001).
  CHECK(html.find("<a href=\"https://attack.mitre.org/techniques/T1059/001/\">T1059.001</a></span> PowerShell") !=
        std::string::npos);
  CHECK(html.find("<a href=\"https://attack.mitre.org/techniques/T1486/\">T1486</a></span> Data Encrypted for Impact") !=
        std::string::npos);
  // The why path, in the words of the terminal's technique rows.
  CHECK(html.find("id=\"why\"") != std::string::npos);
  CHECK(html.find("&rarr; mitigation:M") != std::string::npos);
  CHECK(html.find("&rarr; mapping") == std::string::npos);
  // License and owner beside each control.
  CHECK(html.find("<th>license</th><th>owner</th>") != std::string::npos);
  // The top threats over time in one chart, with a swatch per line.
  CHECK(html.find("<g class=\"legend\"><rect") != std::string::npos);
  CHECK(html.find(">All incidents</text></g>") != std::string::npos);
  CHECK(html.find("(G0016)</text></g>") != std::string::npos);
  CHECK(html.find("(G0102)</text></g>") != std::string::npos);
  // No developer text, no raw timestamps.
  for (const char* dev : {"SPEC", "§", "closed (else created)", "T23:59:59", ".999Z", "nothing left to raise"}) {
    CAPTURE(dev);
    CHECK(html.find(dev) == std::string::npos);
  }
  CHECK(html.find("As of 2026-03-15.") != std::string::npos);
  // Date labels never overlap: each at least a label's width from the next.
  std::vector<double> xs;
  for (size_t at = html.find("class=\"date\" x=\""); at != std::string::npos; at = html.find("class=\"date\" x=\"", at + 1)) {
    xs.push_back(std::stod(html.substr(at + 16)));
  }
  REQUIRE(xs.size() >= 2);
  for (size_t idx = 1; idx < xs.size(); ++idx) CHECK(xs[idx] - xs[idx - 1] >= 70);
}

}  // namespace

TEST_CASE("an ATT&CK technique links to its page, a sub-technique under its parent's") {
  CHECK(report::AttackTechniqueUrl("T1059") == "https://attack.mitre.org/techniques/T1059/");
  CHECK(report::AttackTechniqueUrl("T1059.001") == "https://attack.mitre.org/techniques/T1059/001/");
}

TEST_CASE("an empty store's report says there is no data yet, not that nothing is left to fix") {
  std::string store = StoreWithAttack();  // ATT&CK only: what `tidemark import attack` leaves
  std::string html_path = TempDir("report") + "/report.html";
  auto result = RunTidemark({"--store", store, "--as-of", "2026-03-15", "report", "--scope", "all", "--out", html_path});
  REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  std::string html = ReadText(html_path);
  CHECK(html.find("No data yet.") != std::string::npos);
  CHECK(html.find("tidemark import incidents") != std::string::npos);
  CHECK(html.find("No control to raise") == std::string::npos);
  CHECK(html.find("nothing left to raise") == std::string::npos);
}

TEST_CASE("the demo report renders in headless Chromium with its chart and tables, and fetches nothing") {
  std::string store = DemoStore();
  std::string dir = TempDir("report");
  std::string html_path = dir + "/report.html";
  auto result = RunTidemark({"--store", store, "--as-of", "2026-03-15", "report", "--scope", "all", "--out", html_path});
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.empty());
  std::string html = ReadText(html_path);
  // Self-contained: no external resource of any kind. The only links are the ATT&CK pages of
  // techniques, which are followed when clicked, never fetched.
  for (const char* fetch : {"src=\"http", "src='http", "url(http", "<script", "<link", "@import"}) {
    CAPTURE(fetch);
    CHECK(html.find(fetch) == std::string::npos);
  }
  for (size_t at = html.find("href="); at != std::string::npos; at = html.find("href=", at + 1)) {
    std::string link = html.substr(at, 48);
    CAPTURE(link);
    CHECK(link.rfind("href=\"https://attack.mitre.org/techniques/T", 0) == 0);
  }
  Rendered page = Chromium({"--dump-dom", "file://" + html_path});
  CHECK_MESSAGE(page.console.empty(), page.console);  // no error, nothing blocked
  const std::string& dom = page.out;
  CHECK(dom.find("<title>tidemark report: all incidents</title>") != std::string::npos);
  CHECK(dom.find("<svg") != std::string::npos);
  CHECK(dom.find("<path d=\"M") != std::string::npos);  // the resilience line
  CHECK(dom.find("id=\"recommendations\"") != std::string::npos);
  CHECK(dom.find("EDR-ASR") != std::string::npos);
  CHECK(dom.find("14.6") != std::string::npos);  // resilience of all at 2026-03-15 (with evidence)
  CheckReadsForAnalysts(html);
  std::string png = dir + "/report.png";
  CHECK(Chromium({"--screenshot=" + png, "--window-size=1200,1700", "file://" + html_path}).console.empty());
  REQUIRE(std::filesystem::exists(png));
  CHECK(std::filesystem::file_size(png) > 20000);
  if (const char* keep = std::getenv("TIDEMARK_REPORT_SCREENSHOT")) std::filesystem::copy_file(png, keep, std::filesystem::copy_options::overwrite_existing);
}


TEST_CASE("the report shows vulnerability exposure beside resilience with the ranked patches and their KEV facts") {
  // The Spring4Shell setup of vulnerabilities_command_test: U = the two scanned images, the
  // Spring image open for T1190 and T1059, the scope's two techniques (weight 2 each):
  // VE = 100 · (2·0.5 + 2·0.5) / 4 = 50, and patching spring-beans lowers it by all 50.
  std::string store = Spring4ShellStore();
  std::string html_path = TempDir("report") + "/report.html";
  auto before = RunTidemark({"--store", store, "--as-of", "2026-01-01", "report", "--scope", "all", "--out", html_path});
  REQUIRE_MESSAGE(before.exit_code == 0, before.err);
  std::string empty = ReadText(html_path);
  CHECK(empty.find("<h2>Vulnerability exposure</h2>\n<div class=\"empty\" id=\"no-findings\"><b>No vulnerability "
                   "findings.</b>") != std::string::npos);
  CHECK(empty.find("tidemark import vulnerabilities FILE") != std::string::npos);
  CHECK(empty.find("id=\"patches\"") == std::string::npos);
  CHECK(empty.find("<div class=\"l\">vulnerability exposure</div>") == std::string::npos);  // not known: no card

  auto findings = RunTidemark({"--store", store, "-q", "import", "vulnerabilities",
                               DataPath("vulnerabilities/trivy-spring4shell-jre11.json"),
                               DataPath("vulnerabilities/trivy-alpine-310.json")});
  REQUIRE_MESSAGE(findings.exit_code == 0, findings.err);
  auto result = RunTidemark({"--store", store, "--as-of", "2026-01-01", "report", "--scope", "all", "--out", html_path});
  REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  std::string html = ReadText(html_path);
  // VE beside R in the cards, never folded into it: resilience stays what it was.
  CHECK(html.find("<div class=\"card\"><div class=\"v\">50.0</div><div class=\"l\">vulnerability exposure</div></div>") !=
        std::string::npos);
  CHECK(empty.find("<div class=\"v\">0.0</div><div class=\"l\">resilience</div>") != std::string::npos);
  CHECK(html.find("<div class=\"v\">0.0</div><div class=\"l\">resilience</div>") != std::string::npos);
  CHECK(html.find("5 findings open of 5 recorded; 2 assets in all (inventory and scanned).") != std::string::npos);
  CHECK(html.find("<tr><td>1</td><td><b>jar/org.springframework:spring-beans</b></td><td class=\"num\">50.00</td>"
                  "<td class=\"num\">1</td><td>CVE-2022-22965</td><td>yes</td><td>no</td><td class=\"nw\">2022-04-25</td>"
                  "<td>software</td><td><span class=\"nw\"><a href=\"https://attack.mitre.org/techniques/T1059/\">T1059</a>"
                  "</span> Command and Scripting Interpreter<br><span class=\"nw\"><a href=\"https://attack.mitre.org/"
                  "techniques/T1190/\">T1190</a></span> Exploit Public-Facing Application</td></tr>") != std::string::npos);
  CHECK(html.find("No vulnerability findings.") == std::string::npos);
  // The same numbers as `tidemark vulnerabilities` (one computation).
  auto json = Json(RunTidemark({"--store", store, "--json", "--as-of", "2026-01-01", "vulnerabilities"}).out);
  CHECK(json["vulnerability_exposure"].GetDouble() == 50);
  CHECK(json["patches"].Size() == 1);
  // A threat's report names the CVEs ATT&CK says it exploited, with the assets each is open on.
  auto threat = RunTidemark({"--store", store, "--as-of", "2026-01-01", "report", "--scope", "G0016", "--out", html_path});
  REQUIRE_MESSAGE(threat.exit_code == 0, threat.err);
  std::string threat_html = ReadText(html_path);
  CHECK(threat_html.find("<p id=\"known-cves\">CVEs this threat is known to exploit: ") != std::string::npos);
  CHECK(threat_html.find("CVE-2019-19781 (open on 0 assets)") != std::string::npos);
}

TEST_CASE("the console check sees what a page that fetches or scripts would log") {
  // The check above is only worth something if a bad page fails it: an image from the
  // network and an inline script, both blocked by the report's Content-Security-Policy.
  std::string path = TempDir("bad-page") + "/bad.html";
  WriteText(path, "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                  "style-src 'unsafe-inline'; img-src data:\"></head><body><img src=\"http://example.invalid/x.png\">"
                  "<script>document.title = 'ran'</script></body></html>");
  Rendered page = Chromium({"--dump-dom", "file://" + path});
  CHECK(page.console.find("example.invalid") != std::string::npos);
  CHECK(page.console.find("script") != std::string::npos);
  CHECK(page.out.find("<title>ran</title>") == std::string::npos);
}

}  // namespace tidemark::testing
