// tidemark: the command line. Parses global options (accepted before or after the
// subcommand), runs the chosen subcommand and turns its Status, or an exception, into the
// exit status of SPEC §4: 0 success, 1 usage, 2 bad input, 3 store.
#include <rapidjson/document.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <vector>

#include "engine/core/json.h"
#include "engine/core/logging.h"
#include "tools/tidemark/command.h"

namespace tidemark::cli {
namespace {

std::vector<CommandSpec>& Registry() {
  static std::vector<CommandSpec> registry;
  return registry;
}

}  // namespace

bool RegisterCommand(CommandSpec spec) {
  Registry().push_back(std::move(spec));
  return true;
}

Result<store::Store*> Context::OpenStore(bool create) {
  if (store_) return store_.get();
  store::StoreOptions store_options;
  store_options.create = create;
  auto opened = store::Store::Open(options.store, store_options);
  if (!opened.ok()) return opened.status();
  store_ = std::move(opened).value();
  return store_.get();
}

Status Context::Resolve() {
  if (options.store.empty()) {
    const char* env = std::getenv("TIDEMARK_STORE");
    options.store = env && *env ? env : "./tidemark.db";
  }
  if (options.as_of.empty()) {
    as_of_ = NowMs();
  } else {
    auto parsed = ParseIsoTime(options.as_of, DateOnly::kEndOfDay);
    if (!parsed) {
      return Status::Usage("--as-of: \"" + options.as_of +
                           "\" is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)");
    }
    as_of_ = *parsed;
  }
  SetupLogging(options.quiet ? Verbosity::kQuiet : options.verbose ? Verbosity::kVerbose : Verbosity::kNormal);
  return Status::Ok();
}

void Context::Print(std::string_view text) {
  if (write_failed_) return;
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) write_failed_ = true;
}

Status Context::Flush() {
  if (std::fflush(stdout) != 0 || write_failed_) {
    return Status::StoreError("cannot write the output (stdout closed?)");
  }
  return Status::Ok();
}

std::string PrettyJson(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  rapidjson::StringBuffer buf;
  PrettyJsonWriter writer(buf);
  writer.SetIndent(' ', 2);
  doc.Accept(writer);
  return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

int Main(int argc, char** argv) {
  CLI::App app{"tidemark: closed incidents -> ATT&CK techniques -> the controls to fix first"};
  app.name("tidemark");
  app.require_subcommand(1);
  app.fallthrough();
  Context ctx;
  app.add_option("--store", ctx.options.store, "LMDB store directory ($TIDEMARK_STORE, else ./tidemark.db)");
  app.add_flag("--json", ctx.options.json, "machine output (JSON) on stdout");
  app.add_option("--as-of", ctx.options.as_of, "evaluation time (YYYY-MM-DD = end of that day, UTC)");
  app.add_flag("-q,--quiet", ctx.options.quiet, "errors only on stderr");
  app.add_flag("-v,--verbose", ctx.options.verbose, "debug logs on stderr");

  std::map<std::string, CLI::App*> parents;
  std::vector<std::pair<CLI::App*, RunFn>> runs;
  for (auto& spec : Registry()) {
    CLI::App* parent = &app;
    std::string name = spec.path;
    if (auto space = spec.path.find(' '); space != std::string::npos) {
      std::string group = spec.path.substr(0, space);
      name = spec.path.substr(space + 1);
      auto& slot = parents[group];
      if (!slot) {
        slot = app.add_subcommand(group, group == "import" ? "load data into the store" : group);
        slot->require_subcommand(1);
        slot->fallthrough();
      }
      parent = slot;
    }
    CLI::App* sub = parent->add_subcommand(name, spec.description);
    sub->fallthrough();
    runs.emplace_back(sub, spec.setup(*sub));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 1;
  }
  Status status = ctx.Resolve();
  try {
    if (status.ok()) {
      for (auto& [sub, run] : runs) {
        if (sub->parsed()) {
          status = run(ctx);
          break;
        }
      }
    }
    if (status.ok()) status = ctx.Flush();
  } catch (const store::StoreFailure& e) {
    status = Status::StoreError(e.what());
  } catch (const std::bad_alloc&) {
    status = Status::BadInput("out of memory");
  } catch (const std::exception& e) {
    status = Status::StoreError(std::string("internal error: ") + e.what());
  }
  if (!status.ok()) {
    std::fflush(stdout);
    std::cerr << "tidemark: error: " << status.message() << "\n";
  }
  return status.ExitCode();
}

}  // namespace tidemark::cli

int main(int argc, char** argv) { return tidemark::cli::Main(argc, argv); }
