// Views of the organisation's controls for analysts: the card of one control (fields, state
// at τ, history of states, the techniques it reaches and how) and the filtered list of
// controls. Built from one read transaction straight from the store (controls, mappings,
// posture, ATT&CK mitigations), rendered as JSON (stable field names) or aligned text.
// Stateless functions; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/core/time_util.h"
#include "engine/model/control.h"
#include "engine/report/attack_views.h"
#include "engine/store/store.h"

namespace tidemark::report {

// A control's state at τ (SPEC §3): the latest record with as_of ≤ τ; no record = to-address, 0.
struct ControlState {
  model::ControlStatus status = model::ControlStatus::kToAddress;
  double implemented = 0;
  bool has_record = false;
};
// `records` oldest first.
ControlState StateAt(const std::vector<model::PostureRecord>& records, TimeMs tau);

// One technique a control reaches, by its strongest path for that mapping type.
struct ReachRow {
  std::string technique;
  model::MappingType type = model::MappingType::kProtect;
  double strength = 0;
  std::string via;           // "direct", "mitigation:M1032", "parent"
  std::string revoked_from;  // direct mappings that named a revoked ID
  std::string source;        // mapping set of a direct row
  bool counted() const { return type == model::MappingType::kProtect; }
};

// Every technique `control` reaches: its direct mappings, the techniques of the mitigations it
// implements (strength 1.0), and sub-techniques that no control reaches themselves, reached
// through a parent this control protects (SPEC §3, via "parent"). One row per technique and
// type, the strongest path kept (direct wins a tie); ordered by technique then type.
std::vector<ReachRow> ReachOf(const store::ReadTxn& txn, const model::Control& control);

// The card of a control at τ. NotFound when the id is not in the store.
Result<std::string> ControlCard(const store::ReadTxn& txn, std::string_view id, TimeMs tau, Format format);

// Filters of `tidemark controls`; empty = any. Text filters compare case-insensitively.
struct ControlFilters {
  std::string product;
  std::string category;
  std::string license;
  std::string remediation_type;
  std::optional<model::ControlStatus> status;  // state at τ
};

// The controls matching the filters, by id, with their state at τ and the number of
// techniques each protects (direct or through a mitigation).
std::string ControlList(const store::ReadTxn& txn, const ControlFilters& filters, TimeMs tau, Format format);

}  // namespace tidemark::report
