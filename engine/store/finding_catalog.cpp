#include "engine/store/finding_catalog.h"

#include <algorithm>
#include <climits>

#include "engine/store/key_codec.h"

namespace tidemark::store {
namespace {

constexpr uint8_t kValueVersion = 1;
constexpr size_t kHeaderSize = 1 + 8 + 8 + 1;

std::string Encode(const model::Finding& finding) {
  std::string value;
  value.reserve(kHeaderSize + 200);
  value.push_back(static_cast<char>(kValueVersion));
  value += EncodeInt64(finding.first_seen);
  value += EncodeInt64(finding.fixed ? *finding.fixed : INT64_MIN);
  value.push_back(finding.remediation_type == model::RemediationType::kFirmware ? 1 : 0);
  model::AppendDetailsJson(finding, value);
  return value;
}

void CheckHeader(std::string_view value) {
  if (value.size() < kHeaderSize || static_cast<uint8_t>(value[0]) != kValueVersion) {
    throw StoreFailure("corrupt finding record in store (unknown value layout)");
  }
}

model::Finding DecodeFindingRecord(std::string_view key, std::string_view value) {
  CheckHeader(value);
  std::vector<std::string_view> parts = SplitKey(key);
  if (parts.size() != 3) throw StoreFailure("corrupt finding key in store");
  model::Finding finding;
  finding.asset = parts[0];
  finding.cve = parts[1];
  finding.first_seen = DecodeInt64(value.substr(1, 8));
  int64_t fixed = DecodeInt64(value.substr(9, 8));
  if (fixed != INT64_MIN) finding.fixed = fixed;
  finding.remediation_type = value[17] == 1 ? model::RemediationType::kFirmware : model::RemediationType::kSoftware;
  Status status = model::ApplyDetailsJson(value.substr(kHeaderSize), finding);
  if (!status.ok()) throw StoreFailure(status.message());
  return finding;
}

}  // namespace

bool FindingCatalog::Upsert(WriteTxn& txn, const model::Finding& finding, FindingIndex::Writer& index) {
  std::string software_key = model::SoftwareKey(finding.software);
  std::string key = JoinKey({finding.asset, finding.cve, software_key});
  std::string value = Encode(finding);
  bool firmware = finding.remediation_type == model::RemediationType::kFirmware;
  // A new finding (every one, on a first import) costs one B-tree descent.
  auto existing = txn.PutIfAbsent(Db::kFindings, key, value);
  if (!existing) {
    index.Put(finding.asset, finding.cve, software_key, finding.first_seen, finding.fixed, firmware);
    return true;
  }
  CheckHeader(*existing);
  TimeMs stored_first_seen = DecodeInt64(existing->substr(1, 8));
  TimeMs first_seen = std::min(stored_first_seen, finding.first_seen);
  if (stored_first_seen < finding.first_seen) value.replace(1, 8, EncodeInt64(stored_first_seen));
  txn.Put(Db::kFindings, key, value);
  index.Put(finding.asset, finding.cve, software_key, first_seen, finding.fixed, firmware);
  return false;
}

bool FindingCatalog::Upsert(WriteTxn& txn, const model::Finding& finding) {
  FindingIndex::Writer index;
  bool created = Upsert(txn, finding, index);
  index.Finish(txn);
  return created;
}

std::optional<model::Finding> FindingCatalog::Find(const ReadTxn& txn, std::string_view asset, std::string_view cve,
                                                   std::string_view software_key) {
  std::string key = JoinKey({asset, cve, software_key});
  auto value = txn.Get(Db::kFindings, key);
  if (!value) return std::nullopt;
  return DecodeFindingRecord(key, *value);
}

void FindingCatalog::ForEach(const ReadTxn& txn, const std::function<void(const model::Finding&)>& fn) {
  txn.ForEach(Db::kFindings, "", [&](std::string_view key, std::string_view value) {
    fn(DecodeFindingRecord(key, value));
    return true;
  });
}

void FindingCatalog::ForEachFacts(const ReadTxn& txn, const std::function<void(const FindingFacts&)>& fn) {
  FindingFacts facts;
  txn.ForEach(Db::kFindings, "", [&](std::string_view key, std::string_view value) {
    CheckHeader(value);
    // asset \0 cve \0 software-key: split by hand (SplitKey allocates a vector per call).
    size_t first = key.find('\0');
    size_t second = first == std::string_view::npos ? first : key.find('\0', first + 1);
    if (second == std::string_view::npos) throw StoreFailure("corrupt finding key in store");
    facts.asset = key.substr(0, first);
    facts.cve = key.substr(first + 1, second - first - 1);
    facts.software_key = key.substr(second + 1);
    facts.first_seen = DecodeInt64(value.substr(1, 8));
    int64_t fixed = DecodeInt64(value.substr(9, 8));
    facts.fixed = fixed == INT64_MIN ? std::nullopt : std::optional<TimeMs>(fixed);
    facts.remediation_type = value[17] == 1 ? model::RemediationType::kFirmware : model::RemediationType::kSoftware;
    fn(facts);
    return true;
  });
}

size_t FindingCatalog::Count(const ReadTxn& txn) { return txn.Count(Db::kFindings); }

}  // namespace tidemark::store
