// Helpers of the reliability tests (crash safety, concurrency, hostile input): running
// `tidemark` in the background so a test can kill it or query beside it, reading counts from
// `info --json`, copying stores and generating large incident files. Header-only, because
// tests/CMakeLists.txt compiles only *_test.cpp files from the test folders.
#pragma once

#include <doctest/doctest.h>
#include <fcntl.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/test_support.h"

extern char** environ;

namespace tidemark::testing::reliability {

// Size of the generated workloads. The sanitizer build (tools/test.sh's second pass) runs the
// same tests on a quarter of the incidents: every property holds at any size, and the full
// size under ASan took over 8 minutes on 2 cores.
// (GCC defines __SANITIZE_ADDRESS__; clang, which builds the sanitizer pass, answers
// __has_feature(address_sanitizer).)
#if defined(__SANITIZE_ADDRESS__)
constexpr int kWorkloadDivisor = 4;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr int kWorkloadDivisor = 4;
#else
constexpr int kWorkloadDivisor = 1;
#endif
#else
constexpr int kWorkloadDivisor = 1;
#endif

// A tidemark process started in the background; stdout and stderr go to files.
struct Background {
  pid_t pid = -1;
  std::string out_path;
  std::string err_path;
};

inline Background SpawnTidemark(const std::vector<std::string>& args) {
  Background proc;
  std::string dir = TempDir("bg");
  proc.out_path = dir + "/out";
  proc.err_path = dir + "/err";
  std::vector<std::string> argv_store = {TIDEMARK_BIN};
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_store) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, proc.out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, proc.err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int rc = posix_spawn(&proc.pid, TIDEMARK_BIN, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot run " + std::string(TIDEMARK_BIN));
  return proc;
}

// Exit status like RunTidemark's: the code, or 128 + signal.
inline int WaitFor(const Background& proc) {
  int wstatus = 0;
  waitpid(proc.pid, &wstatus, 0);
  return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}

// True when the process has ended; `exit_code` then holds its status.
inline bool Finished(const Background& proc, int& exit_code) {
  int wstatus = 0;
  if (waitpid(proc.pid, &wstatus, WNOHANG) != proc.pid) return false;
  exit_code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
  return true;
}

inline rapidjson::Document ParseJson(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  REQUIRE_MESSAGE(!doc.HasParseError(), text.substr(0, 2000));
  return doc;
}

// The counts of `info --json` (incidents, controls, feed_events, ...), exit status checked.
inline std::map<std::string, int64_t> InfoCounts(const std::string& store) {
  auto result = RunTidemark({"--store", store, "--json", "info"});
  REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  auto doc = ParseJson(result.out);
  std::map<std::string, int64_t> counts;
  for (const auto& member : doc.GetObject()) {
    if (member.value.IsInt64()) counts[member.name.GetString()] = member.value.GetInt64();
  }
  return counts;
}

// A new store directory with a copy of `store`'s data file (no lock file: a fresh reader table).
inline std::string CopyStore(const std::string& store) {
  std::string copy = TempDir("store-copy");
  std::filesystem::copy_file(store + "/data.mdb", copy + "/data.mdb");
  return copy;
}

// tools/bench/gen_incidents.py N (deterministic), written once per test process; `first`
// keeps only the first lines, so the file of `first` incidents is a prefix of the full one.
inline std::string GeneratedIncidents(int count, int first = 0) {
  static std::map<std::pair<int, int>, std::string> made;
  auto key = std::make_pair(count, first);
  if (auto it = made.find(key); it != made.end()) return it->second;
  std::string path = TempDir("gen") + "/incidents-" + std::to_string(count) + "-" + std::to_string(first) + ".ndjson";
  if (first > 0) {
    std::ifstream in(GeneratedIncidents(count));
    std::ofstream out(path);
    std::string line;
    for (int line_idx = 0; line_idx < first && std::getline(in, line); ++line_idx) out << line << '\n';
  } else {
    std::string command = "python3 '" + SourceDir() + "/tools/bench/gen_incidents.py' " + std::to_string(count) +
                          " > '" + path + "'";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("cannot generate incidents: " + command);
  }
  made[key] = path;
  return path;
}

// Sets an environment variable for the lifetime of the guard (child processes inherit it).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) { setenv(name, value.c_str(), 1); }
  ~ScopedEnv() { unsetenv(name_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
};

}  // namespace tidemark::testing::reliability
