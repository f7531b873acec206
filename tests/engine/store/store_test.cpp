#include "engine/store/store.h"

#include <doctest/doctest.h>
#include <lmdb.h>

#include "engine/store/key_codec.h"
#include "tests/test_support.h"

namespace tidemark::store {

TEST_CASE("big-endian keys sort in numeric order, negatives first") {
  CHECK(EncodeInt64(-5) < EncodeInt64(0));
  CHECK(EncodeInt64(0) < EncodeInt64(1));
  CHECK(EncodeInt64(255) < EncodeInt64(256));
  CHECK(DecodeInt64(EncodeInt64(1772728802000)) == 1772728802000);
  CHECK(DecodeInt64(EncodeInt64(-42)) == -42);
}

TEST_CASE("composite keys join and split on NUL") {
  std::string key = JoinKey({"technique", "T1059.001", "enterprise-attack"});
  auto parts = SplitKey(key);
  REQUIRE(parts.size() == 3);
  CHECK(parts[1] == "T1059.001");
  CHECK(key.substr(0, KeyPrefix({"technique", "T1059.001"}).size()) == KeyPrefix({"technique", "T1059.001"}));
  CHECK(KeyPrefix({"technique", "T1059"}) != key.substr(0, KeyPrefix({"technique", "T1059"}).size()));
}

TEST_CASE("a write that fails leaves nothing behind") {
  auto store = Store::Open(testing::TempDir());
  REQUIRE(store.ok());
  Status status = (*store)->Write([](WriteTxn& txn) {
    txn.Put(Db::kControls, "A", "{}");
    return Status::BadInput("record 2: bad");
  });
  CHECK(status.code() == StatusCode::kBadInput);
  CHECK_FALSE((*store)->Read().Get(Db::kControls, "A").has_value());
}

TEST_CASE("a write transaction runs once: the map is sized when the store opens (issue 16)") {
  auto store = Store::Open(testing::TempDir());
  REQUIRE(store.ok());
  std::string value(4096, 'x');
  int runs = 0;
  Status status = (*store)->Write([&](WriteTxn& txn) {
    ++runs;
    for (int idx = 0; idx < 20000; ++idx) txn.Put(Db::kIncidents, EncodeInt64(idx), value);  // ~80 MB
    return Status::Ok();
  });
  REQUIRE(status.ok());
  CHECK(runs == 1);
  CHECK((*store)->Read().Count(Db::kIncidents) == 20000);
}

TEST_CASE("a write given its expected size runs once on a small map") {
  StoreOptions options;
  options.initial_map_size = 1 << 20;
  auto store = Store::Open(testing::TempDir(), options);
  REQUIRE(store.ok());
  std::string value(4096, 'x');
  int runs = 0;
  Status status = (*store)->Write(
      [&](WriteTxn& txn) {
        ++runs;
        for (int idx = 0; idx < 2000; ++idx) txn.Put(Db::kIncidents, EncodeInt64(idx), value);
        return Status::Ok();
      },
      /*expected_bytes=*/2000 * 4200);
  REQUIRE(status.ok());
  CHECK(runs == 1);
}

TEST_CASE("the map still grows, re-running the transaction, when a write fills it anyway") {
  StoreOptions options;
  options.initial_map_size = 1 << 20;  // 1 MiB, far too small for what follows
  auto store = Store::Open(testing::TempDir(), options);
  REQUIRE(store.ok());
  std::string value(4096, 'x');
  int runs = 0;
  Status status = (*store)->Write([&](WriteTxn& txn) {
    ++runs;
    for (int idx = 0; idx < 2000; ++idx) txn.Put(Db::kIncidents, EncodeInt64(idx), value);
    return Status::Ok();
  });
  REQUIRE(status.ok());
  CHECK(runs > 1);
  CHECK((*store)->Read().Count(Db::kIncidents) == 2000);
}

TEST_CASE("a full map at its limit fails clearly and keeps the store") {
  StoreOptions options;
  options.initial_map_size = 1 << 20;
  options.max_map_size = 1 << 21;
  std::string dir = testing::TempDir();
  auto store = Store::Open(dir, options);
  REQUIRE(store.ok());
  REQUIRE((*store)->Write([](WriteTxn& txn) { txn.Put(Db::kControls, "KEEP", "1"); return Status::Ok(); }).ok());
  std::string value(4096, 'x');
  Status status = (*store)->Write([&](WriteTxn& txn) {
    for (int idx = 0; idx < 2000; ++idx) txn.Put(Db::kIncidents, EncodeInt64(idx), value);
    return Status::Ok();
  });
  CHECK(status.code() == StatusCode::kStore);
  CHECK(status.message().find("full") != std::string::npos);
  CHECK((*store)->Read().Get(Db::kControls, "KEEP") == "1");
  CHECK((*store)->Read().Count(Db::kIncidents) == 0);
}

TEST_CASE("opening a store of another schema version names both versions") {
  std::string dir = testing::TempDir();
  {
    auto store = Store::Open(dir);
    REQUIRE(store.ok());
    REQUIRE((*store)->Write([](WriteTxn& txn) { txn.Put(Db::kMeta, "schema_version", "99"); return Status::Ok(); }).ok());
  }
  auto reopened = Store::Open(dir);
  REQUIRE_FALSE(reopened.ok());
  CHECK(reopened.status().code() == StatusCode::kStore);
  CHECK(reopened.status().message().find("schema version 99") != std::string::npos);
  CHECK(reopened.status().message().find("schema version " + std::to_string(kSchemaVersion)) !=
        std::string::npos);
}

TEST_CASE("a database missing from an existing store is created when it opens, keeping the rest") {
  std::string dir = testing::TempDir();
  {
    auto store = Store::Open(dir);
    REQUIRE(store.ok());
    REQUIRE((*store)->Write([](WriteTxn& txn) { txn.Put(Db::kControls, "KEEP", "1"); return Status::Ok(); }).ok());
  }
  {
    // Drop one database with LMDB itself, as a store written before it existed would be.
    MDB_env* env = nullptr;
    REQUIRE(mdb_env_create(&env) == MDB_SUCCESS);
    mdb_env_set_maxdbs(env, 64);
    REQUIRE(mdb_env_open(env, dir.c_str(), 0, 0644) == MDB_SUCCESS);
    MDB_txn* txn = nullptr;
    MDB_dbi dbi;
    REQUIRE(mdb_txn_begin(env, nullptr, 0, &txn) == MDB_SUCCESS);
    REQUIRE(mdb_dbi_open(txn, "run_state", 0, &dbi) == MDB_SUCCESS);
    REQUIRE(mdb_drop(txn, dbi, 1) == MDB_SUCCESS);
    REQUIRE(mdb_txn_commit(txn) == MDB_SUCCESS);
    mdb_env_close(env);
  }
  auto reopened = Store::Open(dir);
  REQUIRE_MESSAGE(reopened.ok(), reopened.status().message());
  CHECK((*reopened)->Read().Get(Db::kControls, "KEEP") == "1");
  CHECK((*reopened)->Read().Count(Db::kRunState) == 0);
  REQUIRE((*reopened)->Write([](WriteTxn& txn) { txn.Put(Db::kRunState, "all", "{}"); return Status::Ok(); }).ok());
}

TEST_CASE("a missing store is not created by a query") {
  StoreOptions options;
  options.create = false;
  auto store = Store::Open(testing::TempDir() + "/nothing-here", options);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().message().find("no store at") != std::string::npos);
}

}  // namespace tidemark::store
