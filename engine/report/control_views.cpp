#include "engine/report/control_views.h"

#include <algorithm>
#include <cstdio>
#include <tuple>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "engine/core/ids.h"
#include "engine/core/json.h"
#include "engine/report/text_table.h"
#include "engine/store/attack_catalog.h"
#include "engine/store/org_catalog.h"

namespace tidemark::report {
namespace {

using model::AttackKind;
using store::AttackCatalog;
using store::OrgCatalog;

std::string Finish(rapidjson::StringBuffer& buf) { return std::string(buf.GetString(), buf.GetSize()); }

std::string FormatFraction(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", value);
  return buf;
}

// Techniques a mitigation mitigates, looked up once per view.
class MitigationTechniques {
 public:
  explicit MitigationTechniques(const store::ReadTxn& txn) : txn_(txn) {}
  const std::vector<std::string>& Of(const std::string& mitigation) {
    auto it = cache_.find(mitigation);
    if (it != cache_.end()) return it->second;
    std::vector<std::string> techniques;
    auto found = AttackCatalog::Find(txn_, AttackKind::kMitigation, mitigation);
    if (found && !found->revoked) techniques = found->techniques;
    return cache_.emplace(mitigation, std::move(techniques)).first->second;
  }

 private:
  const store::ReadTxn& txn_;
  std::unordered_map<std::string, std::vector<std::string>> cache_;
};

// Direct and mitigation rows, strongest path per (technique, type).
std::map<std::pair<std::string, model::MappingType>, ReachRow> OwnReach(const store::ReadTxn& txn,
                                                                       const model::Control& control,
                                                                       MitigationTechniques& mitigations) {
  std::map<std::pair<std::string, model::MappingType>, ReachRow> rows;
  auto offer = [&](ReachRow row) {
    auto key = std::make_pair(row.technique, row.type);
    auto it = rows.find(key);
    if (it == rows.end()) {
      rows.emplace(key, std::move(row));
    } else if (row.strength > it->second.strength) {
      it->second = std::move(row);
    }
  };
  OrgCatalog::ForEachMappingOf(txn, control.id, [&](const model::Mapping& m) {
    offer({m.technique, m.type, m.strength, "direct", m.revoked_from, m.source});
  });
  for (const auto& mitigation : control.mitigations) {
    for (const auto& technique : mitigations.Of(mitigation)) {
      offer({technique, model::MappingType::kProtect, 1.0, "mitigation:" + mitigation, "", ""});
    }
  }
  return rows;
}

// Techniques some control protects (C(t) non-empty), over the whole store.
std::unordered_set<std::string> ProtectedTechniques(const store::ReadTxn& txn, MitigationTechniques& mitigations) {
  std::unordered_set<std::string> out;
  OrgCatalog::ForEachMapping(txn, [&](const model::Mapping& m) {
    if (m.type == model::MappingType::kProtect) out.insert(m.technique);
  });
  std::set<std::string> used;
  OrgCatalog::ForEachControl(txn, [&](const model::Control& c) { used.insert(c.mitigations.begin(), c.mitigations.end()); });
  for (const auto& mitigation : used) {
    for (const auto& technique : mitigations.Of(mitigation)) out.insert(technique);
  }
  return out;
}

std::vector<model::PostureRecord> PostureOf(const store::ReadTxn& txn, std::string_view control) {
  std::vector<model::PostureRecord> records;
  OrgCatalog::ForEachPostureOf(txn, control, [&](const model::PostureRecord& r) { records.push_back(r); });
  return records;
}

std::string NameOf(const store::ReadTxn& txn, AttackKind kind, const std::string& id) {
  auto found = AttackCatalog::Find(txn, kind, id);
  return found ? found->name : "";
}

template <typename W>
void WriteControlFields(W& w, const model::Control& c) {
  WriteField(w, "id", c.id);
  WriteField(w, "title", c.title);
  WriteField(w, "product", c.product);
  WriteField(w, "category", c.category);
  WriteField(w, "license", c.license);
  WriteField(w, "remediation_type", c.remediation_type);
  w.Key("max_points");
  if (c.max_points) {
    w.Double(*c.max_points);
  } else {
    w.Null();
  }
}

template <typename W>
void WriteState(W& w, const ControlState& state) {
  WriteField(w, "status", model::ControlStatusName(state.status));
  w.Key("implemented");
  w.Double(RoundScore(state.implemented));
  w.Key("has_record");
  w.Bool(state.has_record);
}

bool Matches(const std::string& filter, const std::string& value) {
  return filter.empty() || EqualsIgnoreCase(filter, value) || (!FoldEnum(filter).empty() && FoldEnum(filter) == FoldEnum(value));
}

}  // namespace

ControlState StateAt(const std::vector<model::PostureRecord>& records, TimeMs tau) {
  ControlState state;
  for (const auto& record : records) {
    if (record.as_of > tau) break;
    state.status = record.status;
    state.implemented = model::ImplementedFraction(record);
    state.has_record = true;
  }
  return state;
}

std::vector<ReachRow> ReachOf(const store::ReadTxn& txn, const model::Control& control) {
  MitigationTechniques mitigations(txn);
  auto own = OwnReach(txn, control, mitigations);
  std::unordered_set<std::string> protected_techniques;
  bool protected_loaded = false;
  std::vector<ReachRow> parent_rows;
  for (const auto& [key, row] : own) {
    if (!row.counted()) continue;
    auto technique = AttackCatalog::Find(txn, AttackKind::kTechnique, row.technique);
    if (!technique || technique->subtechniques.empty()) continue;
    if (!protected_loaded) {
      protected_techniques = ProtectedTechniques(txn, mitigations);
      protected_loaded = true;
    }
    for (const auto& sub : technique->subtechniques) {
      if (protected_techniques.count(sub)) continue;  // the sub has controls of its own
      parent_rows.push_back({sub, model::MappingType::kProtect, row.strength, "parent", "", ""});
    }
  }
  std::vector<ReachRow> rows;
  for (auto& [key, row] : own) rows.push_back(std::move(row));
  for (auto& row : parent_rows) rows.push_back(std::move(row));
  std::sort(rows.begin(), rows.end(), [](const ReachRow& a, const ReachRow& b) {
    return std::tie(a.technique, a.type) < std::tie(b.technique, b.type);
  });
  return rows;
}

Result<std::string> ControlCard(const store::ReadTxn& txn, std::string_view id, TimeMs tau, Format format) {
  auto control = OrgCatalog::FindControl(txn, id);
  if (!control) {
    return Status::NotFound("control \"" + std::string(id) + "\" is not in the store (see `tidemark controls`)");
  }
  auto history = PostureOf(txn, control->id);
  ControlState state = StateAt(history, tau);
  auto reach = ReachOf(txn, *control);
  std::map<std::string, std::string> names;
  for (const auto& row : reach) {
    if (!names.count(row.technique)) names[row.technique] = NameOf(txn, AttackKind::kTechnique, row.technique);
  }
  size_t counted = 0;
  for (const auto& row : reach) counted += row.counted();

  if (format == Format::kJson) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    WriteControlFields(w, *control);
    w.Key("mitigations");
    w.StartArray();
    for (const auto& m : control->mitigations) {
      w.StartObject();
      WriteField(w, "id", m);
      WriteField(w, "name", NameOf(txn, AttackKind::kMitigation, m));
      w.EndObject();
    }
    w.EndArray();
    WriteField(w, "source", control->source);
    if (!control->extra_json.empty()) {
      w.Key("extra");
      w.RawValue(control->extra_json.data(), control->extra_json.size(), rapidjson::kObjectType);
    }
    WriteField(w, "as_of", FormatIsoTime(tau));
    WriteState(w, state);
    w.Key("history");
    w.StartArray();
    for (const auto& record : history) {
      w.StartObject();
      WriteField(w, "as_of", FormatIsoTime(record.as_of));
      WriteField(w, "status", model::ControlStatusName(record.status));
      w.Key("implemented");
      w.Double(RoundScore(model::ImplementedFraction(record)));
      if (record.implemented) {
        w.Key("implemented_given");
        w.Double(*record.implemented);
      }
      WriteField(w, "source", record.source);
      w.EndObject();
    }
    w.EndArray();
    w.Key("counted_techniques");
    w.Uint64(counted);
    w.Key("techniques");
    w.StartArray();
    for (const auto& row : reach) {
      w.StartObject();
      WriteField(w, "id", row.technique);
      WriteField(w, "name", names[row.technique]);
      WriteField(w, "type", model::MappingTypeName(row.type));
      w.Key("strength");
      w.Double(RoundScore(row.strength));
      WriteField(w, "via", row.via);
      w.Key("counted");
      w.Bool(row.counted());
      WriteFieldIfSet(w, "revoked_from", row.revoked_from);
      WriteFieldIfSet(w, "source", row.source);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return Finish(buf);
  }

  std::vector<std::string> mitigation_list;
  for (const auto& m : control->mitigations) mitigation_list.push_back(m + " " + NameOf(txn, AttackKind::kMitigation, m));
  std::vector<std::pair<std::string, std::string>> fields = {{"Control", control->id + " " + Printable(control->title)}};
  for (auto [label, value] : {std::pair<const char*, const std::string*>{"Product", &control->product},
                              {"Category", &control->category},
                              {"License", &control->license},
                              {"Remediation type", &control->remediation_type},
                              {"Source", &control->source}}) {
    if (!value->empty()) fields.push_back({label, Printable(*value)});
  }
  if (control->max_points) fields.push_back({"Max points", FormatFraction(*control->max_points)});
  if (!mitigation_list.empty()) fields.push_back({"Implements", JoinList(mitigation_list, "\n")});
  fields.push_back({"As of", FormatIsoTime(tau)});
  fields.push_back({"Status", std::string(model::ControlStatusName(state.status)) + (state.has_record ? "" : " (no posture record)")});
  fields.push_back({"Implemented", FormatFraction(state.implemented)});
  fields.push_back({"Techniques", std::to_string(counted) + " protected, " + std::to_string(reach.size() - counted) +
                                      " detect/respond (shown, not counted)"});
  std::string out = RenderFields(fields);
  if (!history.empty()) {
    TextTable table({"as of", "status", "implemented", "source"});
    for (const auto& record : history) {
      table.AddRow({FormatIsoTime(record.as_of), std::string(model::ControlStatusName(record.status)),
                    FormatFraction(model::ImplementedFraction(record)), Printable(record.source)});
    }
    out += "\nHistory\n" + table.Render();
  }
  if (!reach.empty()) {
    TextTable table({"technique", "name", "type", "strength", "via", "counted"});
    for (const auto& row : reach) {
      table.AddRow({row.technique, names[row.technique], std::string(model::MappingTypeName(row.type)),
                    FormatFraction(row.strength), row.via, row.counted() ? "yes" : "no"});
    }
    out += "\nTechniques\n" + table.Render();
  }
  return out;
}

std::string ControlList(const store::ReadTxn& txn, const ControlFilters& filters, TimeMs tau, Format format) {
  struct Row {
    model::Control control;
    ControlState state;
    size_t techniques = 0;
  };
  MitigationTechniques mitigations(txn);
  std::vector<Row> rows;
  OrgCatalog::ForEachControl(txn, [&](const model::Control& c) {
    if (!Matches(filters.product, c.product) || !Matches(filters.category, c.category) ||
        !Matches(filters.license, c.license) || !Matches(filters.remediation_type, c.remediation_type)) {
      return;
    }
    ControlState state = StateAt(PostureOf(txn, c.id), tau);
    if (filters.status && state.status != *filters.status) return;
    std::set<std::string> techniques;
    OrgCatalog::ForEachMappingOf(txn, c.id, [&](const model::Mapping& m) {
      if (m.type == model::MappingType::kProtect) techniques.insert(m.technique);
    });
    for (const auto& m : c.mitigations) {
      const auto& reached = mitigations.Of(m);
      techniques.insert(reached.begin(), reached.end());
    }
    rows.push_back({c, state, techniques.size()});
  });
  if (format == Format::kJson) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    WriteField(w, "as_of", FormatIsoTime(tau));
    w.Key("controls");
    w.StartArray();
    for (const auto& row : rows) {
      w.StartObject();
      WriteControlFields(w, row.control);
      WriteState(w, row.state);
      w.Key("techniques");
      w.Uint64(row.techniques);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return Finish(buf);
  }
  TextTable table({"id", "title", "product", "category", "license", "status", "impl", "techniques"});
  for (const auto& row : rows) {
    std::string title = Printable(row.control.title);
    if (title.size() > 60) {
      size_t cut = 57;
      while (cut > 0 && (static_cast<unsigned char>(title[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
      title = title.substr(0, cut) + "...";
    }
    table.AddRow({Printable(row.control.id), title, Printable(row.control.product), Printable(row.control.category),
                  Printable(row.control.license), std::string(model::ControlStatusName(row.state.status)),
                  FormatFraction(row.state.implemented), std::to_string(row.techniques)});
  }
  return table.empty() ? "(no controls match)\n" : table.Render();
}

}  // namespace tidemark::report
