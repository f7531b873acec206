#include "importers/controls/posture_file.h"

#include <algorithm>
#include <map>
#include <set>

#include "engine/core/json.h"
#include "engine/store/org_catalog.h"
#include "importers/common/csv_table.h"
#include "importers/common/record_fields.h"

namespace tidemark::importers {
namespace {

using rapidjson::Value;

std::optional<TimeMs> SnapshotTime(std::string_view text) { return ParseIsoTime(text, DateOnly::kStartOfDay); }

// status + implemented of a record, from their text spellings.
Problem ReadState(std::string_view status, const std::optional<double>& implemented, model::PostureRecord& out) {
  if (status.empty()) return std::string("field \"status\" is missing");
  auto parsed = model::ParseControlStatus(status);
  if (!parsed) {
    return "field \"status\": " + Quote(status) +
           " is not a status (expected to-address, planned, risk-accepted, third-party, alternate-mitigation, completed)";
  }
  out.status = *parsed;
  out.implemented = implemented;
  return std::nullopt;
}

// "file:snapshots[2]", or "file" for a file holding one snapshot.
std::string Location(const std::string& file, const std::string& where) {
  return where.empty() ? file : file + ":" + where;
}

Status ParseNativeSnapshot(const Value& snapshot, const std::string& where, PostureFile& out) {
  if (!snapshot.IsObject()) return Status::BadInput(Location(out.file, where) + ": snapshot is not an object");
  std::string as_of_text;
  const Value* as_of_value = Member(snapshot, "as_of");
  if (!as_of_value || !as_of_value->IsString()) {
    return Status::BadInput(Location(out.file, where) + ": field \"as_of\" is missing or not a string (a date, 2026-03-01)");
  }
  as_of_text = as_of_value->GetString();
  auto as_of = SnapshotTime(as_of_text);
  if (!as_of) return Status::BadInput(Location(out.file, where) + ": field \"as_of\": " + Quote(as_of_text) + " is not a date");
  const Value* controls = Member(snapshot, "controls");
  if (!controls || !controls->IsArray()) {
    return Status::BadInput(Location(out.file, where) + ": field \"controls\" must be an array");
  }
  ++out.snapshots;
  std::set<std::string> seen;
  std::string prefix = where.empty() ? "" : where + ".";
  for (rapidjson::SizeType record_idx = 0; record_idx < controls->Size(); ++record_idx) {
    const Value& record = (*controls)[record_idx];
    std::string record_where = prefix + IndexPath("controls", record_idx);
    if (!record.IsObject()) {
      out.rejects.Add(out.file, record_where, "record is not an object");
      continue;
    }
    PostureDraft draft;
    draft.where = record_where;
    draft.record.as_of = *as_of;
    draft.record.source = FileStem(out.file);
    std::string status;
    std::optional<double> implemented;
    Problem problem = RequiredId(record, Member(record, "id") ? "id" : "control", draft.record.control);
    if (!problem) problem = OptionalString(record, "status", status);
    if (!problem) problem = OptionalNumber(record, "implemented", 0, 1, implemented);
    if (!problem) problem = ReadState(status, implemented, draft.record);
    if (!problem && !seen.insert(draft.record.control).second) {
      problem = "duplicate id " + Quote(draft.record.control) + " in this snapshot";
    }
    if (problem) {
      out.rejects.Add(out.file, record_where, *problem);
      continue;
    }
    out.drafts.push_back(std::move(draft));
  }
  return Status::Ok();
}

Status ParseGraphScores(const Value& entries, PostureFile& out) {
  out.format = "Graph secureScores";
  for (rapidjson::SizeType entry_idx = 0; entry_idx < entries.Size(); ++entry_idx) {
    const Value& entry = entries[entry_idx];
    std::string where = IndexPath("value", entry_idx);
    std::string created = StringOr(entry, "createdDateTime");
    auto as_of = SnapshotTime(created);
    if (!as_of) {
      return Status::BadInput(out.file + ":" + where + ": field \"createdDateTime\": " + Quote(created) + " is not a time");
    }
    const Value* scores = Member(entry, "controlScores");
    if (!scores || !scores->IsArray()) return Status::BadInput(out.file + ":" + where + ": field \"controlScores\" must be an array");
    ++out.snapshots;
    std::set<std::string> seen;
    for (rapidjson::SizeType row_idx = 0; row_idx < scores->Size(); ++row_idx) {
      const Value& row = (*scores)[row_idx];
      std::string row_where = where + "." + IndexPath("controlScores", row_idx);
      if (!row.IsObject()) {
        out.rejects.Add(out.file, row_where, "record is not an object");
        continue;
      }
      PostureDraft draft;
      draft.where = row_where;
      draft.record.as_of = *as_of;
      draft.record.source = FileStem(out.file);
      Problem problem = RequiredId(row, "controlName", draft.record.control);
      if (!problem) problem = OptionalNumber(row, "score", 0, 1e9, draft.graph_score);
      if (!problem && !draft.graph_score) problem = std::string("field \"score\" is missing");
      if (!problem && !seen.insert(draft.record.control).second) {
        problem = "duplicate controlName " + Quote(draft.record.control) + " in this snapshot";
      }
      if (problem) {
        out.rejects.Add(out.file, row_where, *problem);
        continue;
      }
      out.drafts.push_back(std::move(draft));
    }
  }
  return Status::Ok();
}

Status ParseCsvPosture(std::string_view text, PostureFile& out) {
  out.format = "CSV";
  auto table = ParseCsv(text, out.file);
  if (!table.ok()) return table.status();
  auto id_col = table->Column({"id", "control", "control_id", "controlname"});
  auto as_of_col = table->Column({"as_of", "date"});
  if (!id_col || !as_of_col) {
    return Status::BadInput(out.file + ": not a posture file: expected JSON ({\"as_of\", \"controls\"} or a Graph "
                                       "secureScores export) or CSV with the columns as_of, id, status, implemented");
  }
  auto status_col = table->Column({"status"});
  auto implemented_col = table->Column({"implemented"});
  std::set<std::pair<std::string, TimeMs>> seen;
  std::set<TimeMs> dates;
  for (const auto& row : table->rows) {
    std::string where = std::to_string(row.line);
    PostureDraft draft;
    draft.where = where;
    draft.record.source = FileStem(out.file);
    draft.record.control = CsvTable::Cell(row, id_col);
    std::string as_of_text = CsvTable::Cell(row, as_of_col);
    auto as_of = SnapshotTime(as_of_text);
    Problem problem = table->WidthProblem(row);
    if (auto id_problem = IdProblem(draft.record.control); !problem && id_problem) problem = "field \"id\" " + *id_problem;
    if (!problem && !as_of) problem = "field \"as_of\": " + Quote(as_of_text) + " is not a date";
    std::optional<double> implemented;
    std::string implemented_text = CsvTable::Cell(row, implemented_col);
    if (!problem && !implemented_text.empty()) {
      rapidjson::Document holder;
      holder.SetObject();
      holder.AddMember("implemented", rapidjson::Value(implemented_text.c_str(), holder.GetAllocator()), holder.GetAllocator());
      problem = OptionalNumber(holder, "implemented", 0, 1, implemented);
    }
    if (!problem) problem = ReadState(CsvTable::Cell(row, status_col), implemented, draft.record);
    if (!problem) {
      draft.record.as_of = *as_of;
      if (!seen.insert({draft.record.control, *as_of}).second) {
        problem = "duplicate id " + Quote(draft.record.control) + " for as_of " + as_of_text;
      }
    }
    if (problem) {
      out.rejects.Add(out.file, where, *problem);
      continue;
    }
    dates.insert(draft.record.as_of);
    out.drafts.push_back(std::move(draft));
  }
  out.snapshots = dates.size();
  return Status::Ok();
}

}  // namespace

Result<PostureFile> ParsePostureFile(std::string& text, const std::string& file) {
  PostureFile out;
  out.file = file;
  if (!LooksLikeJson(text)) {
    TM_RETURN_IF_ERROR(ParseCsvPosture(text, out));
    return out;
  }
  rapidjson::Document doc;
  TM_RETURN_IF_ERROR(ParseJson(text, doc, file));
  const Value* value = Member(doc, "value");
  if (value && value->IsArray()) {
    TM_RETURN_IF_ERROR(ParseGraphScores(*value, out));
    return out;
  }
  out.format = "native JSON";
  const Value* snapshots = doc.IsArray() ? &doc : Member(doc, "snapshots");
  if (snapshots && snapshots->IsArray()) {
    for (rapidjson::SizeType snapshot_idx = 0; snapshot_idx < snapshots->Size(); ++snapshot_idx) {
      TM_RETURN_IF_ERROR(ParseNativeSnapshot((*snapshots)[snapshot_idx], IndexPath(doc.IsArray() ? "" : "snapshots", snapshot_idx), out));
    }
    return out;
  }
  if (!doc.IsObject() || !doc.HasMember("controls")) {
    return Status::BadInput(file + ": not a posture file: expected {\"as_of\": DATE, \"controls\": [...]}, an array of "
                                   "snapshots, or a Graph secureScores export {\"value\": [...]}");
  }
  TM_RETURN_IF_ERROR(ParseNativeSnapshot(doc, "", out));
  return out;
}

std::vector<model::PostureRecord> ResolvePosture(const store::ReadTxn& txn, PostureFile& file) {
  std::map<std::string, std::optional<model::Control>> controls;
  std::vector<model::PostureRecord> records;
  for (auto& draft : file.drafts) {
    auto known = controls.find(draft.record.control);
    if (known == controls.end()) {
      known = controls.emplace(draft.record.control, store::OrgCatalog::FindControl(txn, draft.record.control)).first;
    }
    if (!known->second) {
      file.rejects.Add(file.file, draft.where,
                       "control " + Quote(draft.record.control) +
                           " is not in the store (import its catalog first: `tidemark import controls`)");
      continue;
    }
    if (draft.graph_score) {
      const auto& max_points = known->second->max_points;
      if (!max_points || *max_points <= 0) {
        file.rejects.Add(file.file, draft.where,
                         "control " + Quote(draft.record.control) +
                             " has no maxScore (import its secureScoreControlProfiles first)");
        continue;
      }
      double implemented = std::min(1.0, *draft.graph_score / *max_points);
      draft.record.implemented = implemented;
      draft.record.status = implemented >= 1.0 ? model::ControlStatus::kCompleted : model::ControlStatus::kToAddress;
    }
    records.push_back(draft.record);
  }
  return records;
}

}  // namespace tidemark::importers
