// tidemark: the command line. Parses global options (accepted before or after the
// subcommand), runs the chosen subcommand and turns its Status, or an exception, into the
// exit status of SPEC §4: 0 success, 1 usage, 2 bad input, 3 store.
#include <rapidjson/document.h>

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <vector>

#include "engine/core/json.h"
#include "engine/core/logging.h"
#include "engine/core/spelling.h"
#include "engine/report/text_table.h"
#include "engine/core/terminal_text.h"
#include "tools/tidemark/cli_docs.h"
#include "tools/tidemark/command.h"

namespace tidemark::cli {
namespace {

std::vector<CommandSpec>& Registry() {
  static std::vector<CommandSpec> registry;
  return registry;
}


// The global options as a help section, appended to every subcommand's help.
std::string GlobalOptionsHelp(const CLI::App& app) {
  std::string out = "\nGlobal options (before or after the command):\n";
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_name() == "--help") continue;
    std::string name = opt->get_name(false, true);
    if (opt->get_type_size() != 0) name += " " + opt->get_type_name();
    out += "  " + name + std::string(name.size() < 24 ? 24 - name.size() : 1, ' ') + opt->get_description() + "\n";
  }
  return out;
}

// The command tree: each command's subcommands by name.
using Children = std::map<const CLI::App*, std::map<std::string, CLI::App*>>;

std::vector<std::string> SubcommandNames(const Children& children, const CLI::App* parent) {
  std::vector<std::string> names;
  if (auto it = children.find(parent); it != children.end()) {
    for (const auto& [name, sub] : it->second) names.push_back(name);
  }
  return names;
}

CLI::App* Child(const Children& children, const CLI::App* parent, const std::string& name) {
  auto it = children.find(parent);
  if (it == children.end()) return nullptr;
  auto sub = it->second.find(name);
  return sub == it->second.end() ? nullptr : sub->second;
}

std::string UnknownCommand(const std::string& prefix, const std::string& word, const Children& children,
                           const CLI::App* parent) {
  std::string message = "unknown command \"" + prefix + word + "\"";
  if (auto closest = ClosestSpelling(word, SubcommandNames(children, parent))) {
    message += "; did you mean \"" + prefix + *closest + "\"?";
  }
  return message + " (`tidemark help` lists the commands)";
}

