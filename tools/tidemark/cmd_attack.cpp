// ATT&CK lookups: tidemark technique ID, mitigation ID, search TEXT, info.
#include "engine/report/attack_views.h"
#include "tools/tidemark/command.h"

namespace tidemark::cli {
namespace {

// Prints a view: JSON pretty-printed, text as is.
Status Emit(Context& ctx, Result<std::string> view) {
  if (!view.ok()) return view.status();
  ctx.Print(ctx.options.json ? PrettyJson(*view) : *view);
  return Status::Ok();
}

using ViewFn = Result<std::string> (*)(const store::ReadTxn&, std::string_view, report::Format);

std::function<RunFn(CLI::App&)> LookupCommand(const char* what, ViewFn view) {
  return [what, view](CLI::App& app) -> RunFn {
    auto id = std::make_shared<std::string>();
    app.add_option("ID", *id, what)->required();
    return [id, view](Context& ctx) -> Status {
      auto store = ctx.OpenStore(false);
      if (!store.ok()) return store.status();
      return Emit(ctx, view((*store)->Read(), *id, ctx.Format()));
    };
  };
}

RunFn SetupTechnique(CLI::App& app) {
  auto id = std::make_shared<std::string>();
  app.add_option("ID", *id, "technique ID (T1059.001)")->required();
  return [id](Context& ctx) -> Status {
    auto store = ctx.OpenStore(false);
    if (!store.ok()) return store.status();
    return Emit(ctx, report::TechniqueCard((*store)->Read(), *id, ctx.Format(), ctx.AsOf()));
  };
}

RunFn SetupSearch(CLI::App& app) {
  auto text = std::make_shared<std::string>();
  app.add_option("TEXT", *text, "text to look for in IDs, names, aliases and titles")->required();
  return [text](Context& ctx) -> Status {
    auto store = ctx.OpenStore(false);
    if (!store.ok()) return store.status();
    return Emit(ctx, report::SearchAttack((*store)->Read(), *text, ctx.Format()));
  };
}

RunFn SetupInfo(CLI::App&) {
  return [](Context& ctx) -> Status {
    auto store = ctx.OpenStore(false);
    if (!store.ok()) return store.status();
    return Emit(ctx, report::StoreInfo(**store, (*store)->Read(), ctx.Format()));
  };
}

const bool kTechnique = RegisterCommand(
    {"technique", "technique card: tactics, parent/subs, mitigations, controls and coverage at --as-of, incidents, threats",
     SetupTechnique});
const bool kMitigation = RegisterCommand(
    {"mitigation", "mitigation card: the techniques it mitigates",
     LookupCommand("mitigation ID (M1038)", &report::MitigationCard)});
const bool kSearch = RegisterCommand(
    {"search", "search ATT&CK (techniques, mitigations, threats), controls, incidents, custom threats", SetupSearch});
const bool kInfo = RegisterCommand({"info", "store path, schema, ATT&CK releases, counts", SetupInfo});

}  // namespace
}  // namespace tidemark::cli
