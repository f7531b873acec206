// Schema evolution (SPEC §5): a store of the first released schema (tests/data/stores/schema-v1,
// written by schema version 1) or of schema version 2 or 3 (tests/data/stores/schema-v2, -v3)
// opens with this binary, is upgraded in place to the current
// schema in one transaction (said on stderr), keeps every record and answers as before; a
// second open changes nothing. A store whose meta records a newer schema version, or no
// version at all, is refused with exit status 3 and a message naming both versions.
#include <algorithm>
#include <filesystem>
#include <map>

#include <lmdb.h>

#include "engine/store/store.h"
#include "tests/reliability/reliability_support.h"

namespace tidemark::testing::reliability {
namespace {

// A private copy of a committed store (opening it may create lock.mdb beside it).
std::string CommittedStore(const std::string& name) {
  std::string copy = TempDir(name);
  std::filesystem::copy_file(DataPath("stores/" + name + "/data.mdb"), copy + "/data.mdb");
  return copy;
}
std::string SchemaV1Store() { return CommittedStore("schema-v1"); }

// A store made by this binary with the recipe of a committed store's README.md (schema-v2
// imports its own incidents.ndjson too).
// schema-v3 adds its CVE knowledge and findings.
std::string FreshStore(bool with_v2_incidents = false, bool with_v3_findings = false) {
  std::string fresh = TempDir("schema-fresh");
  std::vector<std::string> incidents = {"import", "incidents", DataPath("incidents/native/incidents.ndjson")};
  if (with_v2_incidents) incidents.push_back(DataPath("stores/schema-v2/incidents.ndjson"));
  std::vector<std::vector<std::string>> imports = {{"import", "attack", DataPath("scoring/mini-attack.json")},
                                                   {"import", "controls", DataPath("controls/catalog.json")},
                                                   incidents};
  if (with_v3_findings) {
    imports.push_back({"import", "cves", DataPath("stores/schema-v3/cves.csv")});
    imports.push_back({"import", "vulnerabilities", DataPath("stores/schema-v3/findings.ndjson")});
  }
  for (const auto& args : imports) {
    std::vector<std::string> command = {"--store", fresh, "-q"};
    command.insert(command.end(), args.begin(), args.end());
    auto imported = RunTidemark(command);
    REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  }
  return fresh;
}

// Every named database of the store at `path` with all its records, read with LMDB itself.
using StoreDump = std::map<std::string, std::map<std::string, std::string>>;
struct RawStore {
  StoreDump databases;
  size_t last_txnid = 0;
};

RawStore ReadRaw(const std::string& path) {
  RawStore raw;
  MDB_env* env = nullptr;
  REQUIRE(mdb_env_create(&env) == MDB_SUCCESS);
  mdb_env_set_maxdbs(env, 64);
  REQUIRE(mdb_env_open(env, path.c_str(), MDB_RDONLY, 0644) == MDB_SUCCESS);
  MDB_envinfo info;
  mdb_env_info(env, &info);
  raw.last_txnid = info.me_last_txnid;
  MDB_txn* txn = nullptr;
  REQUIRE(mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn) == MDB_SUCCESS);
  MDB_dbi main_db;
  REQUIRE(mdb_dbi_open(txn, nullptr, 0, &main_db) == MDB_SUCCESS);
  std::vector<std::string> names;
  MDB_cursor* cursor = nullptr;
  REQUIRE(mdb_cursor_open(txn, main_db, &cursor) == MDB_SUCCESS);
  MDB_val key, value;
  for (int rc = mdb_cursor_get(cursor, &key, &value, MDB_FIRST); rc == 0;
       rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)) {
    names.emplace_back(static_cast<const char*>(key.mv_data), key.mv_size);
  }
  mdb_cursor_close(cursor);
  for (const auto& name : names) {
    MDB_dbi dbi;
    REQUIRE(mdb_dbi_open(txn, name.c_str(), 0, &dbi) == MDB_SUCCESS);
    auto& records = raw.databases[name];
    REQUIRE(mdb_cursor_open(txn, dbi, &cursor) == MDB_SUCCESS);
    for (int rc = mdb_cursor_get(cursor, &key, &value, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)) {
      records.emplace(std::string(static_cast<const char*>(key.mv_data), key.mv_size),
                      std::string(static_cast<const char*>(value.mv_data), value.mv_size));
    }
    mdb_cursor_close(cursor);
  }
  mdb_txn_abort(txn);
  mdb_env_close(env);
  return raw;
}

