#include "engine/report/feed_delivery.h"

#include <map>
#include <memory>
#include <variant>
#include <vector>

#include "engine/store/feed_catalog.h"

namespace tidemark::report {
namespace {

Status Corrupt(uint64_t seq) { return Status::StoreError("feed event " + std::to_string(seq) + " is corrupt"); }

Result<uint64_t> PerEvent(const store::ReadTxn& txn, uint64_t from, const DeliveryOptions& options,
                          const std::function<void(std::string_view)>& out) {
  uint64_t last = 0;
  Status status = Status::Ok();
  store::FeedCatalog::ForEachFrom(txn, from, [&](uint64_t seq, std::string_view event) {
    if (options.format == FeedFormat::kNdjson) {
      out(event);
    } else {
      auto body = options.format == FeedFormat::kJira ? JiraBody(event, options.tickets) : ServiceNowBody(event);
      if (!body.ok()) {
        status = Corrupt(seq);
        return false;
      }
      out(*body);
    }
    last = seq;
    return true;
  });
  if (!status.ok()) return status;
  return last;
}

// One control's ticket, or the body of a scope or patch event, in the order the events first
// name them.
using Unit = std::variant<std::string /*control id*/, std::string /*scope or patch event JSON*/>;

Result<uint64_t> PerControl(const store::ReadTxn& txn, uint64_t from, const DeliveryOptions& options,
                            const std::function<void(std::string_view)>& out) {
  uint64_t last = 0;
  Status status = Status::Ok();
  std::vector<Unit> units;
  std::map<std::string, ControlTicket, std::less<>> tickets;
  store::FeedCatalog::ForEachFrom(txn, from, [&](uint64_t seq, std::string_view line) {
    auto event = ParseEvent(line);
    if (!event.ok()) {
      status = Corrupt(seq);
      return false;
    }
    if (event->item) {
      const std::string& control = event->item->control_id;
      if (!tickets.count(control)) {
        units.emplace_back(std::in_place_index<0>, control);
        ControlTicket& ticket = tickets[control];
        ticket.key = store::FeedCatalog::ControlKey(control);
        ticket.control_id = control;
      }
    } else if (event->drop || event->patch) {
      units.emplace_back(std::in_place_index<1>, std::string(line));
    } else {
      status = Corrupt(seq);
      return false;
    }
    last = seq;
    return true;
  });
  if (!status.ok()) return status;
  // Every scope the feed keeps for the controls above, as last published: one pass over the
  // item states (the feed's current picture), whatever range of events was asked for.
  if (!tickets.empty()) {
    store::FeedCatalog::ForEachItem(txn, [&](std::string_view, const store::FeedCatalog::ItemState& state) {
      auto item = ParseItem(store::FeedCatalog::Published(txn, state));
      if (!item) return;
      auto it = tickets.find(item->control_id);
      if (it == tickets.end()) return;
      ControlTicket& ticket = it->second;
      // The latest words on the control: any item carries its title, owner and status as of the
      // run that wrote it; the open ones are from the latest runs.
      if (state.open || ticket.control_title.empty()) {
        ticket.control_title = item->control_title;
        ticket.owner = item->owner;
        ticket.status = item->status;
      }
      (state.open ? ticket.open : ticket.resolved).push_back(std::move(*item));
    });
  }
  for (const auto& unit : units) {
    if (unit.index() == 1) {
      const std::string& event = std::get<1>(unit);
      auto body = options.format == FeedFormat::kJira ? JiraBody(event, options.tickets) : ServiceNowBody(event);
      if (!body.ok()) return body.status();
      out(*body);
      continue;
    }
    const ControlTicket& ticket = tickets.at(std::get<0>(unit));
    out(options.format == FeedFormat::kJira ? JiraControlBody(ticket, options.tickets) : ServiceNowControlBody(ticket));
  }
  return last;
}

}  // namespace

Result<uint64_t> DeliverFeed(const store::ReadTxn& txn, uint64_t from, const DeliveryOptions& options,
                             const std::function<void(std::string_view)>& out) {
  if (options.per_control && options.format != FeedFormat::kNdjson) return PerControl(txn, from, options, out);
  return PerEvent(txn, from, options, out);
}

}  // namespace tidemark::report
