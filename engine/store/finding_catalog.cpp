#include "engine/store/finding_catalog.h"

#include <algorithm>
#include <climits>

#include "engine/store/key_codec.h"

namespace tidemark::store {
namespace {

constexpr uint8_t kValueVersion = 1;
constexpr size_t kHeaderSize = 1 + 8 + 8 + 1;

std::string EncodeValue(const model::Finding& finding) {
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

// The parts of an encoded finding's key (asset \0 cve \0 software-key).
struct KeyParts {
  std::string_view asset, cve, software_key;
};
KeyParts PartsOf(const EncodedFinding& finding) {
  std::string_view key = finding.key;
  return {key.substr(0, finding.cve_at - 1), key.substr(finding.cve_at, finding.software_at - 1 - finding.cve_at),
          key.substr(finding.software_at)};
}

// Writes `finding` (appending it when its key sorts after `*last_key`; never when
// `last_key` is null) and gives the index its stored facts.
bool UpsertEncoded(WriteTxn& txn, EncodedFinding& finding, FindingIndex::Writer& index, std::string* last_key) {
  const std::string& key = finding.key;
  std::string& value = finding.value;
  KeyParts parts = PartsOf(finding);
  if (!finding.numbers) finding.numbers = index.Number(parts.cve, parts.software_key);
  FindingIndex::Writer::Numbers numbers = *finding.numbers;
  std::string_view asset = parts.asset;
  TimeMs first_seen = DecodeInt64(std::string_view(value).substr(1, 8));
  int64_t fixed_bits = DecodeInt64(std::string_view(value).substr(9, 8));
  std::optional<TimeMs> fixed = fixed_bits == INT64_MIN ? std::nullopt : std::optional<TimeMs>(fixed_bits);
  bool firmware = value[17] == 1;
  if (last_key && key > *last_key && txn.Append(Db::kFindings, key, value)) {
    *last_key = key;
    index.Put(asset, numbers, first_seen, fixed, firmware);
    return true;
  }
  // A finding out of key order costs one B-tree descent.
  auto existing = txn.PutIfAbsent(Db::kFindings, key, value);
  if (!existing) {
    if (last_key && key > *last_key) *last_key = key;
    index.Put(asset, numbers, first_seen, fixed, firmware);
    return true;
  }
  CheckHeader(*existing);
  TimeMs stored_first_seen = DecodeInt64(existing->substr(1, 8));
  if (stored_first_seen < first_seen) {
    first_seen = stored_first_seen;
    value.replace(1, 8, EncodeInt64(stored_first_seen));
  }
  txn.Put(Db::kFindings, key, value);
  index.Put(asset, numbers, first_seen, fixed, firmware);
  return false;
}

}  // namespace

EncodedFinding FindingCatalog::Encode(const model::Finding& finding) {
  EncodedFinding encoded;
  encoded.key = JoinKey({finding.asset, finding.cve, model::SoftwareKey(finding.software)});
  encoded.value = EncodeValue(finding);
  encoded.cve_at = static_cast<uint32_t>(finding.asset.size() + 1);
  encoded.software_at = static_cast<uint32_t>(encoded.cve_at + finding.cve.size() + 1);
  return encoded;
}

bool FindingCatalog::Upsert(WriteTxn& txn, const model::Finding& finding, FindingIndex::Writer& index) {
  EncodedFinding encoded = Encode(finding);
  return UpsertEncoded(txn, encoded, index, nullptr);
}

bool FindingCatalog::Upsert(WriteTxn& txn, EncodedFinding& finding, FindingIndex::Writer& index, std::string& last_key) {
  return UpsertEncoded(txn, finding, index, &last_key);
}

void FindingCatalog::Number(EncodedFinding& finding, FindingIndex::Writer& index) {
  KeyParts parts = PartsOf(finding);
  finding.numbers = index.Number(parts.cve, parts.software_key);
}

std::string FindingCatalog::LastKey(const ReadTxn& txn) {
  auto last = txn.Last(Db::kFindings);
  return last ? std::string(last->first) : std::string();
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