// What CLI11 reports, in tidemark's words, with what to do.
std::string ParseErrorMessage(const CLI::ParseError& e, const std::string& command) {
  std::string what = e.what();
  std::string hint = command.empty() ? "`tidemark help`" : "`tidemark help " + command + "`";
  std::string where = command.empty() ? "" : command + ": ";
  auto after = [&](const std::string& lead) { return what.substr(what.find(lead) + lead.size()); };
  if (what.find("not expected:") != std::string::npos) {
    std::string extra = after("not expected:");
    while (!extra.empty() && extra.front() == ' ') extra.erase(0, 1);
    return where + "unexpected argument \"" + extra + "\"; see " + hint + " for the arguments it takes";
  }
  if (what.find("Could not convert:") != std::string::npos) {
    std::string rest = after("Could not convert:");
    auto eq = rest.find(" = ");
    if (eq != std::string::npos) {
      std::string option = rest.substr(0, eq);
      while (!option.empty() && option.front() == ' ') option.erase(0, 1);
      return where + option + ": \"" + rest.substr(eq + 3) + "\" is not a number";
    }
  }
  if (what.find("required") != std::string::npos && what.find("missing") != std::string::npos) {
    return where + what.substr(0, what.find(':')) + " needs a value; see " + hint;
  }
  if (what == "A subcommand is required") {
    return where + "a command is required; see " + hint + " for the list";
  }
  return where + what + "; see " + hint;
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

// The width human tables are fitted to: unlimited with --wide; else the terminal's when stdout
// is one; else COLUMNS when set; else unlimited (piped output keeps whole values).
static size_t TerminalWidth(bool wide) {
  if (wide) return 0;
  struct winsize size {};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  if (const char* columns = std::getenv("COLUMNS"); columns && *columns) {
    char* end = nullptr;
    long value = std::strtol(columns, &end, 10);
    if (*end == '\0' && value > 0) return static_cast<size_t>(std::max(value, 40L));
  }
  return 0;
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
  report::SetOutputWidth(TerminalWidth(options.wide));
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
  app.add_flag("--wide", ctx.options.wide, "tables with every value whole, however wide (default: fit the terminal or $COLUMNS)");
  app.add_flag("-q,--quiet", ctx.options.quiet, "errors only on stderr");
  app.add_flag("-v,--verbose", ctx.options.verbose, "debug logs on stderr");

  std::map<std::string, CLI::App*> parents;
  Children children;
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
        children[&app][group] = slot;
      }
      parent = slot;
    }
    CLI::App* sub = parent->add_subcommand(name, spec.description);
    children[parent][name] = sub;
    sub->fallthrough();
    runs.emplace_back(sub, spec.setup(*sub));
  }

  app.footer("\nAlso: tidemark help [COMMAND], tidemark --version, tidemark completion (a bash completion\n"
             "script), tidemark manpage (the man page, troff).");
  std::string global_help = GlobalOptionsHelp(app);
  for (auto& [parent, subs] : children) {
    for (auto& [name, sub] : subs) sub->footer(global_help);
  }

  // The first words that are not options name the command: checked here so a misspelt
  // command, `help [COMMAND]` and `--version` answer in tidemark's words.
  std::vector<std::string> words;
  bool asks_help = false;
  for (int idx = 1; idx < argc; ++idx) {
    std::string arg = argv[idx];
    if (arg == "--store" || arg == "--as-of") { ++idx; continue; }
    if (arg == "--version") {
      std::cout << "tidemark " << TIDEMARK_VERSION << "\n";
      return 0;
    }
    if (arg == "-h" || arg == "--help") asks_help = true;
    if (!arg.empty() && arg[0] == '-') continue;
    words.push_back(arg);
    const CLI::App* node = &app;
    for (size_t w = words.front() == "help" ? 1 : 0; w < words.size() && node; ++w) {
      node = Child(children, node, words[w]);
    }
    if (!node || !children.count(node)) break;  // a leaf: the rest are its arguments
  }
  // Generated from this very command line (tools/tidemark/cli_docs.h).
  if (words.size() == 1 && (words.front() == "completion" || words.front() == "manpage") && !asks_help) {
    std::cout << (words.front() == "completion" ? BashCompletion(app) : ManPage(app, TIDEMARK_VERSION));
    return 0;
  }
  if (words.empty() && !asks_help) {
    std::cerr << "tidemark: error: no command given; `tidemark help` lists the commands\n";
    return 1;
  }
  bool help = !words.empty() && words.front() == "help";
  {
    CLI::App* node = &app;
    std::string prefix;
    for (size_t w = help ? 1 : 0; w < words.size(); ++w) {
      if (!children.count(node)) break;
      CLI::App* next = Child(children, node, words[w]);
      if (!next) {
        std::cerr << "tidemark: error: " << UnknownCommand(prefix, words[w], children, node) << "\n";
        return 1;
      }
      prefix += words[w] + " ";
      node = next;
    }
    if (help) {
      std::cout << node->help();
      return 0;
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string command;
    for (const CLI::App* node = &app;;) {
      const CLI::App* parsed = nullptr;
      if (auto it = children.find(node); it != children.end()) {
        for (const auto& [name, sub] : it->second) {
          if (sub->parsed()) parsed = sub;
        }
      }
      if (!parsed) break;
      command += (command.empty() ? "" : " ") + parsed->get_name();
      node = parsed;
    }
    std::cerr << "tidemark: error: " << ParseErrorMessage(e, command) << "\n";
    return 1;
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
  } catch (const JsonStringTooLong& e) {
    status = Status::BadInput(e.what());
  } catch (const std::bad_alloc&) {
    status = Status::BadInput("out of memory");
  } catch (const std::exception& e) {
    status = Status::StoreError(std::string("internal error: ") + e.what());
  }
  if (!status.ok()) {
    std::fflush(stdout);
    std::cerr << "tidemark: error: " << NeutralizeText(status.message()) << "\n";
  }
  return status.ExitCode();
}

}  // namespace tidemark::cli

int main(int argc, char** argv) { return tidemark::cli::Main(argc, argv); }
