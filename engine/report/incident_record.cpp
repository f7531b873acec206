#include "engine/report/incident_record.h"

#include "engine/store/attack_catalog.h"

namespace tidemark::report {

const IncidentRecordWriter::TechniqueInfo& IncidentRecordWriter::Lookup(const std::string& id) {
  auto it = techniques_.find(id);
  if (it != techniques_.end()) return it->second;
  TechniqueInfo info;
  if (graph_ != nullptr) {
    if (auto vertex = graph_->Technique(id)) {
      info.name = graph_->props(*vertex).name;
      info.deprecated = graph_->props(*vertex).deprecated;
    }
  } else if (txn_ != nullptr) {
    if (auto object = store::AttackCatalog::Find(*txn_, model::AttackKind::kTechnique, id)) {
      info.name = object->name;
      info.deprecated = object->deprecated;
    }
  }
  return techniques_.emplace(id, std::move(info)).first->second;
}

template <typename W>
void IncidentRecordWriter::WriteFields(W& w, const model::Incident& inc) {
  WriteField(w, "id", inc.id);
  WriteField(w, "title", inc.title);
  WriteField(w, "source", inc.source);
  w.Key("created");
  if (inc.created) WriteString(w, FormatIsoTime(*inc.created)); else w.Null();
  w.Key("closed");
  if (inc.closed) WriteString(w, FormatIsoTime(*inc.closed)); else w.Null();
  WriteField(w, "status", inc.status);
  WriteField(w, "classification", model::ClassificationName(inc.classification));
  w.Key("severity");
  if (inc.severity.empty()) w.Null(); else WriteString(w, inc.severity);
  w.Key("techniques");
  w.StartArray();
  for (const auto& technique : inc.techniques) {
    const TechniqueInfo& info = Lookup(technique.id);
    w.StartObject();
    WriteField(w, "id", technique.id);
    WriteFieldIfSet(w, "name", info.name);
    w.Key("tactic");
    if (technique.tactic.empty()) w.Null(); else WriteString(w, technique.tactic);
    WriteFieldIfSet(w, "revoked_from", technique.revoked_from);
    WriteField(w, "outcome", model::TechniqueOutcomeName(technique.outcome));
    if (info.deprecated) {
      w.Key("deprecated");
      w.Bool(true);
    }
    w.EndObject();
  }
  w.EndArray();
  WriteStrings(w, "unknown_techniques", inc.unknown_techniques);
  if (!inc.unknown_blocked.empty()) WriteStrings(w, "unknown_blocked", inc.unknown_blocked);
  w.Key("assets");
  w.StartArray();
  for (const auto& asset : inc.assets) {
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

template void IncidentRecordWriter::WriteFields<JsonWriter>(JsonWriter&, const model::Incident&);
template void IncidentRecordWriter::WriteFields<PrettyJsonWriter>(PrettyJsonWriter&, const model::Incident&);

std::string IncidentRecordJson(const model::Incident& incident, const store::ReadTxn* txn) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  IncidentRecordWriter(txn).Write(w, incident);
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace tidemark::report
