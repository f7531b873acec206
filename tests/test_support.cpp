#include "tests/test_support.h"

#include "engine/core/time_util.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace tidemark::testing {
namespace fs = std::filesystem;

namespace {

// Temporary directories made by this process, removed when it exits (unless
// TIDEMARK_KEEP_TEMP is set). Function-local so it outlives every user.
struct TempDirList {
  std::vector<std::string> dirs;
  ~TempDirList() {
    if (std::getenv("TIDEMARK_KEEP_TEMP")) return;
    std::error_code ec;
    for (const auto& dir : dirs) fs::remove_all(dir, ec);
  }
};

std::vector<std::string>& TempDirs() {
  static TempDirList list;
  return list.dirs;
}

}  // namespace

std::string SourceDir() {
  const char* env = std::getenv("TIDEMARK_SOURCE_DIR");
  return env ? env : TIDEMARK_SOURCE_DIR;
}

std::string DataPath(const std::string& relative) { return SourceDir() + "/tests/data/" + relative; }

std::string AttackPath(const std::string& file) {
  std::string path = SourceDir() + "/mitre-data/cache/" + file;
  if (!fs::exists(path)) {
    throw std::runtime_error(path + " is missing: run mitre-data/fetch.sh first");
  }
  return path;
}

std::string SharedPath(const std::string& relative) {
  return (fs::path(SourceDir()) / ".." / "shared" / relative).lexically_normal().string();
}

