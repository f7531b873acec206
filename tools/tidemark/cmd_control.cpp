// tidemark control ID (a control's card at --as-of) and tidemark controls [filters] (the
// list of controls with their state at --as-of). Views are built in engine/report/control_views.
#include <memory>

#include "engine/core/spelling.h"
#include "engine/model/control.h"
#include "engine/report/control_views.h"
#include "engine/store/org_catalog.h"
#include "tools/tidemark/command.h"

namespace tidemark::cli {
namespace {


void Emit(Context& ctx, const std::string& view) { ctx.Print(ctx.options.json ? PrettyJson(view) : view); }

RunFn SetupControl(CLI::App& app) {
  auto id = std::make_shared<std::string>();
  app.add_option("ID", *id, "control id")->required();
  return [id](Context& ctx) -> Status {
    auto store = ctx.OpenStore(false);
    if (!store.ok()) return store.status();
    auto txn = (*store)->Read();
    auto card = report::ControlCard(txn, *id, ctx.AsOf(), ctx.Format());
    if (!card.ok() && !store::OrgCatalog::FindControl(txn, *id)) {
      std::vector<std::string> ids;
      store::OrgCatalog::ForEachControl(txn, [&](const model::Control& control) { ids.push_back(control.id); });
      if (auto closest = ClosestSpelling(*id, ids)) {
        return Status::NotFound("control \"" + *id + "\" is not in the store; did you mean " + *closest +
                                "? (see `tidemark controls`)");
      }
    }
    if (!card.ok()) return card.status();
    Emit(ctx, *card);
    return Status::Ok();
  };
}

struct ListArgs {
  report::ControlFilters filters;
  std::string status;
};

RunFn SetupControls(CLI::App& app) {
  auto args = std::make_shared<ListArgs>();
  app.add_option("--product", args->filters.product, "only this product (case-insensitive)");
  app.add_option("--category", args->filters.category, "only this category");
  app.add_option("--license", args->filters.license, "only this license");
  app.add_option("--status", args->status, "only controls in this state at --as-of (to-address, planned, ...)");
  app.add_option("--remediation-type", args->filters.remediation_type, "configuration, software, firmware or process");
  app.add_option("--owner", args->filters.owner, "only controls of this owner (case-insensitive)");
  app.add_flag("--overdue", args->filters.overdue, "only controls past their due date and not fully implemented at --as-of");
  return [args](Context& ctx) -> Status {
    if (!args->status.empty()) {
      args->filters.status = model::ParseControlStatus(args->status);
      if (!args->filters.status) {
        return Status::Usage("--status: \"" + args->status +
                             "\" is not a status (to-address, planned, risk-accepted, third-party, alternate-mitigation, completed)");
      }
    }
    auto store = ctx.OpenStore(false);
    if (!store.ok()) return store.status();
    Emit(ctx, report::ControlList((*store)->Read(), args->filters, ctx.AsOf(), ctx.Format()));
    return Status::Ok();
  };
}

const bool kControl = RegisterCommand(
    {"control", "control card: fields, state at --as-of, history, the techniques it reaches", SetupControl});
const bool kControls = RegisterCommand(
    {"controls", "list controls with their state at --as-of (filters: product, category, license, status, remediation type, owner, overdue)",
     SetupControls});

}  // namespace
}  // namespace tidemark::cli
