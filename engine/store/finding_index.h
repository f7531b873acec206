// The finding index (database `finding_index`, schema version 4): per asset, the scoring facts
// of its findings as fixed-size binary records, with CVE ids and software keys replaced by
// numbers of one string table. Vulnerability exposure reads it instead of every finding record
// (issue 15: 1,000,000 findings are 250 MB of records with their JSON, 24 MB here, and no
// string is hashed per finding), kept in step with the `findings` database by every write.
//
// Keys (key_codec.h): "asset" \0 asset-id -> the asset's list; "strings" -> the string table.
//   string table: u8 version = 1 | u32 n | n × {u16 length, bytes}; a string's number is its
//                 position. Append-only: a number never changes meaning.
//   asset list:   u8 version = 1 | u32 n | n × {u32 cve, u32 software, i64 first_seen,
//                 i64 fixed (INT64_MIN = open)}, sorted by (cve, software & kSoftwareMask);
//                 `software` is the number of the software key, kNoSoftware for a finding
//                 without software, with kFirmwareBit set for a firmware remediation.
// Integers in host byte order (like the evidence index). The facts are the stored finding's
// (FindingCatalog::Upsert decides them: first_seen the earliest seen); nothing else is kept.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/string_index.h"
#include "engine/core/time_util.h"
#include "engine/store/store.h"

namespace tidemark::store {

// One finding's facts as the index keeps them.
struct IndexedFinding {
  static constexpr uint32_t kFirmwareBit = 0x80000000u;
  static constexpr uint32_t kSoftwareMask = 0x7fffffffu;
  static constexpr uint32_t kNoSoftware = kSoftwareMask;

  uint32_t cve = 0;       // string number of the CVE id
  uint32_t software = 0;  // string number of the software key | kFirmwareBit, or kNoSoftware
  TimeMs first_seen = 0;
  TimeMs fixed = kOpen;   // kOpen while open
  static constexpr TimeMs kOpen = INT64_MIN;

  bool firmware() const { return (software & kFirmwareBit) != 0; }
  // The software key's string number, or kNoSoftware.
  uint32_t software_id() const { return software & kSoftwareMask; }
  std::optional<TimeMs> fixed_time() const { return fixed == kOpen ? std::nullopt : std::optional<TimeMs>(fixed); }
};

class FindingIndex {
 public:
  // The string table: string number -> text (views into the transaction, valid until it
  // ends). Empty when no finding is stored.
  static std::vector<std::string_view> Strings(const ReadTxn& txn);
  // Every asset with findings, in asset id order, with its findings (a buffer reused between
  // calls). Throws StoreFailure on a list of another layout.
  static void ForEachAsset(const ReadTxn& txn,
                           const std::function<void(std::string_view asset, const std::vector<IndexedFinding>&)>& fn);
  // Drops the index and builds it again from every stored finding (the schema-4 migration).
  static void Rebuild(WriteTxn& txn);

  // Collects the finding writes of one transaction; Finish rewrites each touched asset's list
  // once and the string table when it grew (an import of 1,000,000 findings on 10,000 assets
  // writes 10,001 records). Every writer of findings goes through one (FindingCatalog::Upsert).
  class Writer {
   public:
    // A finding's CVE and software key as numbers local to the writer (Number).
    struct Numbers {
      uint32_t cve = 0;
      uint32_t software = IndexedFinding::kNoSoftware;
    };
    // The stored facts of finding (asset, cve, software_key) are now these (new or replaced).
    void Put(std::string_view asset, std::string_view cve, std::string_view software_key, TimeMs first_seen,
             std::optional<TimeMs> fixed, bool firmware);
    // The same with the strings numbered by Number.
    void Put(std::string_view asset, Numbers numbers, TimeMs first_seen, std::optional<TimeMs> fixed, bool firmware);
    // Numbers the strings of a finding as Put does: new strings of the string table are
    // numbered in the order the writer first meets them, so a caller that Puts findings in
    // another order than it read them (key order, to append) numbers them in reading order
    // first, and the table comes out as if they were written in that order.
    Numbers Number(std::string_view cve, std::string_view software_key);
    // The distinct CVE ids Put since the last Finish (in no particular order).
    std::vector<std::string> Cves() const;
    // Writes the touched lists; the Writer is empty again afterwards.
    void Finish(WriteTxn& txn);

   private:
    struct Change {
      uint32_t asset;  // numbers local to the writer until Finish maps them
      IndexedFinding facts;
    };
    uint32_t Asset(std::string_view asset);
    StringIndex strings_;  // numbers local to the writer
    std::vector<bool> is_cve_;  // by string number: Put as a CVE id
    StringIndex assets_;
    std::vector<Change> changes_;
    uint32_t last_asset_ = UINT32_MAX;  // Put's last asset (imports come grouped by asset)
  };
};

}  // namespace tidemark::store
