#include "engine/store/feed_catalog.h"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <utility>

#include "engine/store/key_codec.h"

namespace tidemark::store {
namespace {

constexpr std::string_view kOpen = "O|";
constexpr std::string_view kClosed = "C|";
constexpr std::string_view kScopePart = "scope";
constexpr std::string_view kPatchPart = "patch";
constexpr size_t kItemKeySize = 16;

std::string ScopeStateKey(std::string_view scope_kind, std::string_view scope_id) {
  return JoinKey({kScopePart, scope_kind, scope_id});
}

// A scope's resilience as stored: shortest decimal text, or "null".
std::string EncodeResilience(std::optional<double> resilience) {
  if (!resilience) return "null";
  char buf[64];
  auto [end, error] = std::to_chars(buf, buf + sizeof buf, *resilience);
  return std::string(buf, end);
}

bool IsItemKey(std::string_view key) {
  return key.size() == kItemKeySize && key.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

constexpr char kSeqMark = '#';

// nullopt when `value` is not "O|<fingerprint>\n#<seq>" or "O|<fingerprint>\n<json>" (or
// "C|...").
std::optional<FeedCatalog::ItemState> DecodeItem(std::string_view value) {
  FeedCatalog::ItemState state;
  if (value.substr(0, 2) == kOpen) {
    state.open = true;
  } else if (value.substr(0, 2) != kClosed) {
    return std::nullopt;
  }
  size_t newline = value.find('\n');
  if (newline == std::string_view::npos) return std::nullopt;
  state.fingerprint = value.substr(2, newline - 2);
  std::string_view rest = value.substr(newline + 1);
  if (rest.empty() || rest[0] != kSeqMark) {
    state.item_json = rest;
    return state;
  }
  auto [end, error] = std::from_chars(rest.data() + 1, rest.data() + rest.size(), state.seq);
  if (error != std::errc() || end != rest.data() + rest.size() || state.seq == 0) return std::nullopt;
  return state;
}

std::string EncodeItem(bool open, std::string_view fingerprint, uint64_t seq) {
  char digits[24];
  auto [end, error] = std::to_chars(digits, digits + sizeof digits, seq);
  std::string value;
  value.reserve(4 + fingerprint.size() + static_cast<size_t>(end - digits));
  value.append(open ? kOpen : kClosed);
  value.append(fingerprint);
  value.push_back('\n');
  value.push_back(kSeqMark);
  value.append(digits, end);
  return value;
}

// `bits` as an item key: 16 lower-case hex digits (as printf's "%016llx", without its format
// parsing: a run builds a key per item). KeyBits reads them back.
void HexDigits(uint64_t bits, char* out) {
  for (size_t k = kItemKeySize; k-- > 0; bits >>= 4) out[k] = "0123456789abcdef"[bits & 0xf];
}

// FNV-1a 64 over each part followed by a NUL, as 16 lower-case hex digits.
std::string HexKey(std::initializer_list<std::string_view> parts) {
  uint64_t hash = 14695981039346656037ull;
  for (std::string_view part : parts) {
    for (unsigned char c : part) {
      hash ^= c;
      hash *= 1099511628211ull;
    }
    hash *= 1099511628211ull;  // the NUL separator (x ^ 0 == x)
  }
  std::string key(kItemKeySize, '0');
  HexDigits(hash, key.data());
  return key;
}

}  // namespace

std::string FeedCatalog::ItemKey(std::string_view scope_kind, std::string_view scope_id, std::string_view control_id) {
  return HexKey({scope_kind, scope_id, control_id});
}

std::string FeedCatalog::PatchKey(std::string_view scope_kind, std::string_view scope_id, std::string_view software) {
  return HexKey({kPatchPart, scope_kind, scope_id, software});
}

std::optional<FeedCatalog::ItemState> FeedCatalog::Patch(const ReadTxn& txn, std::string_view key) {
  auto value = txn.Get(Db::kFeedState, JoinKey({kPatchPart, key}));
  if (!value) return std::nullopt;
  auto state = DecodeItem(*value);
  if (!state) throw StoreFailure("feed_state: the patch entry of key " + std::string(key) + " is not an item state");
  return state;
}

void FeedCatalog::PutPatch(WriteTxn& txn, std::string_view key, bool open, std::string_view fingerprint, uint64_t seq) {
  txn.Put(Db::kFeedState, JoinKey({kPatchPart, key}), EncodeItem(open, fingerprint, seq));
}

void FeedCatalog::ForEachPatch(const ReadTxn& txn, const std::function<void(std::string_view, const ItemState&)>& fn) {
  std::string prefix = KeyPrefix({kPatchPart});
  txn.ForEach(Db::kFeedState, prefix, [&](std::string_view key, std::string_view value) {
    std::string_view patch_key = key.substr(prefix.size());
    auto state = DecodeItem(value);
    if (!state) throw StoreFailure("feed_state: the patch entry of key " + std::string(patch_key) + " is not an item state");
    fn(patch_key, *state);
    return true;
  });
}

std::string FeedCatalog::ScopeKey(std::string_view scope_kind, std::string_view scope_id) {
  return ItemKey(scope_kind, scope_id, "");
}

std::string FeedCatalog::ControlKey(std::string_view control_id) { return ItemKey("control", "", control_id); }

uint64_t FeedCatalog::KeyBits(std::string_view key) {
  uint64_t bits = 0;
  std::from_chars(key.data(), key.data() + key.size(), bits, 16);
  return bits;
}

uint64_t FeedCatalog::LastSeq(const ReadTxn& txn) {
  auto last = txn.Last(Db::kFeed);
  return last ? static_cast<uint64_t>(DecodeInt64(last->first)) : 0;
}

void FeedCatalog::Append(WriteTxn& txn, uint64_t seq, std::string_view event_json) {
  // seq only grows: an append (no search, full pages), unless a caller writes an older seq again.
  std::string key = EncodeInt64(static_cast<int64_t>(seq));
  if (!txn.Append(Db::kFeed, key, event_json)) txn.Put(Db::kFeed, key, event_json);
}

void FeedCatalog::Append(WriteTxn& txn, uint64_t seq, std::initializer_list<std::string_view> event_json_parts) {
  size_t size = 0;
  for (std::string_view part : event_json_parts) size += part.size();
  char* at = txn.AppendOrPutReserved(Db::kFeed, EncodeInt64(static_cast<int64_t>(seq)), size);
  for (std::string_view part : event_json_parts) at = std::copy(part.begin(), part.end(), at);
}

void FeedCatalog::ForEachFrom(const ReadTxn& txn, uint64_t from,
                              const std::function<bool(uint64_t, std::string_view)>& fn) {
  txn.ForEachFrom(Db::kFeed, EncodeInt64(static_cast<int64_t>(from)), [&](std::string_view key, std::string_view value) {
    return fn(static_cast<uint64_t>(DecodeInt64(key)), value);
  });
}

std::optional<FeedCatalog::ItemState> FeedCatalog::Item(const ReadTxn& txn, std::string_view key) {
  auto value = txn.Get(Db::kFeedState, key);
  if (!value) return std::nullopt;
  auto state = DecodeItem(*value);
  if (!state) throw StoreFailure("feed_state: the entry of key " + std::string(key) + " is not an item state");
  return state;
}

void FeedCatalog::PutItem(WriteTxn& txn, std::string_view key, bool open, std::string_view fingerprint, uint64_t seq) {
  txn.Put(Db::kFeedState, key, EncodeItem(open, fingerprint, seq));
}

std::string_view FeedCatalog::Published(const ReadTxn& txn, const ItemState& state) {
  if (state.seq == 0) return state.item_json;
  auto event = txn.Get(Db::kFeed, EncodeInt64(static_cast<int64_t>(state.seq)));
  if (!event) throw StoreFailure("feed: event " + std::to_string(state.seq) + ", which an item state names, is missing");
  return *event;
}

void FeedCatalog::ForEachItem(const ReadTxn& txn, const std::function<void(std::string_view, const ItemState&)>& fn) {
  txn.ForEach(Db::kFeedState, "", [&](std::string_view key, std::string_view value) {
    if (!IsItemKey(key)) return true;
    auto state = DecodeItem(value);
    if (!state) throw StoreFailure("feed_state: the entry of key " + std::string(key) + " is not an item state");
    fn(key, *state);
    return true;
  });
}

std::optional<std::optional<double>> FeedCatalog::ScopeResilience(const ReadTxn& txn, std::string_view scope_kind,
                                                                  std::string_view scope_id) {
  auto value = txn.Get(Db::kFeedState, ScopeStateKey(scope_kind, scope_id));
  if (!value) return std::nullopt;
  if (*value == "null") return std::optional<double>();
  double resilience = 0;
  auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), resilience);
  if (error != std::errc() || end != value->data() + value->size()) {
    throw StoreFailure("feed_state: the resilience of scope " + std::string(scope_kind) + " " + std::string(scope_id) +
                       " is not a number");
  }
  return std::optional<double>(resilience);
}