// Rewrites the recorded schema version with LMDB itself: tidemark refuses to open a store of
// a newer version, so it cannot be the tool that puts the version back.
void SetSchemaVersion(const std::string& path, const std::string& version) {
  MDB_env* env = nullptr;
  REQUIRE(mdb_env_create(&env) == MDB_SUCCESS);
  mdb_env_set_maxdbs(env, 64);
  REQUIRE(mdb_env_open(env, path.c_str(), 0, 0644) == MDB_SUCCESS);
  MDB_txn* txn = nullptr;
  MDB_dbi meta;
  REQUIRE(mdb_txn_begin(env, nullptr, 0, &txn) == MDB_SUCCESS);
  REQUIRE(mdb_dbi_open(txn, "meta", 0, &meta) == MDB_SUCCESS);
  MDB_val key{14, const_cast<char*>("schema_version")};
  MDB_val value{version.size(), const_cast<char*>(version.data())};
  CHECK(mdb_put(txn, meta, &key, &value, 0) == MDB_SUCCESS);
  CHECK(mdb_txn_commit(txn) == MDB_SUCCESS);
  mdb_env_close(env);
}

std::string RecordedVersion(const std::string& path) {
  return ReadRaw(path).databases["meta"]["schema_version"];
}

// The upgraded store answers `question` at 2026-06-01 exactly as a store freshly made from the
// same inputs does.
void SameAnswer(const std::string& store, const std::string& fresh, const std::vector<std::string>& question) {
  CAPTURE(question[question.size() - 1]);
  std::vector<std::string> on_upgraded = {"--store", store, "--as-of", "2026-06-01"};
  std::vector<std::string> on_fresh = {"--store", fresh, "--as-of", "2026-06-01"};
  on_upgraded.insert(on_upgraded.end(), question.begin(), question.end());
  on_fresh.insert(on_fresh.end(), question.begin(), question.end());
  auto upgraded_answer = RunTidemark(on_upgraded);
  auto fresh_answer = RunTidemark(on_fresh);
  REQUIRE_MESSAGE(upgraded_answer.exit_code == 0, upgraded_answer.err);
  REQUIRE_MESSAGE(fresh_answer.exit_code == 0, fresh_answer.err);
  CHECK(upgraded_answer.out == fresh_answer.out);
}

// SameAnswer for each question.
void SameAnswers(const std::string& store, const std::string& fresh,
                 const std::vector<std::vector<std::string>>& questions) {
  for (const auto& question : questions) SameAnswer(store, fresh, question);
}

// The schema-6 step rewrites every incident_facts record in layout 3 (term numbers, fact_terms):
// the upgraded store holds the same incidents' facts, each of layout 3, and a term table.
void FactsRenumbered(const std::map<std::string, std::string>& before, RawStore& after) {
  const auto& facts = after.databases["incident_facts"];
  REQUIRE(facts.size() == before.size());
  for (const auto& entry : before) {
    const std::string& key = entry.first;
    CAPTURE(key);
    REQUIRE(facts.count(key) == 1);
    CHECK(facts.at(key).substr(0, 1) == "\x03");
  }
  if (!before.empty()) CHECK_FALSE(after.databases["fact_terms"].empty());
}

// A private copy of the committed store of schema `version` (tests/data/stores/schema-v<version>)
// and its records as committed, which hold that version and `records` records in database `db`.
struct Committed {
  std::string store;
  RawStore before;
};

Committed CommittedCopy(int version, const char* db, size_t records) {
  Committed committed{CommittedStore("schema-v" + std::to_string(version)), {}};
  committed.before = ReadRaw(committed.store);
  REQUIRE(committed.before.databases["meta"]["schema_version"] == std::to_string(version));
  REQUIRE(committed.before.databases[db].size() == records);
  return committed;
}

// Opens `store` once (`info`, its result in `info`) and checks the upgrade from version `from`:
// stderr says so, the store records the current version and one transaction wrote it. Returns
// the store as the upgrade left it.
RawStore UpgradedByOneOpen(const std::string& store, const RawStore& before, int from, CommandResult& info) {
  info = RunTidemark({"--store", store, "--json", "info"});
  REQUIRE_MESSAGE(info.exit_code == 0, info.err);
  CHECK_MESSAGE(info.err.find("store " + store + ": upgraded schema " + std::to_string(from) + " -> " +
                              std::to_string(store::kSchemaVersion)) != std::string::npos,
                info.err);
  RawStore after = ReadRaw(store);
  CHECK(after.databases["meta"]["schema_version"] == std::to_string(store::kSchemaVersion));
  CHECK(after.last_txnid == before.last_txnid + 1);  // one transaction
  return after;
}

