#include "engine/store/finding_index.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <unordered_map>

#include "engine/store/finding_catalog.h"
#include "engine/store/key_codec.h"

namespace tidemark::store {
namespace {

constexpr uint8_t kLayoutVersion = 1;
constexpr size_t kRecordSize = 4 + 4 + 8 + 8;
constexpr std::string_view kStringsKey = "strings";

std::string AssetKey(std::string_view asset) { return JoinKey({"asset", asset}); }

[[noreturn]] void Corrupt(std::string_view what) {
  throw StoreFailure("corrupt finding index in store (" + std::string(what) + ")");
}

// Layout header: version byte and count; returns the count.
uint32_t ReadHeader(std::string_view bytes, std::string_view what) {
  if (bytes.size() < 5 || static_cast<uint8_t>(bytes[0]) != kLayoutVersion) Corrupt(what);
  uint32_t n;
  std::memcpy(&n, bytes.data() + 1, 4);
  return n;
}

void AppendHeader(std::string& out, uint32_t n) {
  out.push_back(static_cast<char>(kLayoutVersion));
  out.append(reinterpret_cast<const char*>(&n), 4);
}

void DecodeList(std::string_view bytes, std::vector<IndexedFinding>& out) {
  uint32_t n = ReadHeader(bytes, "asset list");
  if (bytes.size() != 5 + size_t{n} * kRecordSize) Corrupt("asset list size");
  out.resize(n);
  const char* at = bytes.data() + 5;
  for (IndexedFinding& finding : out) {
    std::memcpy(&finding.cve, at, 4);
    std::memcpy(&finding.software, at + 4, 4);
    std::memcpy(&finding.first_seen, at + 8, 8);
    std::memcpy(&finding.fixed, at + 16, 8);
    at += kRecordSize;
  }
}

std::string EncodeList(const std::vector<IndexedFinding>& list) {
  std::string out;
  out.reserve(5 + list.size() * kRecordSize);
  AppendHeader(out, static_cast<uint32_t>(list.size()));
  for (const IndexedFinding& finding : list) {
    out.append(reinterpret_cast<const char*>(&finding.cve), 4);
    out.append(reinterpret_cast<const char*>(&finding.software), 4);
    out.append(reinterpret_cast<const char*>(&finding.first_seen), 8);
    out.append(reinterpret_cast<const char*>(&finding.fixed), 8);
  }
  return out;
}

// A finding's identity within its asset's list.
uint64_t ListKey(const IndexedFinding& finding) { return uint64_t{finding.cve} << 32 | finding.software_id(); }

}  // namespace

std::vector<std::string_view> FindingIndex::Strings(const ReadTxn& txn) {
  std::vector<std::string_view> out;
  auto bytes = txn.Get(Db::kFindingIndex, kStringsKey);
  if (!bytes) return out;
  uint32_t n = ReadHeader(*bytes, "string table");
  out.reserve(n);
  size_t at = 5;
  for (uint32_t k = 0; k < n; ++k) {
    if (at + 2 > bytes->size()) Corrupt("string table size");
    uint16_t length;
    std::memcpy(&length, bytes->data() + at, 2);
    if (at + 2 + length > bytes->size()) Corrupt("string table size");
    out.push_back(bytes->substr(at + 2, length));
    at += 2 + length;
  }
  return out;
}

void FindingIndex::ForEachAsset(const ReadTxn& txn,
                                const std::function<void(std::string_view, const std::vector<IndexedFinding>&)>& fn) {
  std::vector<IndexedFinding> list;
  std::string prefix = KeyPrefix({"asset"});
  txn.ForEach(Db::kFindingIndex, prefix, [&](std::string_view key, std::string_view value) {
    DecodeList(value, list);
    fn(key.substr(prefix.size()), list);
    return true;
  });
}

void FindingIndex::Rebuild(WriteTxn& txn) {
  txn.DelPrefix(Db::kFindingIndex, "");
  Writer writer;
  FindingCatalog::ForEachFacts(txn, [&](const FindingFacts& facts) {
    writer.Put(facts.asset, facts.cve, facts.software_key, facts.first_seen, facts.fixed,
               facts.remediation_type == model::RemediationType::kFirmware);
  });
  writer.Finish(txn);
}

uint32_t FindingIndex::Writer::Asset(std::string_view asset) {
  if (last_asset_ != UINT32_MAX && assets_.key(last_asset_) == asset) return last_asset_;
  last_asset_ = assets_.Intern(asset).first;
  return last_asset_;
}

FindingIndex::Writer::Numbers FindingIndex::Writer::Number(std::string_view cve, std::string_view software_key) {
  Numbers numbers;
  numbers.cve = strings_.Intern(cve).first;
  if (!software_key.empty()) numbers.software = strings_.Intern(software_key).first;
  return numbers;
}

void FindingIndex::Writer::Put(std::string_view asset, std::string_view cve, std::string_view software_key,
                               TimeMs first_seen, std::optional<TimeMs> fixed, bool firmware) {
  Put(asset, Number(cve, software_key), first_seen, fixed, firmware);
}

void FindingIndex::Writer::Put(std::string_view asset, Numbers numbers, TimeMs first_seen, std::optional<TimeMs> fixed,
                               bool firmware) {
  IndexedFinding facts;
  facts.cve = numbers.cve;
  facts.software = numbers.software;
  if (firmware) facts.software |= IndexedFinding::kFirmwareBit;
  facts.first_seen = first_seen;
  facts.fixed = fixed ? *fixed : IndexedFinding::kOpen;
  changes_.push_back({Asset(asset), facts});
  if (numbers.cve >= is_cve_.size()) is_cve_.resize(strings_.size());
  is_cve_[numbers.cve] = true;
}

std::vector<std::string> FindingIndex::Writer::Cves() const {
  std::vector<std::string> cves;
  for (uint32_t number = 0; number < is_cve_.size(); ++number) {
    if (is_cve_[number]) cves.push_back(strings_.key(number));
  }
  return cves;
}

void FindingIndex::Writer::Finish(WriteTxn& txn) {
  if (changes_.empty()) return;
  // The writer's string numbers become the table's, appending the strings it lacks.
  std::vector<std::string> table;
  for (std::string_view text : Strings(txn)) table.emplace_back(text);
  size_t stored_strings = table.size();
  // `number` views the strings in `table`: no push_back below may move them.
  table.reserve(table.size() + strings_.size());
  std::unordered_map<std::string_view, uint32_t> number;
  number.reserve(table.size() + strings_.size());
  for (uint32_t k = 0; k < table.size(); ++k) number.emplace(table[k], k);
  std::vector<uint32_t> global(strings_.size());
  for (uint32_t k = 0; k < strings_.size(); ++k) {
    const std::string& text = strings_.key(k);
    auto found = number.find(text);
    if (found != number.end()) {
      global[k] = found->second;
      continue;
    }
    if (text.size() > std::numeric_limits<uint16_t>::max()) Corrupt("string too long");
    global[k] = static_cast<uint32_t>(table.size());
    if (global[k] >= IndexedFinding::kNoSoftware) throw StoreFailure("store: too many distinct CVEs and software");
    table.push_back(text);
  }
  for (Change& change : changes_) {
    change.facts.cve = global[change.facts.cve];
    uint32_t software = change.facts.software_id();
    if (software != IndexedFinding::kNoSoftware) {
      change.facts.software = global[software] | (change.facts.software & IndexedFinding::kFirmwareBit);
    }
  }
  // Grouped by asset, arrival order kept within an asset (the later write of a finding wins).
  // Imports usually come grouped by asset already.
  auto by_asset = [](const Change& a, const Change& b) { return a.asset < b.asset; };
  if (!std::is_sorted(changes_.begin(), changes_.end(), by_asset)) std::stable_sort(changes_.begin(), changes_.end(), by_asset);
  std::vector<IndexedFinding> list;
  for (size_t begin = 0; begin < changes_.size();) {
    size_t end = begin;
    while (end < changes_.size() && changes_[end].asset == changes_[begin].asset) ++end;
    std::string key = AssetKey(assets_.key(changes_[begin].asset));
    list.clear();
    if (auto stored = txn.Get(Db::kFindingIndex, key)) DecodeList(*stored, list);
    for (size_t k = begin; k < end; ++k) list.push_back(changes_[k].facts);
    // Stable: of the records with one key, the stored one comes first and the last write last.
    std::stable_sort(list.begin(), list.end(),
                     [](const IndexedFinding& a, const IndexedFinding& b) { return ListKey(a) < ListKey(b); });
    size_t kept = 0;
    for (size_t k = 0; k < list.size(); ++k) {
      if (k + 1 < list.size() && ListKey(list[k + 1]) == ListKey(list[k])) continue;
      list[kept++] = list[k];
    }
    list.resize(kept);
    txn.Put(Db::kFindingIndex, key, EncodeList(list));
    begin = end;
  }
  if (table.size() != stored_strings || stored_strings == 0) {
    std::string bytes;
    AppendHeader(bytes, static_cast<uint32_t>(table.size()));
    for (const std::string& text : table) {
      uint16_t length = static_cast<uint16_t>(text.size());
      bytes.append(reinterpret_cast<const char*>(&length), 2);
      bytes += text;
    }
    txn.Put(Db::kFindingIndex, kStringsKey, bytes);
  }
  strings_ = StringIndex();
  is_cve_.clear();
  assets_ = StringIndex();
  std::vector<Change>().swap(changes_);
  last_asset_ = UINT32_MAX;
}

}  // namespace tidemark::store