void FeedCatalog::PutScopeResilience(WriteTxn& txn, std::string_view scope_kind, std::string_view scope_id,
                                     std::optional<double> resilience) {
  txn.Put(Db::kFeedState, ScopeStateKey(scope_kind, scope_id), EncodeResilience(resilience));
}

namespace {

void AppendSize(std::string& out, size_t size) {
  for (; size >= 0x80; size >>= 7) out.push_back(static_cast<char>(0x80 | (size & 0x7f)));
  out.push_back(static_cast<char>(size));
}

// The bytes AppendSize put at `at` followed by that many bytes; `at` moves past them.
std::string_view ReadSized(const char*& at) {
  size_t size = 0;
  for (int shift = 0;; shift += 7) {
    auto byte = static_cast<unsigned char>(*at++);
    size |= static_cast<size_t>(byte & 0x7f) << shift;
    if (byte < 0x80) break;
  }
  std::string_view bytes(at, size);
  at += size;
  return bytes;
}

// Sorts `entries` by their `bits`, stably: a least-significant-digit radix sort, 16 bits a pass
// (item keys are hashes: a comparison sort of millions of them costs several times more).
template <typename Entry>
void RadixSortByBits(std::vector<Entry>& entries) {
  constexpr int kDigitBits = 16;
  constexpr size_t kBuckets = size_t{1} << kDigitBits;
  constexpr int kPasses = 64 / kDigitBits;
  std::vector<uint32_t> counts(kBuckets * kPasses, 0);
  for (const Entry& entry : entries) {
    for (int pass = 0; pass < kPasses; ++pass) ++counts[pass * kBuckets + ((entry.bits >> (pass * kDigitBits)) & (kBuckets - 1))];
  }
  std::vector<Entry> scratch(entries.size());
  for (int pass = 0; pass < kPasses; ++pass) {
    uint32_t* count = counts.data() + pass * kBuckets;
    // A digit every entry shares orders nothing.
    if (std::find(count, count + kBuckets, static_cast<uint32_t>(entries.size())) != count + kBuckets) continue;
    uint32_t at = 0;
    for (size_t bucket = 0; bucket < kBuckets; ++bucket) at += std::exchange(count[bucket], at);
    for (const Entry& entry : entries) scratch[count[(entry.bits >> (pass * kDigitBits)) & (kBuckets - 1)]++] = entry;
    entries.swap(scratch);
  }
}

}  // namespace

