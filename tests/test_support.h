// Helpers shared by the tests: temporary directories, running the `tidemark` binary as a
// user would, reading fixtures, and stores with the real ATT&CK v18.1 bundle already
// imported (imported once per test process, then copied).
#pragma once

#include <rapidjson/document.h>

#include <cstdint>

#include <string>
#include <vector>

namespace tidemark::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// The repository root (TIDEMARK_SOURCE_DIR).
std::string SourceDir();
// tests/data/<relative>
std::string DataPath(const std::string& relative);
// The ATT&CK mirror obtained by mitre-data/fetch.sh: mitre-data/cache/<file>.
std::string AttackPath(const std::string& file = "enterprise-attack.json");
// ../shared/<relative> (the read-only reference data beside the project).
std::string SharedPath(const std::string& relative);

// A fresh empty directory under the system temp dir, removed at process exit.
std::string TempDir(const std::string& hint = "tm");

// Runs `tidemark` with the arguments (no shell; each argument passed as is). `stdin_text`
// is fed on standard input when not empty.
CommandResult RunTidemark(const std::vector<std::string>& args, const std::string& stdin_text = "");

// A new store directory holding the enterprise v18.1 bundle.
std::string StoreWithAttack();

// A new store directory holding the demo organisation of tools/demo (ATT&CK enterprise v18.1,
// catalog, mappings, three posture snapshots, assets, NDJSON and Defender incidents).
std::string DemoStore();

// A new store for the Spring4Shell vulnerability tests: ATT&CK, the real CVE knowledge of
// ../shared (CTID KEV and CVE mappings, the CISA KEV catalog) and one closed incident INC-1
// (T1190 and T1059 on web01, attributed to G0016); no findings yet.
std::string Spring4ShellStore();

std::string ReadText(const std::string& path);
void WriteText(const std::string& path, const std::string& text);

// Compares `actual` with tests/golden/<name>; TIDEMARK_UPDATE_GOLDEN=1 rewrites the file.
// Milliseconds of an ISO date or time (a date alone: its start), and of a date's last millisecond.
int64_t Day(const char* date);
int64_t EndOf(const char* date);

// The lines of `text`, without their newlines.
std::vector<std::string> Lines(const std::string& text);

// Parses JSON a command printed; the test fails, showing the text, when it does not parse.
rapidjson::Document Json(const std::string& text);

bool MatchesGolden(const std::string& name, const std::string& actual);

// `tidemark --json incidents` on `store` (the test stops when it fails).
std::string IncidentsJson(const std::string& store);
// The record of incident `id` in a parsed `incidents --json` list, or nullptr.
const rapidjson::Value* FindIncident(const rapidjson::Document& list, const std::string& id);

}  // namespace tidemark::testing
