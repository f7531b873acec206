// The normalised incident record as JSON, shared by every command that shows incidents
// (`tidemark incidents --json`, `tidemark incident ID`): id, title, source, created, closed,
// status, classification, severity, techniques [{id, name, tactic, revoked_from, outcome,
// deprecated}],
// unknown_techniques, assets [{id, type, name}], threats, and `extra` when the native record
// had unknown keys. Names and the deprecated flag come from the loaded ATT&CK data (cached per
// technique, so rendering many incidents stays cheap). Every field but a technique's is written
// by the stored record's writer (model::WriteIncidentFields). Not thread-safe; must not outlive
// `txn`.
#pragma once

#include <string>
#include <unordered_map>

#include "engine/core/json.h"
#include "engine/graph/defense_graph.h"
#include "engine/model/incident.h"
#include "engine/store/store.h"

namespace tidemark::report {

class IncidentRecordWriter {
 public:
  // `txn` may be nullptr: techniques are then written without names.
  explicit IncidentRecordWriter(const store::ReadTxn* txn) : txn_(txn) {}
  // Names and flags from a built graph (scope views, which hold no transaction).
  explicit IncidentRecordWriter(const graph::DefenseGraph* graph) : txn_(nullptr), graph_(graph) {}

  // Writes the record's fields (keys and values) into an object the caller has started, so
  // a command can nest the record or add fields of its own. W is JsonWriter or PrettyJsonWriter.
  template <typename W>
  void WriteFields(W& w, const model::Incident& incident);
  // The record as one JSON object.
  template <typename W>
  void Write(W& w, const model::Incident& incident) {
    w.StartObject();
    WriteFields(w, incident);
    w.EndObject();
  }

 private:
  struct TechniqueInfo {
    std::string name;
    bool deprecated = false;
  };
  const TechniqueInfo& Lookup(const std::string& id);

  const store::ReadTxn* txn_;
  const graph::DefenseGraph* graph_ = nullptr;
  std::unordered_map<std::string, TechniqueInfo> techniques_;
};

// Convenience: the record as a compact JSON string.
std::string IncidentRecordJson(const model::Incident& incident, const store::ReadTxn* txn);

}  // namespace tidemark::report
