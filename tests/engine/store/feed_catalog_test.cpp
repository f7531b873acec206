// FeedCatalog: the append-only event log, the public keys, item states and scope resilience in
// feed_state (and that a version-1 state reads back), consumer cursors.
#include "engine/store/feed_catalog.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "tests/test_support.h"

namespace tidemark::store {

TEST_CASE("feed: seq starts at 1, events read back in seq order from any seq, cursors per consumer") {
  auto store = Store::Open(testing::TempDir("feed"));
  REQUIRE(store.ok());
  CHECK(FeedCatalog::LastSeq((*store)->Read()) == 0);
  CHECK(FeedCatalog::Cursor((*store)->Read(), "jira") == 0);
  REQUIRE((*store)->Write([](WriteTxn& txn) {
                     // 300 events: seq 256 must sort after 255 (big-endian keys).
                     for (uint64_t seq = FeedCatalog::LastSeq(txn) + 1; seq <= 300; ++seq) {
                       FeedCatalog::Append(txn, seq, "{\"seq\":" + std::to_string(seq) + "}");
                     }
                     FeedCatalog::SetCursor(txn, "jira", 255);
                     return Status::Ok();
                   }).ok());
  ReadTxn txn = (*store)->Read();
  CHECK(FeedCatalog::LastSeq(txn) == 300);
  std::vector<uint64_t> seen;
  FeedCatalog::ForEachFrom(txn, 250, [&](uint64_t seq, std::string_view event) {
    CHECK(event == "{\"seq\":" + std::to_string(seq) + "}");
    seen.push_back(seq);
    return seq < 260;  // stop after 260
  });
  CHECK(seen == std::vector<uint64_t>{250, 251, 252, 253, 254, 255, 256, 257, 258, 259, 260});
  CHECK(FeedCatalog::Cursor(txn, "jira") == 255);
  CHECK(FeedCatalog::Cursor(txn, "servicenow") == 0);
}

TEST_CASE("an event appended in parts reads back whole, also one too large for a page and one under an older seq") {
  auto store = Store::Open(testing::TempDir("feed_parts"));
  REQUIRE(store.ok());
  std::string large(10000, 'x');  // past LMDB's node size: an overflow page
  REQUIRE((*store)->Write([&](WriteTxn& txn) {
                     FeedCatalog::Append(txn, 2, {"{\"seq\":", "2", ",\"event\":\"a\"}"});
                     FeedCatalog::Append(txn, 3, {"{\"seq\":3,\"x\":\"", large, "\"}"});
                     FeedCatalog::Append(txn, 1, {"{\"seq\":", "1", "}"});  // not beyond the last: a put
                     FeedCatalog::Append(txn, 4, {"{\"seq\":4}"});
                     return Status::Ok();
                   }).ok());
  std::vector<std::string> events;
  FeedCatalog::ForEachFrom((*store)->Read(), 1, [&](uint64_t, std::string_view event) {
    events.emplace_back(event);
    return true;
  });
  CHECK(events == std::vector<std::string>{"{\"seq\":1}", "{\"seq\":2,\"event\":\"a\"}",
                                           "{\"seq\":3,\"x\":\"" + large + "\"}", "{\"seq\":4}"});
}

TEST_CASE("the item key depends only on scope and control, is 16 hex digits, and scope and control keys differ from it") {
  std::string key = FeedCatalog::ItemKey("incident", "INC-1042", "EDR-ASR");
  CHECK(key.size() == 16);
  CHECK(key.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(key == FeedCatalog::ItemKey("incident", "INC-1042", "EDR-ASR"));
  CHECK(key == "d67fef79b4c361a9");  // pinned: ticketing systems upsert on it across versions
  std::set<std::string> keys = {key, FeedCatalog::ItemKey("group", "INC-1042", "EDR-ASR"),
                                FeedCatalog::ItemKey("incident", "INC-1043", "EDR-ASR"),
                                FeedCatalog::ItemKey("incident", "INC-1042", "EDR-AS"),
                                // the separator keeps "ab"+"c" apart from "a"+"bc"
                                FeedCatalog::ItemKey("incident", "INC-1042E", "DR-ASR"),
                                FeedCatalog::ScopeKey("incident", "INC-1042"), FeedCatalog::ControlKey("EDR-ASR")};
  CHECK(keys.size() == 7);
}

TEST_CASE("item states round-trip naming the event that published them, scope resilience entries are not items") {
  auto store = Store::Open(testing::TempDir("feed"));
  REQUIRE(store.ok());
  std::string k1 = FeedCatalog::ItemKey("all", "all", "C-1"), k2 = FeedCatalog::ItemKey("all", "all", "C-2");
  REQUIRE((*store)->Write([&](WriteTxn& txn) {
                     FeedCatalog::Append(txn, 41, "{\"seq\":41}");
                     FeedCatalog::Append(txn, 42, "{\"seq\":42,\"key\":\"k1\"}");
                     FeedCatalog::PutItem(txn, k1, true, "12.5000|T1,", 42);
                     FeedCatalog::PutItem(txn, k2, false, "0.0000|", 41);
                     FeedCatalog::PutScopeResilience(txn, "group", "G0016", 52.1234);
                     FeedCatalog::PutScopeResilience(txn, "incident", "I-1", std::nullopt);
                     return Status::Ok();
                   }).ok());
  ReadTxn txn = (*store)->Read();
  auto state = FeedCatalog::Item(txn, k1);
  REQUIRE(state.has_value());
  CHECK(state->open);
  CHECK(state->fingerprint == "12.5000|T1,");
  CHECK(state->seq == 42);
  CHECK(FeedCatalog::Published(txn, *state) == "{\"seq\":42,\"key\":\"k1\"}");
  CHECK_FALSE(FeedCatalog::Item(txn, FeedCatalog::ItemKey("all", "all", "C-3")).has_value());
  std::vector<std::pair<std::string, bool>> items;
  FeedCatalog::ForEachItem(txn, [&](std::string_view key, const FeedCatalog::ItemState& s) { items.emplace_back(key, s.open); });
  std::vector<std::pair<std::string, bool>> expected = {{k1, true}, {k2, false}};
  std::sort(expected.begin(), expected.end());
  CHECK(items == expected);
  CHECK(FeedCatalog::ScopeResilience(txn, "group", "G0016") == std::optional<std::optional<double>>(52.1234));
  auto none = FeedCatalog::ScopeResilience(txn, "incident", "I-1");
  REQUIRE(none.has_value());
  CHECK_FALSE(none->has_value());
  CHECK_FALSE(FeedCatalog::ScopeResilience(txn, "incident", "I-2").has_value());
}

TEST_CASE("held states (StateWrites) are written as if put in turn: every key once, the later of two equal keys wins") {
  // Two stores, the same entries: put one by one into the first, held and written into the
  // second. Item keys with leading zeros, a fingerprint past the 1 MiB arena block (a
  // three-byte size), a scope id past 127 bytes (a two-byte size), and a key held twice.
  auto direct = Store::Open(testing::TempDir("feed-direct"));
  auto held = Store::Open(testing::TempDir("feed-held"));
  REQUIRE(direct.ok());
  REQUIRE(held.ok());
  std::string long_fingerprint = "7.5000|" + std::string(size_t{1} << 21, 'T') + ",";
  std::string long_id(300, 'I');
  std::vector<std::string> keys = {"0000250bc364ccf2", "ffffffffffffffff", FeedCatalog::ItemKey("all", "all", "C-1"),
                                   "0000000000000000"};
  auto entries = [&](auto&& put_item, auto&& put_scope) {
    put_item(keys[0], true, "50.0000|T1021.002,", 3);
    put_item(keys[1], false, long_fingerprint, 1);
    put_scope("incident", long_id, std::optional<double>(61.25));
    put_item(keys[2], true, "1.0000|T1,", 2);
    put_scope("group", "G0016", std::nullopt);
    put_item(keys[3], true, "", 4);
    put_item(keys[0], false, "50.0000|T1021.002,", 5);  // the later state of keys[0]
    put_scope("group", "G0016", std::optional<double>(3.5));
  };
  REQUIRE((*direct)->Write([&](WriteTxn& txn) {
                      entries([&](std::string_view key, bool open, std::string_view fp,
                                  uint64_t seq) { FeedCatalog::PutItem(txn, key, open, fp, seq); },
                              [&](std::string_view kind, std::string_view id, std::optional<double> r) {
                                FeedCatalog::PutScopeResilience(txn, kind, id, r);
                              });
                      return Status::Ok();
                    }).ok());
  REQUIRE((*held)->Write([&](WriteTxn& txn) {
                    FeedCatalog::StateWrites writes;
                    entries([&](std::string_view key, bool open, std::string_view fp,
                                uint64_t seq) { writes.PutItem(key, open, fp, seq); },
                            [&](std::string_view kind, std::string_view id, std::optional<double> r) {
                              writes.PutScopeResilience(kind, id, r);
                            });
                    writes.Write(txn);
                    return Status::Ok();
                  }).ok());
  auto dump = [](const Store& store) {
    std::vector<std::pair<std::string, std::string>> out;
    store.Read().ForEach(Db::kFeedState, "", [&](std::string_view key, std::string_view value) {
      out.emplace_back(key, value);
      return true;
    });
    return out;
  };
  auto written = dump(**held);
  CHECK(written == dump(**direct));
  REQUIRE(written.size() == 6);
  CHECK(written[0] == std::pair<std::string, std::string>{"0000000000000000", "O|\n#4"});
  CHECK(written[1] == std::pair<std::string, std::string>{"0000250bc364ccf2", "C|50.0000|T1021.002,\n#5"});
  CHECK(written[5].second == "61.25");
  ReadTxn txn = (*held)->Read();
  CHECK(FeedCatalog::Item(txn, keys[1])->fingerprint == long_fingerprint);
  CHECK(FeedCatalog::ScopeResilience(txn, "group", "G0016") == std::optional<std::optional<double>>(3.5));
}

TEST_CASE("a version-1 feed_state value (open flag, fingerprint, item JSON with \"open\") reads as an item state") {
  auto store = Store::Open(testing::TempDir("feed"));
  REQUIRE(store.ok());
  std::string key = FeedCatalog::ItemKey("incident", "INC-1", "EDR-ASR");
  REQUIRE((*store)->Write([&](WriteTxn& txn) {
                     txn.Put(Db::kFeedState, key, "O|12.5000|T1059.001,\n{\"open\":true,\"key\":\"" + key + "\"}");
                     return Status::Ok();
                   }).ok());
  ReadTxn txn = (*store)->Read();
  auto state = FeedCatalog::Item(txn, key);
  REQUIRE(state.has_value());
  CHECK(state->open);
  CHECK(state->fingerprint == "12.5000|T1059.001,");
  CHECK(state->seq == 0);
  CHECK(FeedCatalog::Published(txn, *state) == "{\"open\":true,\"key\":\"" + key + "\"}");
}

}  // namespace tidemark::store

namespace tidemark::store {

TEST_CASE("patch states round-trip apart from item states: ForEachItem never sees them, ForEachPatch only them") {
  auto store = Store::Open(testing::TempDir("feed_patch"));
  REQUIRE(store.ok());
  std::string patch_key = FeedCatalog::PatchKey("all", "all", "apache/log4j");
  std::string item_key = FeedCatalog::ItemKey("all", "all", "EDR-ASR");
  REQUIRE((*store)->Write([&](WriteTxn& txn) {
                     FeedCatalog::Append(txn, 1, "{\"software\":\"apache/log4j\"}");
                     FeedCatalog::Append(txn, 2, "{\"control\":{\"id\":\"EDR-ASR\"}}");
                     FeedCatalog::PutPatch(txn, patch_key, true, "22.2222|2", 1);
                     FeedCatalog::PutItem(txn, item_key, true, "4.0000|T1059,", 2);
                     return Status::Ok();
                   }).ok());
  ReadTxn txn = (*store)->Read();
  auto patch = FeedCatalog::Patch(txn, patch_key);
  REQUIRE(patch);
  CHECK(patch->open);
  CHECK(patch->fingerprint == "22.2222|2");
  CHECK(FeedCatalog::Published(txn, *patch) == "{\"software\":\"apache/log4j\"}");
  CHECK_FALSE(FeedCatalog::Item(txn, patch_key));
  CHECK_FALSE(FeedCatalog::Patch(txn, item_key));
  std::vector<std::string> items, patches;
  FeedCatalog::ForEachItem(txn, [&](std::string_view key, const FeedCatalog::ItemState&) { items.emplace_back(key); });
  FeedCatalog::ForEachPatch(txn, [&](std::string_view key, const FeedCatalog::ItemState&) { patches.emplace_back(key); });
  CHECK(items == std::vector<std::string>{item_key});
  CHECK(patches == std::vector<std::string>{patch_key});
}

}  // namespace tidemark::store