// UpgradedByOneOpen, and every database of `before` but meta is kept byte for byte
// (incident_facts: renumbered, FactsRenumbered).
RawStore UpgradedInOneTransaction(const std::string& store, const RawStore& before, int from) {
  CommandResult info;
  RawStore after = UpgradedByOneOpen(store, before, from, info);
  for (const auto& [name, records] : before.databases) {
    const auto& name_ = name;  // CAPTURE's lambda cannot capture a structured binding (clang)
    CAPTURE(name_);
    REQUIRE(after.databases.count(name) == 1);
    if (name == "meta") continue;
    if (name == "incident_facts") {
      FactsRenumbered(records, after);
      continue;
    }
    CHECK(after.databases[name] == records);
  }
  return after;
}

// A second open of an upgraded store finds the current version and writes nothing.
void OpensWithoutWriting(const std::string& store) {
  RawStore upgraded = ReadRaw(store);
  auto again = RunTidemark({"--store", store, "--json", "info"});
  CHECK_MESSAGE(again.err.find("upgraded") == std::string::npos, again.err);
  CHECK(ReadRaw(store).last_txnid == upgraded.last_txnid);
}

TEST_CASE("a version-1 store is upgraded in place once, keeps every record and answers as before") {
  Committed v1 = CommittedCopy(1, "incidents", 3);
  const std::string& store = v1.store;
  const RawStore& before = v1.before;
  CommandResult info;
  RawStore after = UpgradedByOneOpen(store, before, 1, info);
  auto doc = ParseJson(info.out);
  CHECK(doc["schema_version"].GetInt() == store::kSchemaVersion);
  CHECK(doc["incidents"].GetInt() == 3);
  CHECK(doc["controls"].GetInt() == 3);
  CHECK(doc["attack_objects"]["technique"].GetInt() == 6);
  CHECK(std::string(doc["attack_releases"]["enterprise-attack"]["version"].GetString()) == "99.1");

  // Every record of version 1 is still there, byte for byte, but the incident facts (rewritten in
  // layout 3 by the schema-6 step); the version changed, and the databases of version 2 exist
  // (empty).
  for (const auto& [name, records] : before.databases) {
    const auto& name_ = name;  // CAPTURE's lambda cannot capture a structured binding (clang)
    CAPTURE(name_);
    REQUIRE(after.databases.count(name) == 1);
    if (name == "incident_facts") {
      FactsRenumbered(records, after);
      continue;
    }
    for (const auto& [key, value] : records) {
      if (name == "meta" && key == "schema_version") continue;
      const auto& key_ = key;  // CAPTURE's lambda cannot capture a structured binding (clang)
      CAPTURE(key_);
      REQUIRE(after.databases[name].count(key) == 1);
      CHECK(after.databases[name][key] == value);
    }
    CHECK(after.databases[name].size() == records.size());
  }
  for (const char* added : {"findings", "cve_mappings", "kev", "run_state"}) {
    CAPTURE(added);
    CHECK(before.databases.count(added) == 0);
    REQUIRE(after.databases.count(added) == 1);
    CHECK(after.databases[added].empty());
  }

  // The upgraded store answers each question the way a store made by this binary from the same
  // inputs does (the recipe of tests/data/stores/schema-v1/README.md), and its evidence index
  // (schema 3, built from the stored incidents) is the one that store's imports wrote.
  std::string fresh = FreshStore();
  CHECK(after.databases["evidence"] == ReadRaw(fresh).databases["evidence"]);
  SameAnswers(store, fresh, {{"incidents"}, {"incident", "INC-1042"}, {"--json", "incident", "INC-1042"}});

  // A second open finds the current version and writes nothing.
  RawStore upgraded = ReadRaw(store);
  auto again = RunTidemark({"--store", store, "--json", "info"});
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  CHECK_MESSAGE(again.err.find("upgraded") == std::string::npos, again.err);
  CHECK(again.out == info.out);
  CHECK(ReadRaw(store).last_txnid == upgraded.last_txnid);
}

TEST_CASE("a version-2 store is upgraded to 3 in one transaction: the evidence index is built from its incidents") {
  Committed v2 = CommittedCopy(2, "incidents", 7);
  REQUIRE(v2.before.databases.count("evidence") == 0);

  RawStore after = UpgradedInOneTransaction(v2.store, v2.before, 2);
  // V2-1, V2-2 and V2-4 show techniques succeeded (V2-1 blocked T1200; V2-3 is a false
  // positive): the index holds T1100.001, T1200, T1300 and T1400.
  std::string fresh = FreshStore(/*with_v2_incidents=*/true);
  const auto& evidence = after.databases["evidence"];
  CHECK(evidence == ReadRaw(fresh).databases["evidence"]);
  for (const char* technique : {"T1100.001", "T1200", "T1300", "T1400"}) CHECK(evidence.count(technique) == 1);

  SameAnswers(v2.store, fresh,
              {{"incident", "V2-1"}, {"--json", "incident", "V2-4"}, {"--json", "threat", "all"}, {"incident", "INC-1042"}});
  OpensWithoutWriting(v2.store);
}

