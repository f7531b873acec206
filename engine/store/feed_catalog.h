// The feed: an append-only log of events (`feed`, be64(seq) -> event JSON), what the feed last
// published per (scope, control) item and the resilience each scope had at the last run that
// evaluated it (`feed_state`), and consumer cursors (`cursors`). seq starts at 1 and only grows;
// events are never deleted.
//
// The only code that knows the keys and the encodings of these databases: the public feed key
// (FNV-1a 64 in hex, SPEC §4 "key"), the `feed_state` layout below, the cursor encoding.
// Callers deal in ItemState and doubles, never in stored strings.
//
// feed_state holds three kinds of entries (key_codec.h lists the databases):
//  - item key (16 lower-case hex digits) -> "O|" or "C|" (open / closed), the fingerprint, "\n",
//    then where the item as last published is: "#" and the decimal seq of the event that
//    published it (layout 2: the event carries every field of the item, so the state stays a
//    few dozen bytes and a run writes each item's body once), or the item JSON itself (layout
//    1, written by version-1 stores and by schema 3; still read);
//  - "scope" \0 kind \0 scope-id -> the resilience at the last run that evaluated the scope,
//    as decimal text, or "null" when it had none. Hex keys never contain NUL, so the two never
//    meet, and "scope\0" sorts after every hex key;
//  - "patch" \0 patch key -> a (scope, software) patch item's state, the same layout as an
//    item's (schema 2; ForEachItem never sees them, ForEachPatch only them).
// Stateless; the transactions decide consistency. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/arena.h"
#include "engine/store/store.h"

namespace tidemark::store {

class FeedCatalog {
 public:
  // An item's last published state. The views point into the transaction's pages: valid until
  // the transaction ends or writes that key.
  struct ItemState {
    bool open = false;
    std::string_view fingerprint;  // what "changed" means to the writer; opaque here
    uint64_t seq = 0;              // the event that published the state (layout 2), else 0
    std::string_view item_json;    // layout 1 only: the item JSON as last published
  };
  // The item as last published, as a JSON object with the item's fields (and, for layout 2,
  // the event's own: schema, seq, event, time): the event at state.seq, or layout 1's item
  // JSON. Valid like the state's views. Throws StoreFailure when that event is missing.
  static std::string_view Published(const ReadTxn& txn, const ItemState& state);

  // The public key of a (scope, control) item: 16 hex digits of FNV-1a 64 over
  // "<kind>\0<scope id>\0<control id>\0". Depends only on scope and control (SPEC §4); safe as
  // a Jira label suffix and a ServiceNow correlation id.
  static std::string ItemKey(std::string_view scope_kind, std::string_view scope_id, std::string_view control_id);
  // The key of a scope's own events (scope.resilience_dropped): ItemKey with an empty control id
  // (no control has an empty id: importers reject it).
  static std::string ScopeKey(std::string_view scope_kind, std::string_view scope_id);
  // The key of a per-control ticket (feed --per-control): ItemKey("control", "", control id).
  static std::string ControlKey(std::string_view control_id);
  // The 64 bits an item, scope, control or patch key spells (a compact set member for a run
  // that keeps millions of keys). Precondition: `key` came from one of the functions above.
  static uint64_t KeyBits(std::string_view key);

  // The highest seq appended so far (0 when the feed is empty).
  static uint64_t LastSeq(const ReadTxn& txn);
  // Stores `event_json` (which must already carry "seq": seq) under seq.
  static void Append(WriteTxn& txn, uint64_t seq, std::string_view event_json);
  // The same for an event given as consecutive parts (copied once, into the store's page).
  static void Append(WriteTxn& txn, uint64_t seq, std::initializer_list<std::string_view> event_json_parts);
  // Events with seq >= from, in order, until fn returns false.
  static void ForEachFrom(const ReadTxn& txn, uint64_t from,
                          const std::function<bool(uint64_t, std::string_view)>& fn);

