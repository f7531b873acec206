#include "importers/incidents/normalize.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "engine/core/ids.h"
#include "engine/core/text.h"

namespace tidemark::importers::incidents {
namespace {

std::string ToUpper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// A malformed technique string is kept for the analyst, but a hostile one must not bloat the
// record: cut it at kMaxRawId bytes on a UTF-8 character boundary.
constexpr size_t kMaxRawId = 64;
std::string Shorten(std::string_view text) {
  if (text.size() <= kMaxRawId) return std::string(text);
  size_t cut = kMaxRawId;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

struct TechniqueEntry {
  std::string tactic;
  std::string revoked_from;
  bool redundant = false;  // a parent whose sub-technique is also present
  model::TechniqueOutcome outcome = model::TechniqueOutcome::kSucceeded;
};

}  // namespace

const store::TechniqueResolution& Normalizer::Resolve(const std::string& id) {
  auto it = resolutions_.find(id);
  if (it == resolutions_.end()) {
    it = resolutions_.emplace(id, store::AttackCatalog::ResolveTechnique(txn_, id)).first;
  }
  return it->second;
}

// NormalizeTactic folds every table entry per call; an import sees a handful of spellings.
const std::string& Normalizer::Tactic(const std::string& text) {
  auto it = tactics_.find(text);
  if (it == tactics_.end()) it = tactics_.emplace(text, NormalizeTactic(text).value_or("")).first;
  return it->second;
}

void Normalizer::BuildThreatIndex() {
  threat_index_built_ = true;
  // Names and aliases of live and deprecated objects first; groups, then campaigns, then
  // software, so a name shared by a group and a tool (rare) resolves to the group, as
  // AttackCatalog::FindThreat does. IDs resolve through AttackCatalog::ResolveThreatId (the
  // one resolution policy: revoked-by chains across STIX types, deprecated kept).
  std::vector<std::pair<std::string, std::string>> revoked_names;
  for (model::AttackKind kind :
       {model::AttackKind::kGroup, model::AttackKind::kCampaign, model::AttackKind::kSoftware}) {
    store::AttackCatalog::ForEach(txn_, kind, [&](const model::AttackObject& object) {
      if (object.revoked) {
        revoked_names.emplace_back(ToLower(object.name), object.id);
        return;
      }
      threat_names_.emplace(ToLower(object.name), object.id);
      for (const auto& alias : object.aliases) threat_names_.emplace(ToLower(alias), object.id);
    });
  }
  // A revoked object's name leads where its ID leads, unless a live object has that name.
  for (const auto& [name, id] : revoked_names) {
    if (threat_names_.count(name)) continue;
    if (auto resolved = ResolveThreatId(id)) threat_names_.emplace(name, *resolved);
  }
}

std::optional<std::string> Normalizer::ResolveThreatId(const std::string& id) {
  std::string upper = ToUpper(id);
  auto it = threat_ids_.find(upper);
  if (it == threat_ids_.end()) {
    auto resolution = store::AttackCatalog::ResolveThreatId(txn_, upper);
    std::optional<std::string> resolved;
    if (resolution.usable()) resolved = resolution.id;
    it = threat_ids_.emplace(upper, resolved).first;
  }
  return it->second;
}

std::optional<std::string> Normalizer::ResolveKnownThreat(const std::string& text) {
  if (!threat_index_built_) BuildThreatIndex();
  if (IsThreatIdShape(text)) {
    if (auto id = ResolveThreatId(text)) return id;
  }
  if (auto it = threat_names_.find(ToLower(text)); it != threat_names_.end()) return it->second;
  return std::nullopt;
}

std::optional<std::string> Normalizer::TechniqueOfStixId(std::string_view stix_id) {
  if (!stix_index_built_) {
    stix_index_built_ = true;
    store::AttackCatalog::ForEach(txn_, model::AttackKind::kTechnique, [&](const model::AttackObject& object) {
      if (!object.stix_id.empty()) technique_stix_ids_.emplace(object.stix_id, object.id);
    });
  }
  auto it = technique_stix_ids_.find(ToLower(stix_id));
  if (it == technique_stix_ids_.end()) return std::nullopt;
  return it->second;
}

std::string Normalizer::ResolveThreat(const std::string& text) {
  if (auto known = ResolveKnownThreat(text)) return *known;
  custom_seen_.insert(text);
  return text;
}

model::Incident Normalizer::Normalize(SourceIncident source) {
  model::Incident incident = std::move(source.incident);
  // Unknown ID -> its outcome, merged as for known techniques (any succeeded use wins).
  std::map<std::string, model::TechniqueOutcome> unknown;
  for (const auto& id : incident.unknown_techniques) unknown.emplace(id, model::TechniqueOutcome::kSucceeded);
  auto add_unknown = [&](std::string id, model::TechniqueOutcome outcome) {
    auto [it, inserted] = unknown.try_emplace(std::move(id), outcome);
    if (!inserted && outcome == model::TechniqueOutcome::kSucceeded) it->second = outcome;
  };
  std::map<std::string, TechniqueEntry> techniques;  // byte order: T1059 before T1059.001
  for (const auto& given : source.techniques) {
    std::string_view raw = Trim(given.id);
    if (raw.empty()) continue;
    std::optional<std::string> from_stix;
    if (raw.size() > 16 && ToLower(raw.substr(0, 16)) == "attack-pattern--") from_stix = TechniqueOfStixId(raw);
    if (from_stix) raw = *from_stix;
    auto id = NormalizeTechniqueId(raw);
    if (!id) {
      add_unknown(IsForeignTechniqueId(raw) ? ToUpper(Shorten(raw)) : Shorten(raw), given.outcome);
      continue;
    }
    const auto& resolution = Resolve(*id);
    if (!resolution.usable()) {
      add_unknown(*id, given.outcome);
      continue;
    }
    const std::string& tactic = given.tactic.empty() ? given.tactic : Tactic(given.tactic);
    // A re-imported export names the replacement and carries the revoked ID it came from.
    // The ID the source first named wins over one a later release revoked in between.
    std::string revoked_from = given.revoked_from.empty()
                                   ? resolution.revoked_from
                                   : NormalizeTechniqueId(given.revoked_from).value_or(Shorten(given.revoked_from));
    auto [it, inserted] = techniques.try_emplace(resolution.id, TechniqueEntry{tactic, revoked_from, false, given.outcome});
    if (!inserted) {
      // SPEC §3: a technique named more than once succeeded when any use succeeded.
      if (given.outcome == model::TechniqueOutcome::kSucceeded) it->second.outcome = given.outcome;
      if (it->second.tactic.empty()) it->second.tactic = tactic;
      // Named directly somewhere: the revoked spelling is not what the incident is about.
      if (revoked_from.empty()) it->second.revoked_from.clear();
    }
  }
  // Most specific wins: a sub-technique makes its parent redundant.
  for (auto& [id, entry] : techniques) {
    auto parent = ParentTechniqueId(id);
    if (!parent) continue;
    auto parent_it = techniques.find(*parent);
    if (parent_it == techniques.end()) continue;
    if (entry.tactic.empty()) entry.tactic = parent_it->second.tactic;
    // The parent folds into its sub-technique: a succeeded parent use makes the sub succeeded.
    if (parent_it->second.outcome == model::TechniqueOutcome::kSucceeded) entry.outcome = parent_it->second.outcome;
    parent_it->second.redundant = true;
  }
  incident.techniques.clear();
  for (auto& [id, entry] : techniques) {
    if (entry.redundant) continue;
    incident.techniques.push_back({id, std::move(entry.tactic), std::move(entry.revoked_from), entry.outcome});
  }
  incident.unknown_techniques.clear();
  incident.unknown_blocked.clear();
  for (const auto& [id, outcome] : unknown) {
    incident.unknown_techniques.push_back(id);
    if (outcome == model::TechniqueOutcome::kBlocked) incident.unknown_blocked.push_back(id);
    unknown_seen_.insert(id);
  }

  std::sort(incident.assets.begin(), incident.assets.end(), [](const auto& a, const auto& b) {
    return std::tie(a.type, a.id) < std::tie(b.type, b.id);
  });
  incident.assets.erase(std::unique(incident.assets.begin(), incident.assets.end(),
                                    [](const auto& a, const auto& b) { return a.type == b.type && a.id == b.id; }),
                        incident.assets.end());

  std::map<std::string, std::string> threats;  // lower-case key -> resolved ID or custom name
  for (const auto& given : incident.threats) {
    std::string text(Trim(given));
    if (text.empty()) continue;
    std::string resolved = ResolveThreat(text);
    threats.emplace(ToLower(resolved), resolved);
  }
  for (const auto& candidate : source.group_candidates) {
    std::string text(Trim(candidate));
    if (text.empty()) continue;
    auto known = ResolveKnownThreat(text);
    if (known && !known->empty() && known->front() == 'G') threats.emplace(ToLower(*known), *known);
  }
  incident.threats.clear();
  for (auto& [key, value] : threats) incident.threats.push_back(std::move(value));
  std::sort(incident.threats.begin(), incident.threats.end());
  return incident;
}

}  // namespace tidemark::importers::incidents
