// The command line answers in tidemark's words with what to do: misspelt commands get a
// "did you mean", --version and help [COMMAND] work, subcommand help shows the global options,
// the option parser's own text never reaches the user.
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/test_support.h"

namespace tidemark::testing {

TEST_CASE("a misspelt command is named with the closest command and exit 1") {
  auto result = RunTidemark({"incidnet"});
  CHECK(result.exit_code == 1);
  CHECK(result.out.empty());
  CHECK(result.err.find("unknown command \"incidnet\"") != std::string::npos);
  CHECK(result.err.find("did you mean \"incident") != std::string::npos);
  CHECK(result.err.find("tidemark help") != std::string::npos);
}

TEST_CASE("a misspelt import kind is named with the closest one") {
  auto result = RunTidemark({"import", "incidnets", "x.json"});
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("did you mean \"import incidents\"") != std::string::npos);
}

TEST_CASE("--version prints the version and exits 0") {
  auto result = RunTidemark({"--version"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.rfind("tidemark ", 0) == 0);
}

TEST_CASE("help lists the commands and help COMMAND describes one with the global options") {
  auto all = RunTidemark({"help"});
  CHECK(all.exit_code == 0);
  CHECK(all.out.find("recommendations") != std::string::npos);
  auto one = RunTidemark({"help", "threats"});
  CHECK(one.exit_code == 0);
  CHECK(one.out.find("--limit") != std::string::npos);
  CHECK(one.out.find("Global options") != std::string::npos);
  CHECK(one.out.find("--store") != std::string::npos);
  auto nested = RunTidemark({"help", "import", "incidents"});
  CHECK(nested.exit_code == 0);
  CHECK(nested.out.find("--skip-invalid") != std::string::npos);
  auto unknown = RunTidemark({"help", "threatz"});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find("did you mean \"threat") != std::string::npos);
}

TEST_CASE("COMMAND --help shows the global options too") {
  auto result = RunTidemark({"recommendations", "--help"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("Global options") != std::string::npos);
  CHECK(result.out.find("--as-of") != std::string::npos);
  CHECK(result.out.find("--wide") != std::string::npos);
}

TEST_CASE("no command is an error that says where the list is") {
  auto result = RunTidemark({});
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("tidemark help") != std::string::npos);
  CHECK(result.err.find("A subcommand is required") == std::string::npos);
}

TEST_CASE("parser errors are in tidemark's words, naming the command and its help") {
  auto extra = RunTidemark({"--store", TempDir(), "info", "surplus"});
  CHECK(extra.exit_code == 1);
  CHECK(extra.err.find("info: unexpected argument \"surplus\"") != std::string::npos);
  CHECK(extra.err.find("tidemark help info") != std::string::npos);
  CHECK(extra.err.find("The following argument") == std::string::npos);
  auto number = RunTidemark({"threats", "--limit", "many"});
  CHECK(number.exit_code == 1);
  CHECK(number.err.find("\"many\" is not a number") != std::string::npos);
  CHECK(number.err.find("Could not convert") == std::string::npos);
  auto missing = RunTidemark({"history"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("history: ") != std::string::npos);
  CHECK(missing.err.find("--scope") != std::string::npos);
}

}  // namespace tidemark::testing

namespace tidemark::testing {

TEST_CASE("a directory given where a file is expected is named as such") {
  std::string store = StoreWithAttack();
  std::string dir = TempDir("dir");
  auto result = RunTidemark({"--store", store, "import", "posture", dir});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find(dir + ": is a directory, not a file") != std::string::npos);
  CHECK(result.err.find("out of memory") == std::string::npos);
}

}  // namespace tidemark::testing

namespace tidemark::testing {

TEST_CASE("report --out names a directory or an unwritable path, and - writes to stdout") {
  std::string store = DemoStore();
  std::string dir = TempDir("out");
  auto to_dir = RunTidemark({"--store", store, "report", "--scope", "all", "--out", dir});
  CHECK(to_dir.exit_code == 2);
  CHECK(to_dir.err.find(dir + ": is a directory") != std::string::npos);
  auto missing = RunTidemark({"--store", store, "report", "--scope", "all", "--out", dir + "/no/such/r.html"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("cannot create the file") != std::string::npos);
  CHECK(missing.err.find("No such file or directory") != std::string::npos);
  auto to_stdout = RunTidemark({"--store", store, "--as-of", "2026-03-15", "report", "--scope", "all", "--out", "-"});
  CHECK(to_stdout.exit_code == 0);
  CHECK(to_stdout.out.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK_FALSE(std::filesystem::exists("-"));
}

}  // namespace tidemark::testing

namespace tidemark::testing {

TEST_CASE("every filter value is validated: statuses, types, threats, techniques, ranges, counts") {
  std::string store = DemoStore();
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--store", store});
    return RunTidemark(args);
  };
  auto status = run({"recommendations", "--status", "todo"});
  CHECK(status.exit_code == 1);
  CHECK(status.err.find("--status: \"todo\" is not a status") != std::string::npos);
  auto type = run({"recommendations", "--remediation-type", "bogus"});
  CHECK(type.exit_code == 1);
  CHECK(type.err.find("--remediation-type: \"bogus\"") != std::string::npos);
  auto technique = run({"incidents", "--technique", "foo"});
  CHECK(technique.exit_code == 2);
  CHECK(technique.err.find("--technique: \"foo\"") != std::string::npos);
  auto threat = run({"incidents", "--threat", "G9999"});
  CHECK(threat.exit_code == 2);
  CHECK(threat.err.find("--threat: \"G9999\"") != std::string::npos);
  auto custom = run({"incidents", "--threat", "kestrel ops"});  // custom names ignore case
  CHECK(custom.exit_code == 0);
  CHECK(custom.out.find("INC-") != std::string::npos);
  auto near = run({"incidents", "--threat", "Kestrel Opps"});
  CHECK(near.exit_code == 2);
  CHECK(near.err.find("did you mean \"Kestrel Ops\"") != std::string::npos);
  auto reversed = run({"incidents", "--since", "2026-03-01", "--until", "2026-02-01"});
  CHECK(reversed.exit_code == 1);
  CHECK(reversed.err.find("is after --until") != std::string::npos);
  auto limit = run({"threats", "--limit", "-1"});
  CHECK(limit.exit_code == 1);
  CHECK(limit.err.find("--limit") != std::string::npos);
  CHECK(limit.err.find("must be 0 or more") != std::string::npos);
  auto from = run({"feed", "--from", "-3"});
  CHECK(from.exit_code == 1);
  CHECK(from.err.find("must be 0 or more") != std::string::npos);
  auto consumer = run({"feed", "--consumer", ""});
  CHECK(consumer.exit_code == 1);
  CHECK(consumer.err.find("--consumer") != std::string::npos);
}

}  // namespace tidemark::testing

namespace tidemark::testing {

TEST_CASE("an unknown incident or control id gets the closest stored one") {
  std::string store = DemoStore();
  auto incident = RunTidemark({"--store", store, "incident", "3127"});
  CHECK(incident.exit_code == 2);
  CHECK(incident.err.find("did you mean defender:3127?") != std::string::npos);
  auto control = RunTidemark({"--store", store, "control", "edr-asr"});
  CHECK(control.exit_code == 2);
  CHECK(control.err.find("did you mean EDR-ASR?") != std::string::npos);
}

}  // namespace tidemark::testing
