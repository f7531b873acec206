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
#include "engine/graph/defense_graph.h"
#include "engine/report/text_table.h"
#include "engine/scoring/scorer.h"
#include "engine/store/attack_catalog.h"
#include "engine/store/org_catalog.h"
#include "engine/report/number_format.h"

namespace tidemark::report {
namespace {

using model::AttackKind;
using store::AttackCatalog;
using store::OrgCatalog;


std::vector<model::PostureRecord> PostureOf(const store::ReadTxn& txn, std::string_view control) {
  std::vector<model::PostureRecord> records;
  OrgCatalog::ForEachPostureOf(txn, control, [&](const model::PostureRecord& r) { records.push_back(r); });
  return records;
}

std::string AttackNameOf(const store::ReadTxn& txn, AttackKind kind, const std::string& id) {
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
  w.Key("owner");
  if (c.owner.empty()) w.Null(); else WriteString(w, c.owner);
  w.Key("due");
  if (c.due) WriteString(w, FormatDate(*c.due)); else w.Null();
  w.Key("deprecated");
  w.Bool(c.deprecated);
}

template <typename W>
void WriteState(W& w, const ControlState& state) {
  WriteField(w, "status", model::ControlStatusName(state.status));
  w.Key("implemented");
  w.Double(RoundScore(state.implemented));
  w.Key("has_record");
  w.Bool(state.has_record);
}

// "2026-03-10", with " (overdue)" when it is at τ; "-" without a due date.
std::string DueText(const model::Control& c, const ControlState& state, TimeMs tau) {
  if (!c.due) return "-";
  return FormatDate(*c.due) + (model::IsOverdue(c, state.implemented, tau) ? " (overdue)" : "");
}

bool Matches(const std::string& filter, const std::string& value) {
  return filter.empty() || EqualsIgnoreCase(filter, value) || (!FoldEnum(filter).empty() && FoldEnum(filter) == FoldEnum(value));
}

}  // namespace

namespace {

// The rows of C(t) that belong to `control`, over every technique it could reach.
std::vector<ReachRow> ReachRows(const graph::DefenseGraph& graph, scoring::Scorer& scorer, graph::Vertex control) {
  std::vector<ReachRow> rows;
  for (graph::Vertex technique : graph.TechniquesNear(control)) {
    for (const auto& reach : scorer.ControlsOf(technique)) {
      if (reach.control != control) continue;
      rows.push_back({graph.props(technique).id, reach.type, reach.strength, reach.via, "", ""});
    }
  }
  std::sort(rows.begin(), rows.end(), [](const ReachRow& a, const ReachRow& b) {
    return std::tie(a.technique, a.type) < std::tie(b.technique, b.type);
  });
  return rows;
}

}  // namespace

std::vector<ReachRow> ReachOf(const store::ReadTxn& txn, const model::Control& control) {
  graph::DefenseGraph graph = graph::DefenseGraph::Build(txn, /*with_threats=*/false, /*with_posture=*/false);
  scoring::Scorer scorer(graph);
  auto vertex = graph.Control(control.id);
  if (!vertex) return {};
  std::vector<ReachRow> rows = ReachRows(graph, scorer, *vertex);
  // Direct rows name the mapping set they came from and the revoked ID the set used.
  OrgCatalog::ForEachMappingOf(txn, control.id, [&](const model::Mapping& m) {
    for (auto& row : rows) {
      if (row.via == "direct" && row.technique == m.technique && row.type == m.type && row.source.empty()) {
        row.source = m.source;
        row.revoked_from = m.revoked_from;
      }
    }
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
    if (!names.count(row.technique)) names[row.technique] = AttackNameOf(txn, AttackKind::kTechnique, row.technique);
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
      WriteField(w, "name", AttackNameOf(txn, AttackKind::kMitigation, m));
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
    w.Key("overdue");
    w.Bool(model::IsOverdue(*control, state.implemented, tau));
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
    return BufferString(buf);
  }

  std::vector<std::string> mitigation_list;
  for (const auto& m : control->mitigations) mitigation_list.push_back(m + " " + AttackNameOf(txn, AttackKind::kMitigation, m));
  std::vector<std::pair<std::string, std::string>> fields = {{"Control", control->id + " " + Printable(control->title)}};
  for (auto [label, value] : {std::pair<const char*, const std::string*>{"Product", &control->product},
                              {"Category", &control->category},
                              {"License", &control->license},
                              {"Remediation type", &control->remediation_type},
                              {"Source", &control->source}}) {
    if (!value->empty()) fields.push_back({label, Printable(*value)});
  }
  if (control->max_points) {
    fields.push_back({"Max points", FormatFraction(*control->max_points) +
                                        (control->deprecated ? " (deprecated: not in the posture score)" : "")});
  }
  if (!control->owner.empty()) fields.push_back({"Owner", Printable(control->owner)});
  if (control->due) fields.push_back({"Due", DueText(*control, state, tau)});
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
  graph::DefenseGraph graph = graph::DefenseGraph::Build(txn, /*with_threats=*/false, /*with_posture=*/false);
  scoring::Scorer scorer(graph);
  std::vector<Row> rows;
  OrgCatalog::ForEachControl(txn, [&](const model::Control& c) {
    if (!Matches(filters.product, c.product) || !Matches(filters.category, c.category) ||
        !Matches(filters.license, c.license) || !Matches(filters.remediation_type, c.remediation_type)) {
      return;
    }
    ControlState state = StateAt(PostureOf(txn, c.id), tau);
    if (filters.status && state.status != *filters.status) return;
    if (!filters.owner.empty() && !EqualsIgnoreCase(filters.owner, c.owner)) return;
    if (filters.overdue && !model::IsOverdue(c, state.implemented, tau)) return;
    // The same count as the card's "protected" techniques: counted rows of C(t).
    std::set<std::string> techniques;
    if (auto vertex = graph.Control(c.id)) {
      for (const auto& row : ReachRows(graph, scorer, *vertex)) {
        if (row.counted()) techniques.insert(row.technique);
      }
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
      w.Key("overdue");
      w.Bool(model::IsOverdue(row.control, row.state.implemented, tau));
      w.Key("techniques");
      w.Uint64(row.techniques);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return BufferString(buf);
  }
  TextTable table({"id", "title", "product", "category", "license", "status", "impl", "owner", "due", "techniques"});
  for (const auto& row : rows) {
    std::string title = Printable(row.control.title);
    if (title.size() > 60) {
      size_t cut = 57;
      while (cut > 0 && (static_cast<unsigned char>(title[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
      title = title.substr(0, cut) + "...";
    }
    table.AddRow({Printable(row.control.id), title, Printable(row.control.product), Printable(row.control.category),
                  Printable(row.control.license), std::string(model::ControlStatusName(row.state.status)),
                  FormatFraction(row.state.implemented), row.control.owner.empty() ? "-" : Printable(row.control.owner),
                  DueText(row.control, row.state, tau), std::to_string(row.techniques)});
  }
  return table.empty() ? "(no controls match)\n" : table.Render();
}

}  // namespace tidemark::report
