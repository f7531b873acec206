// The frame every subcommand plugs into: global options (SPEC §4), the store, the evaluation
// time, and a registry so each subcommand lives in its own file and registers itself.
// Single-threaded (one command per process).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "engine/core/status.h"
#include "engine/core/time_util.h"
#include "engine/report/format.h"
#include "engine/store/store.h"

namespace tidemark::cli {

struct GlobalOptions {
  std::string store;   // --store, else $TIDEMARK_STORE, else ./tidemark.db
  bool json = false;   // --json
  std::string as_of;   // --as-of
  bool wide = false;   // --wide: tables not fitted to the terminal
  bool quiet = false;  // -q
  bool verbose = false;  // -v
};

class Context {
 public:
  GlobalOptions options;

  // Opens the store. `create` is for importers; queries fail clearly when it is missing.
  Result<store::Store*> OpenStore(bool create);
  // τ: --as-of (a date alone = end of that day), else now. Precondition: ValidateAsOf passed.
  TimeMs AsOf() const { return as_of_; }
  bool HasAsOf() const { return !options.as_of.empty(); }
  Status Resolve();  // checks the global options once parsing is done

  // --json or the text rendering.
  report::Format Format() const { return options.json ? report::Format::kJson : report::Format::kText; }

  // Everything a command prints goes through here (stdout); fails on a write error such as
  // a closed pipe, so the exit status tells.
  void Print(std::string_view text);
  Status Flush();

 private:
  std::unique_ptr<store::Store> store_;
  TimeMs as_of_ = 0;
  bool write_failed_ = false;
};

// What a subcommand runs once the command line is parsed.
using RunFn = std::function<Status(Context&)>;

struct CommandSpec {
  // "technique", or "import attack" for a nested subcommand (the parent is created once).
  std::string path;
  std::string description;
  // Declares the subcommand's own options on `app` and returns what to run.
  std::function<RunFn(CLI::App& app)> setup;
};

// Adds a subcommand; call from a namespace-scope initialiser in the subcommand's file.
bool RegisterCommand(CommandSpec spec);

// Writes `json` (a compact JSON document) pretty-printed with a final newline.
std::string PrettyJson(std::string_view json);

}  // namespace tidemark::cli
