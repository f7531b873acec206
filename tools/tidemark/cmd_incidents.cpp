// tidemark incidents [--since D] [--until D] [--status S] [--classification C] [--threat T]
// [--technique T] : the stored incidents, ordered by time (closed, else created; incidents with
// neither come last) then id. Filters combine with AND. --technique matches the technique and
// its sub-techniques (T1059 finds T1059.001) and follows revocations (T1086 finds T1059.001);
// --threat takes an ATT&CK ID, name or alias, or a custom threat name (case-insensitive).
// --since/--until bound the incident's time (a date alone: start/end of that day).
#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <set>

#include "engine/core/ids.h"
#include "engine/core/spelling.h"
#include "engine/report/incident_record.h"
#include "engine/report/text_table.h"
#include "engine/store/attack_catalog.h"
#include "engine/store/incident_catalog.h"
#include "tools/tidemark/command.h"

namespace tidemark::cli {
namespace {

struct Filters {
  std::string since, until, status, classification, threat, technique;
};

struct Matcher {
  std::optional<TimeMs> since, until;
  std::string status;
  std::optional<model::Classification> classification;
  std::string threat_id;    // resolved ATT&CK ID, or the text for a custom threat
  std::string technique;      // normalised, revocation resolved; empty for a non-ATT&CK ID
  std::string raw_technique;  // as given, matched against unknown_techniques (AML.T0040)
  bool custom_threat = false;  // threat_id is not an ATT&CK threat: must be named in an incident
  bool known_technique = false;  // technique is in the loaded ATT&CK data