std::string TempDir(const std::string& hint) {
  std::string pattern = (fs::temp_directory_path() / (hint + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  TempDirs().push_back(pattern);
  return pattern;
}

CommandResult RunTidemark(const std::vector<std::string>& args, const std::string& stdin_text) {
  std::string tmp = TempDir("run");
  std::string out_path = tmp + "/out", err_path = tmp + "/err", in_path = tmp + "/in";
  WriteText(in_path, stdin_text);
  std::vector<std::string> argv_store = {TIDEMARK_BIN};
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid;
  int rc = posix_spawn(&pid, TIDEMARK_BIN, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot run " + std::string(TIDEMARK_BIN));
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  CommandResult result;
  result.exit_code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
  result.out = ReadText(out_path);
  result.err = ReadText(err_path);
  return result;
}

namespace {

// A store template shared by every test process of one build, so each of the ~70 test processes
// does not import the 50 MB ATT&CK bundle (and the demo organisation) again: 1.7 s a time under
// the sanitizers. It lives next to the tidemark binary, in a directory named after what it was
// made from (the binary's and the inputs' sizes and modification times), so a rebuilt binary or
// a changed input makes a new one. `make` fills a private directory that is then renamed into
// place, so a concurrent process never sees half a template (two may both make it once; the
// second rename loses and its copy is removed). Older templates of the same name are removed.
std::string SharedTemplate(const std::string& name, const std::vector<std::string>& inputs,
                           const std::function<void(const std::string&)>& make) {
  std::vector<std::string> sources = {TIDEMARK_BIN};
  sources.insert(sources.end(), inputs.begin(), inputs.end());
  std::string stamp;
  for (const auto& path : sources) {
    stamp += path + ":" + std::to_string(fs::file_size(path)) + ":" +
             std::to_string(fs::last_write_time(path).time_since_epoch().count()) + ";";
  }
  fs::path cache = fs::path(TIDEMARK_BIN).parent_path() / "test-stores";
  fs::path ready = cache / (name + "-" + std::to_string(std::hash<std::string>{}(stamp)));
  if (fs::exists(ready / "data.mdb")) return ready.string();
  fs::create_directories(cache);
  fs::path building = cache / (ready.filename().string() + ".tmp-" + std::to_string(getpid()));
  std::error_code ec;
  fs::remove_all(building, ec);
  fs::create_directories(building);
  make(building.string());
  fs::rename(building, ready, ec);
  if (ec) {  // another process got there first
    fs::remove_all(building, ec);
    return ready.string();
  }
  for (const auto& entry : fs::directory_iterator(cache, ec)) {
    std::string other = entry.path().filename().string();
    if (entry.path() != ready && other.rfind(name + "-", 0) == 0 && other.find(".tmp-") == std::string::npos) {
      fs::remove_all(entry.path(), ec);
    }
  }
  return ready.string();
}

std::string CopyOf(const std::string& template_dir, const std::string& hint) {
  std::string copy = TempDir(hint);
  fs::copy_file(template_dir + "/data.mdb", copy + "/data.mdb");
  return copy;
}

std::string AttackTemplate() {
  static std::once_flag once;
  static std::string dir;
  std::call_once(once, [] {
    dir = SharedTemplate("attack", {AttackPath()}, [](const std::string& out) {
      auto result = RunTidemark({"--store", out, "-q", "import", "attack", AttackPath()});
      if (result.exit_code != 0) throw std::runtime_error("ATT&CK import failed: " + result.err);
    });
  });
  return dir;
}

}  // namespace

std::string StoreWithAttack() { return CopyOf(AttackTemplate(), "store"); }

std::string DemoStore() {
  static std::once_flag once;
  static std::string template_dir;
  std::call_once(once, [] {
    std::string data = SourceDir() + "/tools/demo/data/";
    const std::vector<std::vector<std::string>> imports = {
        {"controls", data + "catalog.json"},
        {"mappings", data + "mappings.json"},
        {"posture", data + "posture-2026-01.json", data + "posture-2026-02.json", data + "posture-2026-03.json"},
        {"assets", data + "assets.json"},
        {"incidents", data + "incidents.ndjson", data + "defender-incidents.json"}};
    std::vector<std::string> inputs = {AttackPath()};
    for (const auto& args : imports) inputs.insert(inputs.end(), args.begin() + 1, args.end());
    template_dir = SharedTemplate("demo", inputs, [&](const std::string& out) {
      fs::copy_file(AttackTemplate() + "/data.mdb", out + "/data.mdb");
      for (const auto& args : imports) {
        std::vector<std::string> command = {"--store", out, "-q", "import"};
        command.insert(command.end(), args.begin(), args.end());
        auto result = RunTidemark(command);
        if (result.exit_code != 0) throw std::runtime_error("demo import failed: " + result.err);
      }
    });
  });
  return CopyOf(template_dir, "demo");
}

std::string Spring4ShellStore() {
  std::string store = StoreWithAttack();
  auto cves = RunTidemark({"--store", store, "-q", "import", "cves",
                           SharedPath("mappings/kev/kev-07.28.2025_attack-16.1-enterprise.json"),
                           SharedPath("mappings/cve/Att&ckToCveMappings.csv"),
                           SharedPath("vulnerabilities/known_exploited_vulnerabilities.json")});
  REQUIRE_MESSAGE(cves.exit_code == 0, cves.err);
  std::string incidents = TempDir("inc") + "/i.ndjson";
  WriteText(incidents,
            R"({"id": "INC-1", "created": "2025-01-01T00:00:00Z", "closed": "2025-01-02T00:00:00Z", "techniques": ["T1190", "T1059"], "assets": [{"id": "web01"}], "threats": ["G0016"]})"
            "\n");
  REQUIRE(RunTidemark({"--store", store, "-q", "import", "incidents", incidents}).exit_code == 0);
  return store;
}

// Into one buffer of the file's size (then whatever a growing or special file still has):
// a stringstream grew by doubling and copied its buffer once more at the end, and under ASan
// every large buffer is fresh memory, whose page faults made reading a 2.4 MB store file the
// biggest cost of the hostile input test (docs/performance.md#the-test-loop).
std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text;
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (!ec) text.reserve(size);
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) text.append(chunk, static_cast<size_t>(in.gcount()));
  return text;
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

bool MatchesGolden(const std::string& name, const std::string& actual) {
  std::string path = SourceDir() + "/tests/golden/" + name;
  if (std::getenv("TIDEMARK_UPDATE_GOLDEN")) {
    fs::create_directories(fs::path(path).parent_path());
    WriteText(path, actual);
    return true;
  }
  return fs::exists(path) && ReadText(path) == actual;
}

rapidjson::Document Json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  REQUIRE_MESSAGE(!doc.HasParseError(), text);
  return doc;
}

std::string IncidentsJson(const std::string& store) {
  auto result = RunTidemark({"--store", store, "--json", "incidents"});
  REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  return result.out;
}

const rapidjson::Value* FindIncident(const rapidjson::Document& list, const std::string& id) {
  for (const auto& incident : list["incidents"].GetArray()) {
    if (id == incident["id"].GetString()) return &incident;
  }
  return nullptr;
}

int64_t Day(const char* date) { return *ParseIsoTime(date); }
int64_t EndOf(const char* date) { return *ParseIsoTime(date, DateOnly::kEndOfDay); }

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace tidemark::testing
