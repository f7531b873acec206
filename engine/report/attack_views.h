// Read-only views of the ATT&CK knowledge base for analysts: technique and mitigation cards,
// name search, store info. Each view is built from one read
// transaction and rendered either as JSON (stable field names) or as aligned text.
// Stateless functions; thread-compatible.
#pragma once

#include <string>
#include <string_view>

#include "engine/core/status.h"
#include "engine/core/time_util.h"
#include "engine/report/format.h"
#include "engine/store/store.h"

namespace tidemark::report {

// The card of a technique at τ: ATT&CK facts, the organisation's controls that reach it with
// their implementation, its coverage and status (SPEC §3, evidence included), and the counted
// incidents it was seen in (the newest ten named). A revoked ID leads to the end of its
// revoked-by chain and the card says `revoked_from`. NotFound when the ID is not in the loaded
// ATT&CK data.
Result<std::string> TechniqueCard(const store::ReadTxn& txn, std::string_view id, Format format, TimeMs tau);

// The card of a mitigation (M-ID): name, the techniques it mitigates. NotFound when absent.
Result<std::string> MitigationCard(const store::ReadTxn& txn, std::string_view id, Format format);

// Case-insensitive substring search over technique, mitigation, group, campaign and software
// names, aliases and IDs (live objects only, with their ATT&CK domain), then the organisation's
// controls (id, title), incidents (id, title) and custom threats (name). Ordered by kind, then
// ID. BadInput for empty or blank text.
Result<std::string> SearchAttack(const store::ReadTxn& txn, std::string_view text, Format format);

// Store path, schema version, ATT&CK releases, object counts.
std::string StoreInfo(const store::Store& store, const store::ReadTxn& txn, Format format);

}  // namespace tidemark::report