  bool Matches(const model::Incident& inc) const {
    auto time = inc.Time();
    if (since && (!time || *time < *since)) return false;
    if (until && (!time || *time > *until)) return false;
    if (!status.empty() && inc.status != status) return false;
    if (classification && inc.classification != *classification) return false;
    if (!threat_id.empty() &&
        std::none_of(inc.threats.begin(), inc.threats.end(),
                     [&](const std::string& t) { return EqualsIgnoreCase(t, threat_id); }))
      return false;
    if (!raw_technique.empty()) {
      bool found = !technique.empty() && std::any_of(inc.techniques.begin(), inc.techniques.end(), [&](const auto& t) {
        return t.id == technique || (t.id.size() > technique.size() && t.id.compare(0, technique.size(), technique) == 0 &&
                                     t.id[technique.size()] == '.');
      });
      found = found || std::any_of(inc.unknown_techniques.begin(), inc.unknown_techniques.end(),
                                   [&](const std::string& t) { return EqualsIgnoreCase(t, raw_technique); });
      if (!found) return false;
    }
    return true;
  }
};

Result<Matcher> BuildMatcher(const Filters& f, const store::ReadTxn& txn) {
  Matcher m;
  if (!f.since.empty()) {
    m.since = ParseIsoTime(f.since, DateOnly::kStartOfDay);
    if (!m.since) return Status::Usage("--since: \"" + f.since + "\" is not a date (YYYY-MM-DD or ISO 8601)");
  }
  if (!f.until.empty()) {
    m.until = ParseIsoTime(f.until, DateOnly::kEndOfDay);
    if (!m.until) return Status::Usage("--until: \"" + f.until + "\" is not a date (YYYY-MM-DD or ISO 8601)");
  }
  if (m.since && m.until && *m.since > *m.until) {
    return Status::Usage("--since " + f.since + " is after --until " + f.until + "; swap them");
  }
  if (!f.status.empty()) {
    m.status = ToLower(f.status);
    if (m.status != "open" && m.status != "closed") return Status::Usage("--status: open or closed");
  }
  if (!f.classification.empty()) {
    m.classification = model::ParseClassification(f.classification);
    if (!m.classification) {
      return Status::Usage("--classification: one of true-positive, false-positive, benign-positive, undetermined");
    }
  }
  if (!f.threat.empty()) {
    auto found = store::AttackCatalog::FindThreat(txn, f.threat);
    m.threat_id = found ? found->id : f.threat;
    m.custom_threat = !found;
  }
  if (!f.technique.empty()) {
    m.raw_technique = f.technique;
    auto id = NormalizeTechniqueId(f.technique);
    if (id) {
      auto resolved = store::AttackCatalog::ResolveTechnique(txn, *id);
      m.technique = resolved.id;
      m.known_technique = resolved.kind != store::TechniqueResolution::Kind::kUnknown;
    }
  }
  return m;
}

RunFn SetupIncidents(CLI::App& app) {
  auto f = std::make_shared<Filters>();
  app.add_option("--since", f->since, "incidents whose time (closed, else created) is on or after DATE");
  app.add_option("--until", f->until, "incidents whose time is on or before DATE (a date: end of that day)");
  app.add_option("--status", f->status, "open or closed");
  app.add_option("--classification", f->classification,
                 "true-positive, false-positive, benign-positive or undetermined");
  app.add_option("--threat", f->threat, "ATT&CK ID, name or alias, or a custom threat name");
  app.add_option("--technique", f->technique, "technique ID (its sub-techniques match too)");
  return [f](Context& ctx) -> Status {
    auto store = ctx.OpenStore(false);
    if (!store.ok()) return store.status();
    auto txn = (*store)->Read();
    auto matcher = BuildMatcher(*f, txn);
    if (!matcher.ok()) return matcher.status();
    std::vector<model::Incident> found;
    std::set<std::string> threat_names, unknown_techniques;  // to tell "no match" from "no such"
    store::IncidentCatalog::ForEach(txn, [&](const model::Incident& inc) {
      if (matcher->Matches(inc)) found.push_back(inc);
      if (matcher->custom_threat) threat_names.insert(inc.threats.begin(), inc.threats.end());
      if (!matcher->known_technique) unknown_techniques.insert(inc.unknown_techniques.begin(), inc.unknown_techniques.end());
    });
    if (found.empty() && matcher->custom_threat) {
      std::vector<std::string> names(threat_names.begin(), threat_names.end());
      std::string message = "--threat: \"" + f->threat +
                            "\" is no ATT&CK group, campaign or software and no incident names it";
      if (auto closest = ClosestSpelling(f->threat, names)) message += "; did you mean \"" + *closest + "\"?";
      return Status::BadInput(message);
    }
    if (found.empty() && !f->technique.empty() && !matcher->known_technique) {
      std::vector<std::string> ids(unknown_techniques.begin(), unknown_techniques.end());
      if (std::none_of(ids.begin(), ids.end(), [&](const std::string& t) { return EqualsIgnoreCase(t, f->technique); })) {
        return Status::BadInput("--technique: \"" + f->technique +
                                "\" is not a technique of the loaded ATT&CK data nor one named in an incident "
                                "(`tidemark search TEXT` finds technique IDs)");
      }
    }
    constexpr TimeMs kNoTime = std::numeric_limits<TimeMs>::max();
    std::stable_sort(found.begin(), found.end(), [&](const auto& a, const auto& b) {
      return a.Time().value_or(kNoTime) < b.Time().value_or(kNoTime);
    });
    if (ctx.options.json) {
      rapidjson::StringBuffer buf;
      PrettyJsonWriter w(buf);
      w.SetIndent(' ', 2);
      report::IncidentRecordWriter writer(&txn);
      w.StartObject();
      w.Key("incidents");
      w.StartArray();
      for (const auto& inc : found) writer.Write(w, inc);
      w.EndArray();
      w.EndObject();
      ctx.Print(std::string_view(buf.GetString(), buf.GetSize()));
      ctx.Print("\n");
      return Status::Ok();
    }
    report::TextTable table({"ID", "TIME", "STATUS", "CLASSIFICATION", "SEVERITY", "TECHNIQUES", "TITLE"});
    bool any_unknown = false;
    for (const auto& inc : found) {
      std::vector<std::string> ids;
      for (const auto& t : inc.techniques) ids.push_back(t.id);
      for (const auto& t : inc.unknown_techniques) ids.push_back(report::UnknownIdMark(t));
      any_unknown |= !inc.unknown_techniques.empty();
      auto time = inc.Time();
      table.AddRow({report::Printable(inc.id), time ? FormatIsoTime(*time) : "-", inc.status,
                    std::string(model::ClassificationName(inc.classification)),
                    inc.severity.empty() ? "-" : inc.severity, report::JoinList(ids, " "),
                    report::Printable(inc.title)});
    }
    ctx.Print(table.Render());
    if (any_unknown) ctx.Print(std::string(report::kUnknownIdLegend) + "\n");
    ctx.Print(report::Plural(found.size(), "incident") + "\n");
    return Status::Ok();
  };
}

const bool kIncidentsCommand = RegisterCommand({"incidents", "list stored incidents (filters combine)", SetupIncidents});

}  // namespace
}  // namespace tidemark::cli