void FeedCatalog::StateWrites::Hold(std::string_view key, std::string_view value) {
  bool item = IsItemKey(key);
  scratch_.clear();
  if (!item) {
    AppendSize(scratch_, key.size());
    scratch_.append(key);
  }
  AppendSize(scratch_, value.size());
  scratch_.append(value);
  Entry entry{item ? KeyBits(key) : 0, arena_.Copy(std::string_view(scratch_)).data()};
  (item ? items_ : others_).push_back(entry);
}

void FeedCatalog::StateWrites::PutItem(std::string_view key, bool open, std::string_view fingerprint, uint64_t seq) {
  Hold(key, EncodeItem(open, fingerprint, seq));
}

void FeedCatalog::StateWrites::PutScopeResilience(std::string_view scope_kind, std::string_view scope_id,
                                                  std::optional<double> resilience) {
  Hold(ScopeStateKey(scope_kind, scope_id), EncodeResilience(resilience));
}

void FeedCatalog::StateWrites::Write(WriteTxn& txn) {
  auto put = [&](std::string_view key, std::string_view value) {
    // In key order: an append while the keys lie beyond every stored one (a first run), else a put.
    if (!txn.Append(Db::kFeedState, key, value)) txn.Put(Db::kFeedState, key, value);
  };
  // Item keys (16 hex digits: their order is their bits' order) sort before every other entry
  // ("scope\0...": 's' comes after every hex digit), the others by bytes. Stable: should two
  // held entries share a key, the later one wins, as if written in turn.
  RadixSortByBits(items_);
  char key[kItemKeySize];
  // In key order the values are met at random in the arena: each one's cache line is asked for
  // a few entries ahead.
  constexpr size_t kPrefetchAhead = 8;
  for (size_t idx = 0; idx < items_.size(); ++idx) {
    if (idx + kPrefetchAhead < items_.size()) __builtin_prefetch(items_[idx + kPrefetchAhead].bytes);
    const Entry& entry = items_[idx];
    HexDigits(entry.bits, key);
    const char* at = entry.bytes;
    put(std::string_view(key, kItemKeySize), ReadSized(at));
  }
  items_ = {};
  std::stable_sort(others_.begin(), others_.end(), [](const Entry& a, const Entry& b) {
    const char* a_at = a.bytes;
    const char* b_at = b.bytes;
    return ReadSized(a_at) < ReadSized(b_at);
  });
  for (const Entry& entry : others_) {
    const char* at = entry.bytes;
    std::string_view held_key = ReadSized(at);
    put(held_key, ReadSized(at));
  }
  others_ = {};
  arena_ = Arena();
  scratch_ = {};
}

uint64_t FeedCatalog::Cursor(const ReadTxn& txn, std::string_view consumer) {
  auto value = txn.Get(Db::kCursors, consumer);
  return value && value->size() == 8 ? static_cast<uint64_t>(DecodeInt64(*value)) : 0;
}

void FeedCatalog::SetCursor(WriteTxn& txn, std::string_view consumer, uint64_t seq) {
  txn.Put(Db::kCursors, consumer, EncodeInt64(static_cast<int64_t>(seq)));
}

}  // namespace tidemark::store
