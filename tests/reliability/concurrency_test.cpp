// Concurrency (SPEC §5): queries from other processes while `import incidents` or `run` writes
// all succeed and see a consistent snapshot (the totals before or after the write, never a
// half-imported state); two writers at once both succeed, the second waiting on LMDB's writer
// lock, and the store ends with both writes.
#include <fstream>

#include "tests/reliability/reliability_support.h"

namespace tidemark::testing::reliability {
namespace {

// 15,000 incidents (30,000 until session 9: 34 CPU-s for this file, half of it queries racing
// the longer writes): every query still races each write, and what is checked is that each
// answer is the state before or after, which does not depend on how long the write is.
constexpr int kConcurrentIncidents = 15000 / kWorkloadDivisor;
constexpr int kConcurrentAlreadyImported = 2500 / kWorkloadDivisor;
const char* kAsOf = "2026-03-15";

// What the queries report about one state of the store.
struct Snapshot {
  int64_t incidents = 0;    // info --json
  int64_t feed_events = 0;  // info --json
  int64_t counted = 0;      // threat all --json: incidents in the scope
  int64_t listed = 0;       // incidents --json: array length
};

constexpr int kQueryKinds = 5;

// Runs query `query_idx % kQueryKinds` and returns the number it reports (0 for
// recommendations, which is only checked to answer).
int64_t Query(const std::string& store, int query_idx) {
  switch (query_idx % kQueryKinds) {
    case 0:
      return InfoCounts(store).at("incidents");
    case 1:
      return InfoCounts(store).at("feed_events");
    case 2: {
      auto result = RunTidemark({"--store", store, "--json", "--as-of", kAsOf, "threat", "all"});
      REQUIRE_MESSAGE(result.exit_code == 0, result.err);
      return ParseJson(result.out)["incidents"].GetInt64();
    }
    case 3: {
      auto result = RunTidemark({"--store", store, "--json", "incidents"});
      REQUIRE_MESSAGE(result.exit_code == 0, result.err);
      return ParseJson(result.out)["incidents"].GetArray().Size();
    }
    default: {
      auto result = RunTidemark({"--store", store, "--as-of", kAsOf, "recommendations"});
      REQUIRE_MESSAGE(result.exit_code == 0, result.err);
      return 0;
    }
  }
}

int64_t Field(const Snapshot& snapshot, int query_idx) {
  switch (query_idx % kQueryKinds) {
    case 0: return snapshot.incidents;
    case 1: return snapshot.feed_events;
    case 2: return snapshot.counted;
    case 3: return snapshot.listed;
    default: return 0;
  }
}

Snapshot Full(const std::string& store) {
  return {Query(store, 0), Query(store, 1), Query(store, 2), Query(store, 3)};
}

// Starts `args` on `store` and queries it in a loop until the writer ends: every answer must be
// exactly the one of `before` or of `after`. Returns how many queries ran during the write.
int QueryWhileWriting(const std::string& store, const std::vector<std::string>& args, const Snapshot& before,
                      const Snapshot& after) {
  std::vector<std::string> command = {"--store", store, "-q"};
  command.insert(command.end(), args.begin(), args.end());
  auto writer = SpawnTidemark(command);
  int queries = 0, writer_status = -1;
  while (!Finished(writer, writer_status)) {
    int64_t seen = Query(store, queries);
    CAPTURE(queries);
    CHECK_MESSAGE((seen == Field(before, queries) || seen == Field(after, queries)),
                  seen << " is neither " << Field(before, queries) << " nor " << Field(after, queries));
    ++queries;
  }
  CHECK_MESSAGE(writer_status == 0, ReadText(writer.err_path));
  return queries;
}

std::string Lines(const std::string& path, int from, int to) {
  std::ifstream in(path);
  std::string line, text;
  for (int line_idx = 0; std::getline(in, line); ++line_idx) {
    if (line_idx >= from && line_idx < to) text += line + "\n";
  }
  std::string out = TempDir("part") + "/part.ndjson";
  WriteText(out, text);
  return out;
}

TEST_CASE("queries while import incidents writes see the state before or after, never between") {
  std::string base = DemoStore();
  auto pre = RunTidemark({"--store", base, "-q", "import", "incidents", GeneratedIncidents(kConcurrentIncidents, kConcurrentAlreadyImported)});
  REQUIRE_MESSAGE(pre.exit_code == 0, pre.err);
  std::string reference = CopyStore(base);
  auto full = RunTidemark({"--store", reference, "-q", "import", "incidents", GeneratedIncidents(kConcurrentIncidents)});
  REQUIRE_MESSAGE(full.exit_code == 0, full.err);
  Snapshot before = Full(base), after = Full(reference);
  REQUIRE(before.incidents != after.incidents);
  REQUIRE(before.counted != after.counted);
  int queries = 0;
  for (int round = 0; round < 3; ++round) {
    queries += QueryWhileWriting(CopyStore(base), {"import", "incidents", GeneratedIncidents(kConcurrentIncidents)}, before, after);
  }
  MESSAGE(queries << " queries answered during 3 imports");
  CHECK(queries > 0);
}

TEST_CASE("queries while run writes see the feed before or after") {
  std::string base = DemoStore();
  auto pre = RunTidemark({"--store", base, "-q", "import", "incidents", GeneratedIncidents(kConcurrentIncidents)});
  REQUIRE_MESSAGE(pre.exit_code == 0, pre.err);
  std::string reference = CopyStore(base);
  auto run = RunTidemark({"--store", reference, "-q", "run"});
  REQUIRE_MESSAGE(run.exit_code == 0, run.err);
  Snapshot before = Full(base), after = Full(reference);
  REQUIRE(before.feed_events != after.feed_events);
  int queries = 0;
  for (int round = 0; round < 3; ++round) queries += QueryWhileWriting(CopyStore(base), {"run"}, before, after);
  MESSAGE(queries << " queries answered during 3 runs");
}

TEST_CASE("two writers at once both succeed and the store holds both writes") {
  std::string base = DemoStore();
  int64_t demo = InfoCounts(base).at("incidents");
  std::string all = GeneratedIncidents(kConcurrentIncidents);
  std::string first_half = Lines(all, 0, kConcurrentIncidents / 2), second_half = Lines(all, kConcurrentIncidents / 2, kConcurrentIncidents);
  for (int round = 0; round < 3; ++round) {
    std::string store = CopyStore(base);
    auto first = SpawnTidemark({"--store", store, "-q", "import", "incidents", first_half});
    auto second = SpawnTidemark({"--store", store, "-q", "import", "incidents", second_half});
    CHECK_MESSAGE(WaitFor(first) == 0, ReadText(first.err_path));
    CHECK_MESSAGE(WaitFor(second) == 0, ReadText(second.err_path));
    CHECK(InfoCounts(store).at("incidents") == demo + kConcurrentIncidents);
    auto again = RunTidemark({"--store", store, "import", "incidents", all});
    CHECK(again.err.find("0 new, 0 updated, " + std::to_string(kConcurrentIncidents) + " unchanged") != std::string::npos);
  }
  // A run beside an import: both succeed; a later run brings the feed in step with everything.
  std::string store = CopyStore(base);
  auto import = SpawnTidemark({"--store", store, "-q", "import", "incidents", all});
  auto run = SpawnTidemark({"--store", store, "-q", "run"});
  CHECK_MESSAGE(WaitFor(import) == 0, ReadText(import.err_path));
  CHECK_MESSAGE(WaitFor(run) == 0, ReadText(run.err_path));
  CHECK(InfoCounts(store).at("incidents") == demo + kConcurrentIncidents);
  CHECK(RunTidemark({"--store", store, "run"}).exit_code == 0);
  auto idle = RunTidemark({"--store", store, "run"});
  CHECK_MESSAGE(idle.out.find("opened 0, updated 0, resolved 0") != std::string::npos, idle.out);
}

}  // namespace
}  // namespace tidemark::testing::reliability
