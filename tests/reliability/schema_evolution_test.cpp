// Schema evolution (SPEC §5): a store of the first released schema (tests/data/stores/schema-v1,
// written by schema version 1) opens and answers queries; a store whose meta records another
// schema version is refused with exit status 3 and a message naming both versions.
#include <filesystem>

#include <lmdb.h>

#include "tests/reliability/reliability_support.h"

namespace tidemark::testing::reliability {
namespace {

// A private copy of the committed v1 store (opening it may create lock.mdb beside it).
std::string SchemaV1Store() {
  std::string copy = TempDir("schema-v1");
  std::filesystem::copy_file(DataPath("stores/schema-v1/data.mdb"), copy + "/data.mdb");
  return copy;
}

// Rewrites the recorded schema version with LMDB itself: tidemark refuses to open a store of
// another version, so it cannot be the tool that puts the version back.
void SetSchemaVersion(const std::string& path, const std::string& version) {
  MDB_env* env = nullptr;
  REQUIRE(mdb_env_create(&env) == MDB_SUCCESS);
  mdb_env_set_maxdbs(env, 32);
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

TEST_CASE("the first released schema (version 1) still opens and answers") {
  std::string store = SchemaV1Store();
  auto info = RunTidemark({"--store", store, "--json", "info"});
  REQUIRE_MESSAGE(info.exit_code == 0, info.err);
  auto doc = ParseJson(info.out);
  CHECK(doc["schema_version"].GetInt() == 1);
  CHECK(doc["incidents"].GetInt() == 3);
  CHECK(doc["controls"].GetInt() == 3);
  CHECK(doc["attack_objects"]["technique"].GetInt() == 6);
  CHECK(std::string(doc["attack_releases"]["enterprise-attack"]["version"].GetString()) == "99.1");

  auto incident = RunTidemark({"--store", store, "--json", "incident", "INC-1042"});
  REQUIRE_MESSAGE(incident.exit_code == 0, incident.err);
  auto view = ParseJson(incident.out);
  CHECK(std::string(view["incident"]["title"].GetString()) == "PowerShell stager on WS-FIN-042");
  CHECK(view["affected_assets"].GetInt() == 2);
  auto text = RunTidemark({"--store", store, "incident", "INC-1042"});
  CHECK_MESSAGE(text.exit_code == 0, text.err);
  CHECK(text.out.find("INC-1042") != std::string::npos);
}

TEST_CASE("a store of another schema version is refused naming both versions") {
  for (const std::string version : {"0", "2"}) {
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
      CHECK_MESSAGE(result.err.find("schema version 1") != std::string::npos, result.err);
      CHECK(result.out.empty());
    }
    // Refusing does not touch the store: the recorded version is still the one written.
    SetSchemaVersion(store, "1");
    CHECK(RunTidemark({"--store", store, "info"}).exit_code == 0);
  }
}

}  // namespace
}  // namespace tidemark::testing::reliability
