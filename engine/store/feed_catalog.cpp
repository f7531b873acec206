#include "engine/store/feed_catalog.h"

#include "engine/store/key_codec.h"

namespace tidemark::store {

uint64_t FeedCatalog::LastSeq(const ReadTxn& txn) {
  auto last = txn.Last(Db::kFeed);
  return last ? static_cast<uint64_t>(DecodeInt64(last->first)) : 0;
}

void FeedCatalog::Append(WriteTxn& txn, uint64_t seq, std::string_view event_json) {
  txn.Put(Db::kFeed, EncodeInt64(static_cast<int64_t>(seq)), event_json);
}

void FeedCatalog::ForEachFrom(const ReadTxn& txn, uint64_t from,
                              const std::function<bool(uint64_t, std::string_view)>& fn) {
  txn.ForEachFrom(Db::kFeed, EncodeInt64(static_cast<int64_t>(from)), [&](std::string_view key, std::string_view value) {
    return fn(static_cast<uint64_t>(DecodeInt64(key)), value);
  });
}

std::optional<std::string> FeedCatalog::State(const ReadTxn& txn, std::string_view key) {
  auto value = txn.Get(Db::kFeedState, key);
  if (!value) return std::nullopt;
  return std::string(*value);
}

void FeedCatalog::PutState(WriteTxn& txn, std::string_view key, std::string_view state_json) {
  txn.Put(Db::kFeedState, key, state_json);
}

void FeedCatalog::ForEachState(const ReadTxn& txn, const std::function<void(std::string_view, std::string_view)>& fn) {
  txn.ForEach(Db::kFeedState, "", [&](std::string_view key, std::string_view value) {
    fn(key, value);
    return true;
  });
}

uint64_t FeedCatalog::Cursor(const ReadTxn& txn, std::string_view consumer) {
  auto value = txn.Get(Db::kCursors, consumer);
  return value && value->size() == 8 ? static_cast<uint64_t>(DecodeInt64(*value)) : 0;
}

void FeedCatalog::SetCursor(WriteTxn& txn, std::string_view consumer, uint64_t seq) {
  txn.Put(Db::kCursors, consumer, EncodeInt64(static_cast<int64_t>(seq)));
}

}  // namespace tidemark::store
