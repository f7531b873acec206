// tidemark feed [--consumer NAME] [--from SEQ] [--format ndjson|jira|servicenow] : the events.
// With --consumer the cursor moves only after the output has been written and flushed
// (at-least-once delivery); --from never moves a cursor.
#include "engine/report/feed.h"
#include "engine/store/feed_catalog.h"
#include "tools/tidemark/command.h"

namespace tidemark::cli {
namespace {

constexpr size_t kMaxConsumerName = 200;

RunFn Setup(CLI::App& app) {
  auto consumer = std::make_shared<std::string>();
  auto from = std::make_shared<uint64_t>(0);
  auto format = std::make_shared<std::string>("ndjson");
  auto project = std::make_shared<std::string>("SEC");
  app.add_option("--consumer", *consumer, "deliver the events after this consumer's cursor, then advance it");
  app.add_option("--from", *from, "print the events with seq >= SEQ (moves no cursor)");
  app.add_option("--format", *format, "ndjson, jira or servicenow")->check(CLI::IsMember({"ndjson", "jira", "servicenow"}));
  app.add_option("--jira-project", *project, "Jira project key for --format jira (default SEC)");
  return [=](Context& ctx) -> Status {
    if (!consumer->empty() && *from > 0) return Status::Usage("--consumer and --from cannot be combined");
    // The name is the cursor's LMDB key (at most 511 bytes): checked before anything is printed.
    if (consumer->size() > kMaxConsumerName) {
      return Status::Usage("--consumer: a name of at most " + std::to_string(kMaxConsumerName) + " bytes");
    }
    auto store = ctx.OpenStore(false);
    if (!store.ok()) return store.status();
    uint64_t start = *from > 0 ? *from : 1;
    if (!consumer->empty()) start = store::FeedCatalog::Cursor((*store)->Read(), *consumer) + 1;
    uint64_t last = 0;
    Status status = Status::Ok();
    {
      store::ReadTxn txn = (*store)->Read();
      store::FeedCatalog::ForEachFrom(txn, start, [&](uint64_t seq, std::string_view event) {
        std::string line;
        if (*format == "jira") {
          auto body = report::JiraBody(event, *project);
          if (!body.ok()) { status = Status::StoreError("feed event " + std::to_string(seq) + " is corrupt"); return false; }
          line = *body;
        } else if (*format == "servicenow") {
          auto body = report::ServiceNowBody(event);
          if (!body.ok()) { status = Status::StoreError("feed event " + std::to_string(seq) + " is corrupt"); return false; }
          line = *body;
        } else {
          line = std::string(event);
        }
        ctx.Print(line + "\n");
        last = seq;
        return true;
      });
    }
    TM_RETURN_IF_ERROR(status);
    if (consumer->empty() || last == 0) return Status::Ok();
    TM_RETURN_IF_ERROR(ctx.Flush());
    return (*store)->Write([&](store::WriteTxn& txn) {
      store::FeedCatalog::SetCursor(txn, *consumer, last);
      return Status::Ok();
    });
  };
}

const bool kRegistered = RegisterCommand({"feed", "recommendation events (NDJSON, Jira, ServiceNow)", Setup});

}  // namespace
}  // namespace tidemark::cli
