#include "engine/report/incident_record.h"

#include "engine/model/incident_json.h"
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
  // The shown technique entry: the stored one with the technique's name, a null tactic when
  // none is known, and the deprecated flag.
  model::WriteIncidentFields(w, inc, [this](W& out, const model::IncidentTechnique& technique) {
    const TechniqueInfo& info = Lookup(technique.id);
    WriteField(out, "id", technique.id);
    WriteFieldIfSet(out, "name", info.name);
    out.Key("tactic");
    if (technique.tactic.empty()) out.Null(); else WriteString(out, technique.tactic);
    WriteFieldIfSet(out, "revoked_from", technique.revoked_from);
    WriteField(out, "outcome", model::TechniqueOutcomeName(technique.outcome));
    if (info.deprecated) {
      out.Key("deprecated");
      out.Bool(true);
    }
  });
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
