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

using model::ControlState;
using model::StateAt;

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

// Every technique `control` reaches, exactly as scoring counts it: the rows of C(t) (the
// scorer's ControlsOf, parent fallback included) that belong to this control, so the card and
// the scores cannot disagree (deprecated mitigations, merged detect/respond rows, the
// lowest-mitigation tie-break all come from the one rule). Ordered by technique then type.
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
  std::string owner;     // exact owner, case-insensitive
  bool overdue = false;  // only controls overdue at τ (model::IsOverdue)
};

// The controls matching the filters, by id, with their state at τ, owner, due date (flagged
// when overdue at τ) and the number of techniques each protects (direct or through a mitigation).
std::string ControlList(const store::ReadTxn& txn, const ControlFilters& filters, TimeMs tau, Format format);

}  // namespace tidemark::report
