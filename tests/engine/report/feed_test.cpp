// Feed events: the event JSON of each kind byte for byte (owner, reason, scope names), items as
// stored and read back (also a version-1 state), reasons, and how ticket text names a scope.
#include "engine/report/feed.h"

#include <doctest/doctest.h>

#include "engine/store/feed_catalog.h"

namespace tidemark::report {
namespace {

FeedItem Item() {
  FeedItem item;
  item.scope = {"incident", "INC-1042", ""};
  item.control_id = "EDR-ASR";
  item.control_title = "Attack surface reduction rules";
  item.key = store::FeedCatalog::ItemKey("incident", "INC-1042", "EDR-ASR");
  item.impact = 12.5;
  item.techniques = {"T1059.001", "T1566.001"};
  item.paths = {{"T1059.001", "mitigation:M1038"}, {"T1566.001", "direct"}};
  item.status = "to-address";
  return item;
}

const TimeMs kTime = *ParseIsoTime("2026-03-05T16:41:00Z");

}  // namespace

TEST_CASE("an opened event carries SPEC's fields in a fixed order, and the owner only when the control has one") {
  FeedItem item = Item();
  CHECK(EventJson(17, kEventOpened, kTime, item) ==
        R"({"schema":"tidemark.feed/1","seq":17,"event":"recommendation.opened","time":"2026-03-05T16:41:00Z",)"
        R"("key":"d67fef79b4c361a9","scope":{"kind":"incident","id":"INC-1042"},)"
        R"("control":{"id":"EDR-ASR","title":"Attack surface reduction rules"},"impact":12.5,)"
        R"("techniques":["T1059.001","T1566.001"],"paths":[{"technique":"T1059.001","via":"mitigation:M1038"},)"
        R"({"technique":"T1566.001","via":"direct"}],"status":"to-address"})");
  item.owner = "Endpoint Team";
  CHECK(EventJson(17, kEventOpened, kTime, item).find(R"("title":"Attack surface reduction rules"},"owner":"Endpoint Team","impact":12.5)") !=
        std::string::npos);
}

TEST_CASE("an event built without its seq (head, seq, tail), from the item or a view of it, is EventJson's bytes") {
  FeedItem item = Item();
  item.owner = "Endpoint Team";
  FeedItemView view(item.scope);
  view.key = item.key;
  view.control_id = item.control_id;
  view.control_title = item.control_title;
  view.owner = item.owner;
  view.impact = item.impact;
  view.techniques = {"T1059.001", "T1566.001"};
  view.paths = {{"T1059.001", "mitigation:M1038"}, {"T1566.001", "direct"}};
  view.status = item.status;
  for (std::string_view event : {kEventOpened, kEventUpdated}) {
    std::string from_item(EventSeqHead());
    from_item += "1234567";
    AppendItemEventTail(event, kTime, item, from_item);
    std::string from_view(EventSeqHead());
    from_view += "1234567";
    AppendItemEventTail(event, kTime, view, from_view);
    CHECK(from_item == EventJson(1234567, event, kTime, item));
    CHECK(from_view == from_item);
  }
  CHECK(EventSeqHead() == R"({"schema":"tidemark.feed/1","seq":)");
}

TEST_CASE("a resolved event says why; a threat scope carries its name") {
  FeedItem item = Item();
  item.scope = {"group", "G0016", "APT29"};
  item.key = store::FeedCatalog::ItemKey("group", "G0016", "EDR-ASR");
  item.status = "completed";
  item.reason = ResolveReason::kImplemented;
  std::string json = EventJson(18, kEventResolved, kTime, item);
  CHECK(json.find(R"("scope":{"kind":"group","id":"G0016","name":"APT29"})") != std::string::npos);
  CHECK(json.size() > 20);
  CHECK(json.substr(json.size() - 44) == R"("status":"completed","reason":"implemented"})");
}

TEST_CASE("scope.resilience_dropped carries the scope key, both resiliences and the drop") {
  ResilienceDrop drop{store::FeedCatalog::ScopeKey("group", "G0016"), {"group", "G0016", "APT29"}, 52.1, 48.0};
  CHECK(EventJson(19, kTime, drop) ==
        R"({"schema":"tidemark.feed/1","seq":19,"event":"scope.resilience_dropped","time":"2026-03-05T16:41:00Z",)"
        R"("key":")" + drop.key + R"(","scope":{"kind":"group","id":"G0016","name":"APT29"},)"
        R"("previous":52.1,"resilience":48.0,"drop":4.1})");
  auto parsed = ParseEvent(EventJson(19, kTime, drop));
  REQUIRE(parsed.ok());
  REQUIRE(parsed->drop.has_value());
  CHECK_FALSE(parsed->item.has_value());
  CHECK(parsed->drop->scope.name == "APT29");
  CHECK(parsed->drop->previous == 52.1);
}

TEST_CASE("an item round-trips through its event JSON; a version-1 state with \"open\" reads too") {
  FeedItem item = Item();
  item.owner = "SecOps";
  item.reason = ResolveReason::kOutranked;
  auto back = ParseItem(EventJson(7, kEventResolved, kTime, item));
  REQUIRE(back.has_value());
  CHECK(back->key == item.key);
  CHECK(back->scope.kind == "incident");
  CHECK(back->owner == "SecOps");
  CHECK(back->techniques == item.techniques);
  CHECK(back->paths == item.paths);
  CHECK(back->reason == ResolveReason::kOutranked);
  auto v1 = ParseItem(R"({"open":true,"key":"k","scope":{"kind":"all","id":"all"},"control":{"id":"C","title":"T"},)"
                      R"("impact":3.5,"techniques":["T1"],"paths":[],"status":"planned"})");
  REQUIRE(v1.has_value());
  CHECK(v1->impact == 3.5);
  CHECK(v1->owner.empty());
  CHECK_FALSE(v1->reason.has_value());
  CHECK_FALSE(ParseItem("not json").has_value());
  CHECK_FALSE(ParseEvent(R"({"schema":"other"})").ok());
}

TEST_CASE("every reason has a name that parses back and a sentence") {
  for (ResolveReason reason : {ResolveReason::kImplemented, ResolveReason::kCoveredByOthers, ResolveReason::kReclassified,
                               ResolveReason::kScopeGone, ResolveReason::kRiskAccepted, ResolveReason::kOutranked}) {
    CAPTURE(ResolveReasonName(reason));
    CHECK(ParseResolveReason(ResolveReasonName(reason)) == reason);
    CHECK_FALSE(ResolveReasonText(reason).empty());
    CHECK(std::string(ResolveReasonText(reason)).find("raises the resilience") == std::string::npos);
  }
  CHECK(ResolveReasonName(ResolveReason::kCoveredByOthers) == "covered-by-others");
  CHECK(ResolveReasonName(ResolveReason::kRiskAccepted) == "risk-accepted");
  CHECK_FALSE(ParseResolveReason("fixed").has_value());
}

TEST_CASE("ticket text names a threat by name then ID and `all` as the whole organisation") {
  struct Case {
    FeedScope scope;
    const char* phrase;
  };
  for (const auto& c : {Case{{"group", "G0016", "APT29"}, "APT29 (G0016)"}, Case{{"group", "G0016", ""}, "group G0016"},
                        Case{{"campaign", "C0024", "SolarWinds Compromise"}, "SolarWinds Compromise (C0024)"},
                        Case{{"custom", "Crew", ""}, "custom threat Crew"}, Case{{"incident", "INC-1", ""}, "incident INC-1"},
                        Case{{"all", "all", ""}, "the whole organisation"}}) {
    CHECK(ScopePhrase(c.scope) == c.phrase);
  }
}

}  // namespace tidemark::report