TEST_CASE("a version-3 store is upgraded to 4 in one transaction: the finding index is built from its findings") {
  Committed v3 = CommittedCopy(3, "findings", 6);
  REQUIRE(v3.before.databases.count("finding_index") == 0);

  RawStore after = UpgradedInOneTransaction(v3.store, v3.before, 3);
  // One list per asset with findings, and the string table. (Its string numbers follow the
  // order findings were written in, so the bytes differ from an import's; the answers agree.)
  std::string fresh = FreshStore(/*with_v2_incidents=*/true, /*with_v3_findings=*/true);
  std::vector<std::string> keys, fresh_keys;
  for (const auto& [key, value] : after.databases["finding_index"]) keys.push_back(key);
  RawStore fresh_raw = ReadRaw(fresh);  // held: a loop over a temporary's member would dangle
  for (const auto& [key, value] : fresh_raw.databases["finding_index"]) fresh_keys.push_back(key);
  CHECK(keys == fresh_keys);
  CHECK(keys == std::vector<std::string>{std::string("asset\0db01", 10), std::string("asset\0web01", 11),
                                         std::string("asset\0ws-1", 10), "strings"});

  SameAnswers(v3.store, fresh,
              {{"--json", "vulnerabilities"},
               {"vulnerabilities"},
               {"--json", "threat", "all"},
               {"history", "--scope", "all", "--format", "csv"},
               {"--json", "threats"}});
  OpensWithoutWriting(v3.store);
}

TEST_CASE("a version-5 store is upgraded to 6 in one transaction: every incident's facts name their IDs by number") {
  Committed v5 = CommittedCopy(5, "incident_facts", 7);
  const std::string& store = v5.store;
  REQUIRE(v5.before.databases.count("fact_terms") == 0);

  RawStore after = UpgradedInOneTransaction(store, v5.before, 5);
  // The term table holds every technique, asset and threat the facts name, numbered densely.
  const auto& terms = after.databases["fact_terms"];
  std::vector<std::string> numbered;
  for (const auto& entry : terms) numbered.push_back(entry.second);
  CHECK(std::string(terms.rbegin()->first) == std::string("\0\0\0", 3) + static_cast<char>(terms.size() - 1));
  for (const char* term : {"T1100.001", "T1200", "ws-1"}) {
    CAPTURE(term);
    CHECK(std::find(numbered.begin(), numbered.end(), term) != numbered.end());
  }

  std::string fresh = FreshStore(/*with_v2_incidents=*/true, /*with_v3_findings=*/true);
  SameAnswers(store, fresh,
              {{"--json", "threat", "all"},
               {"--json", "threats"},
               {"--json", "incident", "V2-1"},
               {"incident", "INC-1042"},
               {"--json", "recommendations"},
               {"history", "--scope", "all", "--format", "csv"},
               {"navigator", "--scope", "all"}});
  // Importing into the upgraded store numbers new terms after the migrated ones and answers as
  // the fresh store does after the same import.
  for (const std::string& target : {store, fresh}) {
    auto imported = RunTidemark({"--store", target, "-q", "import", "incidents",
                                 DataPath("incidents/native/incidents.json")});
    REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  }
  SameAnswer(store, fresh, {"--json", "threat", "all"});
  OpensWithoutWriting(store);
}

TEST_CASE("a store of a newer schema version is refused naming both versions") {
  std::string newer = std::to_string(store::kSchemaVersion + 1);
  std::string current = std::to_string(store::kSchemaVersion);
  for (const std::string& version : {newer, std::string("0"), std::string("two")}) {
    CAPTURE(version);
    std::string store = SchemaV1Store();
    SetSchemaVersion(store, version);
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"info"}, {"incident", "INC-1042"}, {"import", "incidents", DataPath("incidents/native/incidents.ndjson")}}) {
      std::vector<std::string> command = {"--store", store};
      command.insert(command.end(), args.begin(), args.end());
      auto result = RunTidemark(command);
      CAPTURE(args[0]);
      CHECK(result.exit_code == 3);
      CHECK_MESSAGE(result.err.find("schema version " + version) != std::string::npos, result.err);
      CHECK_MESSAGE(result.err.find("schema version " + current) != std::string::npos, result.err);
      CHECK(result.out.empty());
    }
    // Refusing does not touch the store: the recorded version is still the one written.
    CHECK(RecordedVersion(store) == version);
    SetSchemaVersion(store, "1");
    CHECK(RunTidemark({"--store", store, "info"}).exit_code == 0);
    CHECK(RecordedVersion(store) == current);
  }
}

}  // namespace
}  // namespace tidemark::testing::reliability
