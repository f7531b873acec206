// tidemark threat ID|NAME : the ATT&CK profile of a group, campaign or software.
#include "engine/report/attack_views.h"
#include "tools/tidemark/command.h"

namespace tidemark::cli {
namespace {

RunFn Setup(CLI::App& app) {
  auto id = std::make_shared<std::string>();
  app.add_option("ID", *id, "ATT&CK ID, name or alias (G0016, APT29, \"Cozy Bear\")")->required();
  return [id](Context& ctx) -> Status {
    auto store = ctx.OpenStore(false);
    if (!store.ok()) return store.status();
    auto view = report::ThreatProfile((*store)->Read(), *id,
                                      ctx.options.json ? report::Format::kJson : report::Format::kText);
    if (!view.ok()) return view.status();
    ctx.Print(ctx.options.json ? PrettyJson(*view) : *view);
    return Status::Ok();
  };
}

const bool kRegistered = RegisterCommand({"threat", "a threat: ATT&CK profile", Setup});

}  // namespace
}  // namespace tidemark::cli
