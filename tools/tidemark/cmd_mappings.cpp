// tidemark mappings : the stored mapping sets (store::MappingSetInfo), one row per set name:
// how many mappings and controls it holds now, the file it was last imported from, its format.
// A set's name is its identity: importing a set of the same name replaces it (see
// importers/controls/mapping_set.h); catalogs' direct mappings are listed as "catalog:<name>".
#include <fmt/format.h>

#include <memory>

#include "engine/core/json.h"
#include "engine/report/text_table.h"
#include "engine/store/org_catalog.h"
#include "tools/tidemark/command.h"

namespace tidemark::cli {
namespace {

RunFn SetupMappings(CLI::App& app) {
  return [](Context& ctx) -> Status {
    auto store = ctx.OpenStore(false);
    if (!store.ok()) return store.status();
    auto sets = store::OrgCatalog::MappingSets((*store)->Read());
    if (ctx.options.json) {
      rapidjson::StringBuffer buf;
      JsonWriter w(buf);
      w.StartObject();
      w.Key("sets");
      w.StartArray();
      for (const auto& set : sets) {
        w.StartObject();
        WriteField(w, "name", set.name);
        w.Key("mappings");
        w.Uint64(set.mappings);
        w.Key("controls");
        w.Uint64(set.controls);
        w.Key("mitigation_links");
        w.Uint64(set.mitigation_links);
        w.Key("file");
        if (set.file.empty()) w.Null(); else WriteString(w, set.file);
        w.Key("format");
        if (set.format.empty()) w.Null(); else WriteString(w, set.format);
        w.EndObject();
      }
      w.EndArray();
      w.EndObject();
      ctx.Print(PrettyJson(std::string_view(buf.GetString(), buf.GetSize())));
      return Status::Ok();
    }
    report::TextTable table({"SET", "MAPPINGS", "CONTROLS", "MITIGATION LINKS", "FORMAT", "FILE"});
    for (const auto& set : sets) {
      table.AddRow({set.name, std::to_string(set.mappings), std::to_string(set.controls),
                    std::to_string(set.mitigation_links), set.format.empty() ? "-" : set.format,
                    set.file.empty() ? "-" : set.file});
    }
    ctx.Print(table.Render());
    ctx.Print(fmt::format("{} mapping sets\n", sets.size()));
    return Status::Ok();
  };
}

const bool kMappingsCommand =
    RegisterCommand({"mappings", "list the mapping sets: name, mappings, controls, source file", SetupMappings});

}  // namespace
}  // namespace tidemark::cli