  // nullopt when nothing was ever published under `key`. Throws StoreFailure when the stored
  // value is not an item state (corruption).
  static std::optional<ItemState> Item(const ReadTxn& txn, std::string_view key);
  // Stores the state (layout 2) published by the event `seq`. Precondition: `fingerprint` holds
  // no newline.
  static void PutItem(WriteTxn& txn, std::string_view key, bool open, std::string_view fingerprint, uint64_t seq);
  // Every item state, in key order (scope resilience entries are skipped).
  static void ForEachItem(const ReadTxn& txn, const std::function<void(std::string_view key, const ItemState&)>& fn);

  // The public key of a (scope, software) patch item (patch.* events): 16 hex digits of FNV-1a 64
  // over "patch\0<kind>\0<scope id>\0<software key>\0". Depends only on scope and software.
  static std::string PatchKey(std::string_view scope_kind, std::string_view scope_id, std::string_view software);
  // A patch item's last published state, like Item/PutItem/ForEachItem for recommendations.
  static std::optional<ItemState> Patch(const ReadTxn& txn, std::string_view key);
  static void PutPatch(WriteTxn& txn, std::string_view key, bool open, std::string_view fingerprint, uint64_t seq);
  static void ForEachPatch(const ReadTxn& txn, const std::function<void(std::string_view key, const ItemState&)>& fn);

  // The resilience stored for a scope by the last run that evaluated it: nullopt when no run
  // has; an inner nullopt when that run found no known technique (no resilience).
  static std::optional<std::optional<double>> ScopeResilience(const ReadTxn& txn, std::string_view scope_kind,
                                                              std::string_view scope_id);
  static void PutScopeResilience(WriteTxn& txn, std::string_view scope_kind, std::string_view scope_id,
                                 std::optional<double> resilience);

  // Item states and scope resilience entries of one run, held (encoded, a few dozen bytes
  // each) and written in key order by Write. Item keys are hashes spread uniformly over the
  // database, so writing them as a run meets them dirties its pages at random, and each lookup
  // of a later item descends a tree that grows as the run writes; in key order each page is
  // written once, and the run's lookups see the state before it. Reads through FeedCatalog do
  // not see held entries, so a run holds each key at most once (it meets each item and scope
  // once). Compact, since a first run at 1,000,000 incidents holds 2.4 million entries while
  // LMDB holds its 512 MB of dirty pages: an item key is kept as its 64 bits, and the bytes go
  // back to back into 1 MiB blocks that never move (no doubling buffer): ~45 bytes an entry
  // where a key string, a value string and an index entry took ~75 plus growth slack.
  // Not thread-safe.
  class StateWrites {
   public:
    void PutItem(std::string_view key, bool open, std::string_view fingerprint, uint64_t seq);
    void PutScopeResilience(std::string_view scope_kind, std::string_view scope_id, std::optional<double> resilience);
    // Writes every held entry, in key order, and forgets them.
    void Write(WriteTxn& txn);

   private:
    void Hold(std::string_view key, std::string_view value);
    // An entry: an item key's KeyBits and where its value is (a varint size, then the bytes), or
    // for any other key (bits unused) where the key is (its varint size and bytes, then the
    // value's). Held in order, so equal keys stay in the order they were held.
    struct Entry {
      uint64_t bits;
      const char* bytes;
    };
    std::vector<Entry> items_;   // item keys (16 hex digits)
    std::vector<Entry> others_;  // scope resilience entries
    Arena arena_;
    std::string scratch_;        // one entry's encoded bytes before they are copied into arena_
  };

  // A consumer's cursor: the last seq it has been given (0 = none yet).
  static uint64_t Cursor(const ReadTxn& txn, std::string_view consumer);
  static void SetCursor(WriteTxn& txn, std::string_view consumer, uint64_t seq);
};

}  // namespace tidemark::store
