// FeedCatalog: the append-only event log, states per key, consumer cursors.
#include "engine/store/feed_catalog.h"

#include <doctest/doctest.h>

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
                     FeedCatalog::PutState(txn, "k2", "state two");
                     FeedCatalog::PutState(txn, "k1", "state one");
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
  CHECK(FeedCatalog::State(txn, "k1") == std::optional<std::string>("state one"));
  CHECK_FALSE(FeedCatalog::State(txn, "k3").has_value());
  std::vector<std::string> keys;
  FeedCatalog::ForEachState(txn, [&](std::string_view key, std::string_view) { keys.emplace_back(key); });
  CHECK(keys == std::vector<std::string>{"k1", "k2"});
}

}  // namespace tidemark::store
