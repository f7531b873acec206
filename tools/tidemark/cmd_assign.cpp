// tidemark assign CONTROL [--owner TEAM | --no-owner] [--due DATE | --no-due]: sets who fixes a
// control and by when, without re-importing the catalog (SPEC v2 §1 `owner`, `due`). Writes
// only those two fields of the stored control, in one transaction; a later catalog import
// that omits them keeps them.
#include "engine/core/logging.h"
#include "engine/store/org_catalog.h"
#include "tools/tidemark/command.h"

namespace tidemark::cli {
namespace {

struct AssignArgs {
  std::string id;
  std::optional<std::string> owner;
  std::optional<std::string> due;
  bool no_owner = false;
  bool no_due = false;
};

RunFn SetupAssign(CLI::App& app) {
  auto args = std::make_shared<AssignArgs>();
  app.add_option("CONTROL", args->id, "control id")->required();
  auto owner = app.add_option("--owner", args->owner, "team, queue or person who fixes it");
  auto due = app.add_option("--due", args->due, "due date (YYYY-MM-DD)");
  app.add_flag("--no-owner", args->no_owner, "remove the owner")->excludes(owner);
  app.add_flag("--no-due", args->no_due, "remove the due date")->excludes(due);
  return [args](Context& ctx) -> Status {
    if (!args->owner && !args->due && !args->no_owner && !args->no_due) {
      return Status::Usage("assign: give --owner, --due, --no-owner or --no-due");
    }
    if (args->owner && args->owner->empty()) return Status::Usage("--owner: empty (use --no-owner to remove it)");
    std::optional<TimeMs> due_ms;
    if (args->due && !(due_ms = ParseIsoTime(*args->due, DateOnly::kStartOfDay))) {
      return Status::Usage("--due: \"" + *args->due + "\" is not a date (YYYY-MM-DD)");
    }
    auto store = ctx.OpenStore(false);
    if (!store.ok()) return store.status();
    model::Control updated;
    Status written = (*store)->Write([&](store::WriteTxn& txn) -> Status {
      auto control = store::OrgCatalog::FindControl(txn, args->id);
      if (!control) {
        return Status::NotFound("control \"" + args->id + "\" is not in the store (see `tidemark controls`)");
      }
      if (args->owner) control->owner = *args->owner;
      if (args->no_owner) control->owner.clear();
      if (due_ms) control->due = StartOfDay(*due_ms);
      if (args->no_due) control->due.reset();
      store::OrgCatalog::PutControl(txn, *control);
      updated = *control;
      return Status::Ok();
    });
    if (!written.ok()) return written;
    Logger("assign")->info("{}: owner {}, due {}", updated.id, updated.owner.empty() ? "(none)" : updated.owner,
                           updated.due ? FormatDate(*updated.due) : "(none)");
    return Status::Ok();
  };
}

const bool kAssignCommand = RegisterCommand(
    {"assign", "set a control's owner and due date (without re-importing the catalog)", SetupAssign});

}  // namespace
}  // namespace tidemark::cli
