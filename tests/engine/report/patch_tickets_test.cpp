// Ticket bodies of patch.* events (engine/report/tickets.cpp): Jira and ServiceNow bodies byte
// for byte, priorities (from the fall of VE, at least Medium for a KEV CVE), resolved bodies
// that say why with their close codes and never what fixing would lower. The items are those of
// patch_run_test.cpp (the whole organisation: log4j 22.2222 on 2 assets, windows 11.1111).
#include <doctest/doctest.h>

#include <string>

#include "engine/report/tickets.h"
#include "engine/store/feed_catalog.h"

namespace tidemark::report {
namespace {

PatchItem Log4j() {
  PatchItem patch;
  patch.scope = {"all", "all", ""};
  patch.software = "apache/log4j";
  patch.key = store::FeedCatalog::PatchKey("all", "all", patch.software);
  patch.impact = 22.2222;
  patch.cves = {"CVE-2021-0001"};
  patch.assets = 2;
  patch.techniques = {"T1100"};
  patch.remediation_type = "software";
  patch.kev = true;
  patch.ransomware = true;
  patch.due_date = "2021-12-24";
  return patch;
}

PatchItem Windows(std::optional<PatchResolveReason> reason = std::nullopt) {
  PatchItem patch;
  patch.scope = {"group", "G9000", "Kestrel"};
  patch.software = "microsoft/windows";
  patch.key = store::FeedCatalog::PatchKey("group", "G9000", patch.software);
  patch.impact = 5.5556;
  patch.cves = {"CVE-2021-0002"};
  patch.assets = 1;
  patch.techniques = {"T1300"};
  patch.remediation_type = "software";
  patch.reason = reason;
  return patch;
}

std::string Jira(std::string_view event, const PatchItem& patch) {
  auto body = JiraBody(EventJson(4, event, 0, patch), TicketOptions{});
  REQUIRE(body.ok());
  return *body;
}

std::string Snow(std::string_view event, const PatchItem& patch) {
  auto body = ServiceNowBody(EventJson(4, event, 0, patch));
  REQUIRE(body.ok());
  return *body;
}

TEST_CASE("a patch.opened Jira body names the software, the fall of VE, KEV facts, CVEs and techniques") {
  CHECK(Jira(kEventPatchOpened, Log4j()) ==
        R"~({"fields":{"project":{"key":"SEC"},"summary":"[tidemark] Patch: apache/log4j for the whole organisation",)~"
        R"~("issuetype":{"name":"Task"},"priority":{"name":"High"},)~"
        R"~("labels":["tidemark","tidemark-735c2639b941892a","tidemark-patch","tidemark-open"],)~"
        R"~("description":{"type":"doc","version":1,"content":[)~"
        R"~({"type":"paragraph","content":[{"type":"text","text":"tidemark patch.opened: patch apache/log4j (software update), open on 2 assets. )~"
        R"~(Fixing its findings lowers the vulnerability exposure of the whole organisation by 22.22 points. )~"
        R"~(In the CISA KEV catalog, known ransomware use, due 2021-12-24."}]},)~"
        R"~({"type":"paragraph","content":[{"type":"text","text":"CVEs:"}]},)~"
        R"~({"type":"bulletList","content":[{"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"CVE-2021-0001"}]}]}]},)~"
        R"~({"type":"paragraph","content":[{"type":"text","text":"Techniques its CVEs give attackers:"}]},)~"
        R"~({"type":"bulletList","content":[{"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"T1100"}]}]}]},)~"
        R"~({"type":"paragraph","content":[{"type":"text","text":"tidemark key 735c2639b941892a (label tidemark-735c2639b941892a)"}]}]}}})~");
}

TEST_CASE("a patch.updated ServiceNow body carries the new figures and a priority from the fall of VE") {
  CHECK(Snow(kEventPatchUpdated, Windows()) ==
        R"~({"correlation_id":"c4793cb69edbf498","correlation_display":"tidemark",)~"
        R"~("short_description":"[tidemark] Update patch: microsoft/windows for Kestrel (G9000)",)~"
        R"~("description":"tidemark patch.updated: patch microsoft/windows (software update), open on 1 asset. )~"
        R"~(Fixing its findings lowers the vulnerability exposure of Kestrel (G9000) by 5.56 points.\nCVEs:\n- CVE-2021-0002\n)~"
        R"~(Techniques its CVEs give attackers:\n- T1300\n",)~"
        R"~("work_notes":"tidemark patch.updated (CVEs: CVE-2021-0002)","urgency":"2","impact":"2"})~");
}

TEST_CASE("a KEV patch with a small fall of VE is at least Medium; without KEV it is Low") {
  PatchItem kev = Log4j();
  kev.impact = 1.5;
  CHECK(Jira(kEventPatchOpened, kev).find(R"~("priority":{"name":"Medium"})~") != std::string::npos);
  PatchItem plain = Windows();
  plain.impact = 1.5;
  CHECK(Jira(kEventPatchOpened, plain).find(R"~("priority":{"name":"Low"})~") != std::string::npos);
}

TEST_CASE("a patched ServiceNow body closes the ticket with Solution provided and says why") {
  CHECK(Snow(kEventPatchResolved, Windows(PatchResolveReason::kPatched)) ==
        R"~({"correlation_id":"c4793cb69edbf498","correlation_display":"tidemark",)~"
        R"~("short_description":"[tidemark] Resolved (patched): patch microsoft/windows for Kestrel (G9000)",)~"
        R"~("description":"tidemark patch.resolved (patched): patch microsoft/windows no longer needs action for Kestrel (G9000): )~"
        R"~(no finding of this software is open any more.\nCVEs:\n- CVE-2021-0002\nIt had been listed for these techniques:\n- T1300\n",)~"
        R"~("work_notes":"tidemark patch.resolved, reason patched (CVEs: CVE-2021-0002)","urgency":"3","impact":"3","state":"6",)~"
        R"~("close_code":"Solution provided",)~"
        R"~("close_notes":"tidemark patch.resolved (patched): patch microsoft/windows no longer needs action for Kestrel (G9000): )~"
        R"~(no finding of this software is open any more."})~");
}

TEST_CASE("resolved patch bodies never say what fixing would lower, for every reason") {
  struct Case {
    PatchResolveReason reason;
    const char* close_code;
    const char* label;
  };
  for (const Case& c : {Case{PatchResolveReason::kPatched, "Solution provided", "tidemark-reason-patched"},
                        Case{PatchResolveReason::kNoImpact, "Workaround provided", "tidemark-reason-no-impact"},
                        Case{PatchResolveReason::kScopeGone, "No resolution provided", "tidemark-reason-scope-gone"}}) {
    std::string snow = Snow(kEventPatchResolved, Windows(c.reason));
    std::string jira = Jira(kEventPatchResolved, Windows(c.reason));
    std::string name(PatchResolveReasonName(c.reason));
    CAPTURE(name);
    CHECK(snow.find(std::string(R"~("close_code":")~") + c.close_code + "\"") != std::string::npos);
    CHECK(snow.find("lowers") == std::string::npos);
    CHECK(jira.find("lowers") == std::string::npos);
    CHECK(jira.find(c.label) != std::string::npos);
    CHECK(jira.find(R"~("priority":{"name":"Low"})~") != std::string::npos);
    CHECK(jira.find(std::string(PatchResolveReasonText(c.reason))) != std::string::npos);
  }
}

}  // namespace
}  // namespace tidemark::report
