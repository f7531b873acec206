// Typed access to vulnerability findings (database `findings`, key asset \0 cve \0
// software-key; see key_codec.h). A value is a small binary header with what scoring reads,
// then the finding's JSON:
//   u8 version=1 | be64 first_seen | be64 fixed (INT64_MIN = open) | u8 remediation type
//   (0 software, 1 firmware) | JSON of the rest (model::DetailsToJson: software with its
//   original spelling and version, severity, cvss, exploitability, update, source, extra)
// so the bulk scan behind vulnerability exposure (1,000,000 findings) never parses JSON.
// Every write also goes to the finding index (finding_index.h), which bulk scoring reads.
// Stateless; the transactions it is given decide consistency.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "engine/model/finding.h"
#include "engine/store/finding_index.h"
#include "engine/store/store.h"

namespace tidemark::store {

// What scoring needs of one finding; the views point into the transaction's pages and are
// valid until it ends.
struct FindingFacts {
  std::string_view asset;
  std::string_view cve;
  std::string_view software_key;  // "" for a finding without software
  TimeMs first_seen = 0;
  std::optional<TimeMs> fixed;
  model::RemediationType remediation_type = model::RemediationType::kSoftware;
};

// A finding as the store keeps it, made by FindingCatalog::Encode on any thread so that the
// thread holding the write transaction (one per import) only writes it.
struct EncodedFinding {
  std::string key;    // asset \0 cve \0 software-key
  std::string value;  // the layout above
  uint32_t cve_at = 0;       // where the CVE id starts in `key`
  uint32_t software_at = 0;  // where the software key starts in `key`
  // The CVE's and software key's numbers in the index writer, once FindingCatalog::Number
  // gave them.
  std::optional<FindingIndex::Writer::Numbers> numbers;
};

class FindingCatalog {
 public:
  // Upserts by (asset, CVE, software key): the record replaces the stored one, except that
  // first_seen stays the earliest any import saw (a rescan never moves it later). Returns
  // true when the finding is new. The stored facts go to `index`, whose Finish the caller
  // runs before the transaction commits.
  static bool Upsert(WriteTxn& txn, const model::Finding& finding, FindingIndex::Writer& index);
  static EncodedFinding Encode(const model::Finding& finding);
  // The same for an encoded finding (its value may be changed). `last_key` is the greatest key
  // stored (LastKey, then kept current by every call): a finding whose key sorts after it is
  // appended (no search, and full pages: a bulk import in key order writes fewer pages).
  static bool Upsert(WriteTxn& txn, EncodedFinding& finding, FindingIndex::Writer& index, std::string& last_key);
  // The greatest key stored, "" when there is no finding.
  static std::string LastKey(const ReadTxn& txn);
  // Numbers the finding's strings in `index` (FindingIndex::Writer::Number), ahead of a write
  // out of reading order; Upsert numbers them itself otherwise.
  static void Number(EncodedFinding& finding, FindingIndex::Writer& index);
  // The same with an index writer of its own, finished at once (a few findings).
  static bool Upsert(WriteTxn& txn, const model::Finding& finding);
  // nullopt when absent.
  static std::optional<model::Finding> Find(const ReadTxn& txn, std::string_view asset, std::string_view cve,
                                            std::string_view software_key);
  // Every finding in key order (asset, CVE, software), decoded.
  static void ForEach(const ReadTxn& txn, const std::function<void(const model::Finding&)>& fn);
  // Every finding's scoring facts in key order, without JSON decoding.
  static void ForEachFacts(const ReadTxn& txn, const std::function<void(const FindingFacts&)>& fn);
  static size_t Count(const ReadTxn& txn);
};

}  // namespace tidemark::store
