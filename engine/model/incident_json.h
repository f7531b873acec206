// The one writer of an incident record's JSON fields, in the one order: id, title, source,
// created, closed, status, classification, severity, techniques, unknown_techniques,
// unknown_blocked (when any), assets, threats, extra (when the native record had unknown keys).
// The stored record (model::ToJson) and the record commands show (report::IncidentRecordWriter,
// `incident ID --json` and `incidents --json`) both write through it and differ only in each
// technique entry's fields, which the caller writes. Header-only template (kept out of
// incident.h so that the model header stays free of RapidJSON); thread-compatible.
#pragma once

#include "engine/core/json.h"
#include "engine/model/incident.h"

namespace tidemark::model {

// Writes `inc`'s keys and values into an object the caller has started. `technique_fields(w,
// technique)` writes the keys and values of one entry of "techniques" (the object is started
// and ended here). W is JsonWriter or PrettyJsonWriter.
template <typename W, typename TechniqueFields>
void WriteIncidentFields(W& w, const Incident& inc, TechniqueFields&& technique_fields) {
  WriteField(w, "id", inc.id);
  WriteField(w, "title", inc.title);
  WriteField(w, "source", inc.source);
  w.Key("created");
  if (inc.created) WriteString(w, FormatIsoTime(*inc.created)); else w.Null();
  w.Key("closed");
  if (inc.closed) WriteString(w, FormatIsoTime(*inc.closed)); else w.Null();
  WriteField(w, "status", inc.status);
  WriteField(w, "classification", ClassificationName(inc.classification));
  w.Key("severity");
  if (inc.severity.empty()) w.Null(); else WriteString(w, inc.severity);
  w.Key("techniques");
  w.StartArray();
  for (const IncidentTechnique& technique : inc.techniques) {
    w.StartObject();
    technique_fields(w, technique);
    w.EndObject();
  }
  w.EndArray();
  WriteStrings(w, "unknown_techniques", inc.unknown_techniques);
  if (!inc.unknown_blocked.empty()) WriteStrings(w, "unknown_blocked", inc.unknown_blocked);
  w.Key("assets");
  w.StartArray();
  for (const AssetRef& asset : inc.assets) {
    w.StartObject();
    WriteField(w, "id", asset.id);
    WriteField(w, "type", asset.type);
    WriteFieldIfSet(w, "name", asset.name);
    w.EndObject();
  }
  w.EndArray();
  WriteStrings(w, "threats", inc.threats);
  if (!inc.extra_json.empty()) {
    w.Key("extra");
    w.RawValue(inc.extra_json.data(), inc.extra_json.size(), rapidjson::kObjectType);
  }
}

}  // namespace tidemark::model
