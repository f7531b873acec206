// Typed access to CVE knowledge: CVE-to-ATT&CK mappings (database `cve_mappings`, key
// cve \0 technique \0 mapping-type -> model::CveMapping JSON) and CISA KEV catalog facts
// (database `kev`, key cve -> model::KevEntry JSON); see key_codec.h.
// Stateless; the transactions it is given decide consistency.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "engine/model/finding.h"
#include "engine/store/store.h"

namespace tidemark::store {

class CveCatalog {
 public:
  // Upserts by (cve, technique, type); the sources of an existing row and of `mapping` are
  // united, so importing a second set that agrees adds its name. Returns true when new.
  static bool PutMapping(WriteTxn& txn, const model::CveMapping& mapping);
  // Every mapping in (cve, technique, type) order.
  static void ForEachMapping(const ReadTxn& txn, const std::function<void(const model::CveMapping&)>& fn);
  // The mappings of one CVE (none when it has no mapping).
  static void ForEachMappingOf(const ReadTxn& txn, std::string_view cve,
                               const std::function<void(const model::CveMapping&)>& fn);

  // Upserts by CVE (a newer catalog replaces an older one's entry).
  static void PutKev(WriteTxn& txn, const model::KevEntry& entry);
  // nullopt when the CVE is not in the loaded KEV catalog.
  static std::optional<model::KevEntry> FindKev(const ReadTxn& txn, std::string_view cve);
  static void ForEachKev(const ReadTxn& txn, const std::function<void(const model::KevEntry&)>& fn);

  // True when the CVE has a mapping or a KEV entry (otherwise it is an "unknown CVE").
  static bool IsKnown(const ReadTxn& txn, std::string_view cve);
};

}  // namespace tidemark::store
