// What `tidemark feed` prints (docs/feed-and-tickets.md): the events from a seq on, as NDJSON
// lines, as one ticketing body per event, or (`--per-control`) as one body per control touched
// by those events, listing every scope the feed keeps for that control as last published, with
// scope.resilience_dropped and patch.* events keeping a body of their own. Reads one snapshot; writes
// nothing (moving a consumer's cursor is the caller's, once the output is written).
// Thread-compatible.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "engine/core/status.h"
#include "engine/report/tickets.h"
#include "engine/store/store.h"

namespace tidemark::report {

enum class FeedFormat { kNdjson, kJira, kServiceNow };

struct DeliveryOptions {
  FeedFormat format = FeedFormat::kNdjson;
  bool per_control = false;  // precondition: format is kJira or kServiceNow
  TicketOptions tickets;
};

// Calls `out` with each line (no newline) for the events with seq >= from, and returns the
// highest seq delivered (0 when there was none). StoreError naming the seq when an event is
// not a tidemark event (a corrupt feed); nothing after it is delivered.
Result<uint64_t> DeliverFeed(const store::ReadTxn& txn, uint64_t from, const DeliveryOptions& options,
                             const std::function<void(std::string_view line)>& out);

}  // namespace tidemark::report
