// Typed access to the organisation's side of the store: controls, mappings, posture records,
// assets (databases `controls`, `mappings`, `posture`, `assets`; keys in key_codec.h).
// Stateless; the transactions it is given decide consistency.
#pragma once

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/model/control.h"
#include "engine/store/store.h"

namespace tidemark::store {

// A mapping set: the rows stored under one `source` name (model::Mapping::source), and where
// they came from. The set name is the set's identity: importing a set of the same name
// replaces its rows (importers/controls/mapping_set.h says how a file's set is named).
struct MappingSetInfo {
  std::string name = {};
  std::string file = {};    // the file last imported as this set (absolute path); "" when unknown
  std::string format = {};  // "native JSON", "CSV", "CTID Mappings Explorer", "catalog (...)"
  size_t mappings = 0;          // rows stored under the name now
  size_t controls = 0;          // distinct controls among them
  size_t mitigation_links = 0;  // "control implements mitigation" rows the last import added
};

// One stored mapping row as the defence graph reads it: views into the transaction's pages
// (valid while it lives) instead of a model::Mapping with its own strings.
struct MappingEdge {
  std::string_view control;
  std::string_view technique;
  std::string_view source;
  model::MappingType type = model::MappingType::kProtect;
  double strength = 1.0;
};

class OrgCatalog {
 public:
  // Upserts by id.
  static void PutControl(WriteTxn& txn, const model::Control& control);
  // nullopt when absent.
  static std::optional<model::Control> FindControl(const ReadTxn& txn, std::string_view id);
  // Every control in id (byte) order.
  static void ForEachControl(const ReadTxn& txn, const std::function<void(const model::Control&)>& fn);

  // Upserts by (control, technique, type, source): re-importing a set replaces its rows.
  static void PutMapping(WriteTxn& txn, const model::Mapping& mapping);
  // Deletes the row of `mapping`'s (control, technique, type, source); false when absent.
  static bool RemoveMapping(WriteTxn& txn, const model::Mapping& mapping);
  // Every mapping, ordered by control then technique.
  static void ForEachMapping(const ReadTxn& txn, const std::function<void(const model::Mapping&)>& fn);
  // Every mapping as a MappingEdge, in the same order and with the same values as
  // ForEachMapping: control, technique, type and source from the key, the strength read from
  // the value without building a document (40,000 rows of a 5,000-control catalog as JSON
  // documents were 9 % of `threat all`). Throws StoreFailure on a record that does not parse.
  static void ForEachMappingEdge(const ReadTxn& txn, const std::function<void(const MappingEdge&)>& fn);
  // The mappings of one control.
  static void ForEachMappingOf(const ReadTxn& txn, std::string_view control,
                               const std::function<void(const model::Mapping&)>& fn);

  // Deletes every mapping whose `source` is `source` (a scan of the mappings database);
  // returns how many. Used so re-importing a mapping set replaces its rows.
  static size_t RemoveMappingsFromSource(WriteTxn& txn, std::string_view source);
  // Deletes the mappings of `control` whose source is `source`; returns how many.
  static size_t RemoveMappingsOf(WriteTxn& txn, std::string_view control, std::string_view source);

  // Records where set `info.name` came from (meta "mapping_sets"; its counts are not stored).
  static void PutMappingSet(WriteTxn& txn, const MappingSetInfo& info);
  // The recorded origin of set `name` (counts zero), or nullopt when none was recorded (a set
  // imported before sets were recorded, or never imported).
  static std::optional<MappingSetInfo> FindMappingSet(const ReadTxn& txn, std::string_view name);
  // Every set that has rows or a recorded origin, by name, with its counts (one scan of the
  // mappings database).
  static std::vector<MappingSetInfo> MappingSets(const ReadTxn& txn);

  // Upserts by (control, as_of).
  static void PutPosture(WriteTxn& txn, const model::PostureRecord& record);
  // Every posture record, ordered by control then as_of.
  static void ForEachPosture(const ReadTxn& txn, const std::function<void(const model::PostureRecord&)>& fn);
  // One control's records in as_of order.
  static void ForEachPostureOf(const ReadTxn& txn, std::string_view control,
                               const std::function<void(const model::PostureRecord&)>& fn);

  // The control's latest record with as_of <= tau (one cursor seek), or nullopt.
  static std::optional<model::PostureRecord> PostureAt(const ReadTxn& txn, std::string_view control, TimeMs tau);

  static void PutAsset(WriteTxn& txn, const model::Asset& asset);
  static std::optional<model::Asset> FindAsset(const ReadTxn& txn, std::string_view id);
  static void ForEachAsset(const ReadTxn& txn, const std::function<void(const model::Asset&)>& fn);
};

}  // namespace tidemark::store
