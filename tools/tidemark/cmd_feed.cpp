// tidemark feed [--consumer NAME] [--from SEQ] [--format ndjson|jira|servicenow] [--per-control]
//               [--jira-project KEY] [--assignees FILE] : the events, or ticketing bodies.
// With --consumer the cursor moves only after the output has been written and flushed
// (at-least-once delivery); --from never moves a cursor.
#include "engine/report/feed_delivery.h"
#include "engine/store/feed_catalog.h"
#include "tools/tidemark/command.h"

namespace tidemark::cli {
namespace {

constexpr size_t kMaxConsumerName = 200;

RunFn SetupFeed(CLI::App& app) {
  auto consumer = std::make_shared<std::string>();
  auto from = std::make_shared<uint64_t>(0);
  auto format = std::make_shared<std::string>("ndjson");
  auto project = std::make_shared<std::string>("SEC");
  auto assignees_file = std::make_shared<std::string>();
  auto per_control = std::make_shared<bool>(false);
  app.add_option("--consumer", *consumer, "deliver the events after this consumer's cursor, then advance it")
      ->check(CLI::Validator([](std::string& value) { return value.empty() ? std::string("needs a name") : std::string(); }, "NAME"));
  app.add_option("--from", *from, "print the events with seq >= SEQ (moves no cursor)")->check(CLI::Validator(
      [](std::string& value) { return !value.empty() && value[0] == '-' ? "must be 0 or more, not " + value : std::string(); },
      "N >= 0"));
  app.add_option("--format", *format, "ndjson, jira or servicenow")->check(CLI::IsMember({"ndjson", "jira", "servicenow"}));
  app.add_option("--jira-project", *project, "Jira project key for --format jira (default SEC)");
  app.add_option("--assignees", *assignees_file,
                 "--format jira: JSON file mapping control owners to Jira account IDs ({\"owner\": \"accountId\"})");
  app.add_flag("--per-control", *per_control,
               "--format jira|servicenow: one ticket per control listing every scope it serves");
  return [=](Context& ctx) -> Status {
    if (!consumer->empty() && *from > 0) return Status::Usage("--consumer and --from cannot be combined");
    // The name is the cursor's LMDB key (at most 511 bytes): checked before anything is printed.
    if (consumer->size() > kMaxConsumerName) {
      return Status::Usage("--consumer: a name of at most " + std::to_string(kMaxConsumerName) + " bytes");
    }
    report::DeliveryOptions options;
    options.format = *format == "jira" ? report::FeedFormat::kJira
                     : *format == "servicenow" ? report::FeedFormat::kServiceNow
                                               : report::FeedFormat::kNdjson;
    options.per_control = *per_control;
    options.tickets.jira_project = *project;
    if (*per_control && options.format == report::FeedFormat::kNdjson) {
      return Status::Usage("--per-control needs --format jira or --format servicenow");
    }
    if (!assignees_file->empty() && options.format != report::FeedFormat::kJira) {
      return Status::Usage("--assignees needs --format jira (ServiceNow assigns by assignment_group)");
    }
    report::JiraAssignees assignees;
    if (!assignees_file->empty()) {
      auto loaded = report::JiraAssignees::Load(*assignees_file);
      if (!loaded.ok()) return loaded.status();
      assignees = std::move(*loaded);
      options.tickets.assignees = &assignees;
    }
    auto store = ctx.OpenStore(false);
    if (!store.ok()) return store.status();
    uint64_t start = *from > 0 ? *from : 1;
    if (!consumer->empty()) start = store::FeedCatalog::Cursor((*store)->Read(), *consumer) + 1;
    Result<uint64_t> last = uint64_t{0};
    {
      store::ReadTxn txn = (*store)->Read();
      last = report::DeliverFeed(txn, start, options, [&](std::string_view line) {
        ctx.Print(line);
        ctx.Print("\n");
      });
    }
    if (!last.ok()) return last.status();
    if (consumer->empty() || *last == 0) return Status::Ok();
    TM_RETURN_IF_ERROR(ctx.Flush());
    return (*store)->Write([&](store::WriteTxn& txn) {
      store::FeedCatalog::SetCursor(txn, *consumer, *last);
      return Status::Ok();
    });
  };
}

const bool kFeedCommand = RegisterCommand({"feed", "recommendation events (NDJSON, Jira, ServiceNow)", SetupFeed});

}  // namespace
}  // namespace tidemark::cli
