// What the organisation can put in place (Control), which techniques a control reaches and how
// well (Mapping), and what is in place on a date (PostureRecord). Plain values; SPEC §1, §3.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/core/time_util.h"

namespace tidemark::model {

struct Control {
  std::string id;
  std::string title;
  std::string product;
  std::string category;
  std::string license;
  std::string remediation_type;  // configuration, software, firmware, process (or empty)
  std::optional<double> max_points;
  std::vector<std::string> mitigations;  // ATT&CK mitigation IDs the control implements
  std::string owner;                     // team, queue or person who fixes it (SPEC v2 §1), or empty
  std::optional<TimeMs> due;             // due date (start of the UTC day), or none
  bool deprecated = false;               // Graph `deprecated`: kept and shown, not in the posture score
  std::string source;                    // file or catalog it came from
  std::string extra_json;  // unknown keys of the input, kept verbatim as a JSON object ("" = none)
};

enum class MappingType { kProtect, kDetect, kRespond };
std::string_view MappingTypeName(MappingType type);
// Case-insensitive: "protect", "Protect", "PROTECT".
std::optional<MappingType> ParseMappingType(std::string_view text);

struct Mapping {
  std::string control;
  std::string technique;     // normalised and, where revoked, resolved technique ID
  std::string revoked_from;  // the ID the input named when it was revoked
  MappingType type = MappingType::kProtect;
  double strength = 1.0;  // s(c, t) in (0, 1]
  std::string source;     // mapping set ("m365-07.18.2025_attack-16.1-enterprise") or file
};

// SPEC §3: significant 1.0, partial 0.5, minimal 0.25, or a number in (0, 1] (as text or number).
std::optional<double> ParseStrength(std::string_view text);

enum class ControlStatus {
  kToAddress,
  kPlanned,
  kRiskAccepted,
  kThirdParty,
  kAlternateMitigation,
  kCompleted,
};
std::string_view ControlStatusName(ControlStatus status);
// Accepts the SPEC spellings and the Secure Score ones case-insensitively ("Default",
// "thirdParty", "Resolved through alternate mitigation", "ignored" = risk-accepted).
std::optional<ControlStatus> ParseControlStatus(std::string_view text);

struct PostureRecord {
  std::string control;
  TimeMs as_of = 0;
  ControlStatus status = ControlStatus::kToAddress;
  std::optional<double> implemented;  // explicit fraction in [0, 1]
  std::string source;
};

// impl of one record (SPEC §3): `implemented` if given, else 1 for completed, third-party,
// alternate-mitigation, 0 otherwise; risk-accepted is always 0.
double ImplementedFraction(const PostureRecord& record);

// A control's state at τ (SPEC §3) — the one copy of this rule: the latest record with
// as_of ≤ τ; no record = to-address, implemented 0. `records` must be in as_of order.
struct ControlState {
  ControlStatus status = ControlStatus::kToAddress;
  double implemented = 0;
  bool has_record = false;
};
ControlState StateAt(const std::vector<PostureRecord>& records, TimeMs tau);

// SPEC v2 §1 `due`: a control is overdue at τ when its due day has ended before τ (a control
// due 2026-03-10 is overdue from 2026-03-11) and it is not fully implemented at τ
// (`implemented` = impl(c, τ) < 1). No due date: never overdue.
bool IsOverdue(const Control& control, double implemented, TimeMs tau);

struct Asset {
  std::string id;
  std::string type;  // device, user, mailbox, cloud-resource, ...
  std::string name;
  double weight = 1.0;
};

std::string ToJson(const Control& control);
Result<Control> ControlFromJson(std::string_view json);
std::string ToJson(const Mapping& mapping);
Result<Mapping> MappingFromJson(std::string_view json);
std::string ToJson(const PostureRecord& record);
Result<PostureRecord> PostureRecordFromJson(std::string_view json);
std::string ToJson(const Asset& asset);
Result<Asset> AssetFromJson(std::string_view json);

}  // namespace tidemark::model
