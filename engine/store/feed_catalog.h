// The feed: an append-only log of recommendation events (`feed`, be64(seq) -> event JSON),
// the last published state per key (`feed_state`), and consumer cursors (`cursors`).
// seq starts at 1 and only grows. Stateless; the transactions decide consistency.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "engine/store/store.h"

namespace tidemark::store {

class FeedCatalog {
 public:
  // The highest seq appended so far (0 when the feed is empty).
  static uint64_t LastSeq(const ReadTxn& txn);
  // Stores `event_json` (which must already carry "seq": seq) under seq.
  static void Append(WriteTxn& txn, uint64_t seq, std::string_view event_json);
  // Events with seq >= from, in order, until fn returns false.
  static void ForEachFrom(const ReadTxn& txn, uint64_t from,
                          const std::function<bool(uint64_t, std::string_view)>& fn);

  static std::optional<std::string> State(const ReadTxn& txn, std::string_view key);
  static void PutState(WriteTxn& txn, std::string_view key, std::string_view state_json);
  // Every key and state, in key order.
  static void ForEachState(const ReadTxn& txn, const std::function<void(std::string_view, std::string_view)>& fn);

  // A consumer's cursor: the last seq it has been given (0 = none yet).
  static uint64_t Cursor(const ReadTxn& txn, std::string_view consumer);
  static void SetCursor(WriteTxn& txn, std::string_view consumer, uint64_t seq);
};

}  // namespace tidemark::store
