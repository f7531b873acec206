#include "engine/store/store.h"

#include <lmdb.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>

#include "engine/core/logging.h"

namespace tidemark::store {
namespace {

constexpr const char* kDbNames[kDbCount] = {
    "meta",      "attack", "controls",   "mappings",   "posture", "assets",
    "incidents", "incidents_by_time",   "feed",       "feed_state", "cursors",
    "incident_facts",
};

MDB_val ToVal(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }
std::string_view FromVal(const MDB_val& v) {
  return std::string_view(static_cast<const char*>(v.mv_data), v.mv_size);
}

[[noreturn]] void Fail(const char* what, int rc) {
  throw StoreFailure(std::string("store: ") + what + ": " + mdb_strerror(rc));
}

// Raised inside Write when the map is full, so the whole transaction can be re-run.
struct MapFull {};

void Check(const char* what, int rc) {
  if (rc == MDB_MAP_FULL) throw MapFull{};
  if (rc != 0) Fail(what, rc);
}

}  // namespace

ReadTxn::~ReadTxn() {
  if (txn_) mdb_txn_abort(txn_);
}

ReadTxn::ReadTxn(ReadTxn&& other) noexcept : store_(other.store_), txn_(other.txn_) {
  other.txn_ = nullptr;
}

std::optional<std::string_view> ReadTxn::Get(Db db, std::string_view key) const {
  MDB_val k = ToVal(key), v;
  int rc = mdb_get(txn_, store_->dbi(db), &k, &v);
  if (rc == MDB_NOTFOUND) return std::nullopt;
  if (rc != 0) Fail("get", rc);
  return FromVal(v);
}

void ReadTxn::ForEachFrom(Db db, std::string_view start,
                          const std::function<bool(std::string_view, std::string_view)>& fn) const {
  MDB_cursor* cursor = nullptr;
  int rc = mdb_cursor_open(txn_, store_->dbi(db), &cursor);
  if (rc != 0) Fail("cursor", rc);
  // The cursor closes before the caller can commit (lmdbxx warns of a double free otherwise).
  struct Closer {
    MDB_cursor* c;
    ~Closer() { mdb_cursor_close(c); }
  } closer{cursor};
  MDB_val k = ToVal(start), v;
  rc = mdb_cursor_get(cursor, &k, &v, start.empty() ? MDB_FIRST : MDB_SET_RANGE);
  while (rc == 0) {
    if (!fn(FromVal(k), FromVal(v))) return;
    rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT);
  }
  if (rc != MDB_NOTFOUND) Fail("cursor scan", rc);
}

void ReadTxn::ForEach(Db db, std::string_view prefix,
                      const std::function<bool(std::string_view, std::string_view)>& fn) const {
  ForEachFrom(db, prefix, [&](std::string_view key, std::string_view value) {
    if (key.substr(0, prefix.size()) != prefix) return false;
    return fn(key, value);
  });
}

std::optional<std::pair<std::string_view, std::string_view>> ReadTxn::Floor(Db db, std::string_view prefix,
                                                                            std::string_view key) const {
  MDB_cursor* cursor = nullptr;
  int rc = mdb_cursor_open(txn_, store_->dbi(db), &cursor);
  if (rc != 0) Fail("cursor", rc);
  struct Closer {
    MDB_cursor* c;
    ~Closer() { mdb_cursor_close(c); }
  } closer{cursor};
  MDB_val k = ToVal(key), v;
  rc = mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE);
  if (rc == 0 && FromVal(k) == key) return std::make_pair(FromVal(k), FromVal(v));
  // Past the key (or past the end): the entry before it is the floor.
  rc = mdb_cursor_get(cursor, &k, &v, rc == MDB_NOTFOUND ? MDB_LAST : MDB_PREV);
  if (rc == MDB_NOTFOUND) return std::nullopt;
  if (rc != 0) Fail("cursor floor", rc);
  if (FromVal(k).substr(0, prefix.size()) != prefix) return std::nullopt;
  return std::make_pair(FromVal(k), FromVal(v));
}

std::optional<std::pair<std::string_view, std::string_view>> ReadTxn::Last(Db db) const {
  MDB_cursor* cursor = nullptr;
  int rc = mdb_cursor_open(txn_, store_->dbi(db), &cursor);
  if (rc != 0) Fail("cursor", rc);
  MDB_val k, v;
  rc = mdb_cursor_get(cursor, &k, &v, MDB_LAST);
  mdb_cursor_close(cursor);
  if (rc == MDB_NOTFOUND) return std::nullopt;
  if (rc != 0) Fail("cursor last", rc);
  return std::make_pair(FromVal(k), FromVal(v));
}

size_t ReadTxn::Count(Db db) const {
  MDB_stat stat;
  int rc = mdb_stat(txn_, store_->dbi(db), &stat);
  if (rc != 0) Fail("stat", rc);
  return stat.ms_entries;
}

void WriteTxn::Put(Db db, std::string_view key, std::string_view value) {
  if (key.empty() || key.size() > 511) {
    throw StoreFailure("store: key of " + std::to_string(key.size()) +
                       " bytes is outside LMDB's 1..511 range");
  }
  MDB_val k = ToVal(key), v = ToVal(value);
  Check("put", mdb_put(txn_, store_->dbi(db), &k, &v, 0));
}

bool WriteTxn::Del(Db db, std::string_view key) {
  MDB_val k = ToVal(key);
  int rc = mdb_del(txn_, store_->dbi(db), &k, nullptr);
  if (rc == MDB_NOTFOUND) return false;
  Check("del", rc);
  return true;
}

size_t WriteTxn::DelPrefix(Db db, std::string_view prefix) {
  MDB_cursor* cursor = nullptr;
  Check("cursor", mdb_cursor_open(txn_, store_->dbi(db), &cursor));
  struct Closer {
    MDB_cursor* c;
    ~Closer() { mdb_cursor_close(c); }
  } closer{cursor};
  size_t deleted = 0;
  MDB_val k = ToVal(prefix), v;
  int rc = mdb_cursor_get(cursor, &k, &v, prefix.empty() ? MDB_FIRST : MDB_SET_RANGE);
  while (rc == 0 && FromVal(k).substr(0, prefix.size()) == prefix) {
    Check("del", mdb_cursor_del(cursor, 0));
    ++deleted;
    rc = mdb_cursor_get(cursor, &k, &v, MDB_GET_CURRENT);
    if (rc == EINVAL) rc = MDB_NOTFOUND;  // deleted the last entry
  }
  if (rc != 0 && rc != MDB_NOTFOUND) Fail("delete range", rc);
  return deleted;
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, StoreOptions options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    if (!options.create) {
      return Status::StoreError("no store at " + path +
                                " (create one with `tidemark import attack FILE`, or pass --store DIR)");
    }
    fs::create_directories(path, ec);
    if (ec) return Status::StoreError("cannot create store directory " + path + ": " + ec.message());
  } else if (!fs::is_directory(path, ec)) {
    return Status::StoreError(path + " is not a store directory");
  }
  if (const char* max = std::getenv("TIDEMARK_MAX_MAP_SIZE")) {
    options.max_map_size = std::strtoull(max, nullptr, 10);
    options.initial_map_size = std::min(options.initial_map_size, options.max_map_size);
  }
  std::unique_ptr<Store> store(new Store());
  store->path_ = path;
  store->options_ = options;
  int rc = mdb_env_create(&store->env_);
  if (rc != 0) return Status::StoreError("store: " + std::string(mdb_strerror(rc)));
  mdb_env_set_maxdbs(store->env_, kDbCount + 4);
  mdb_env_set_maxreaders(store->env_, 256);
  // Start from the existing data file's size when it is larger than the initial map.
  uint64_t existing = 0;
  if (auto size = fs::file_size(fs::path(path) / "data.mdb", ec); !ec) existing = size;
  store->map_size_ = std::max<uint64_t>(options.initial_map_size, existing);
  mdb_env_set_mapsize(store->env_, store->map_size_);
  unsigned flags = MDB_NOTLS | (options.read_only ? MDB_RDONLY : 0);
  rc = mdb_env_open(store->env_, path.c_str(), flags, 0644);
  if (rc != 0) {
    return Status::StoreError("cannot open store " + path + ": " + mdb_strerror(rc));
  }

  // A fresh environment gets its databases and schema version in one write transaction; an
  // existing one is only read, so opening never waits for a running writer.
  MDB_txn* txn = nullptr;
  rc = mdb_txn_begin(store->env_, nullptr, MDB_RDONLY, &txn);
  if (rc == MDB_MAP_RESIZED) {
    mdb_env_set_mapsize(store->env_, 0);
    rc = mdb_txn_begin(store->env_, nullptr, MDB_RDONLY, &txn);
  }
  if (rc != 0) return Status::StoreError("cannot read store " + path + ": " + mdb_strerror(rc));
  MDB_dbi meta;
  rc = mdb_dbi_open(txn, "meta", 0, &meta);
  mdb_txn_abort(txn);
  if (rc == MDB_NOTFOUND) {
    if (options.read_only) return Status::StoreError(path + " is an empty store");
    rc = mdb_txn_begin(store->env_, nullptr, 0, &txn);
    if (rc != 0) return Status::StoreError("cannot write store " + path + ": " + mdb_strerror(rc));
    for (int idx = 0; idx < kDbCount; ++idx) {
      rc = mdb_dbi_open(txn, kDbNames[idx], MDB_CREATE, &store->dbis_[idx]);
      if (rc != 0) break;
    }
    std::string version = std::to_string(kSchemaVersion);
    MDB_val k = ToVal("schema_version"), v = ToVal(version);
    if (rc == 0) rc = mdb_put(txn, store->dbis_[0], &k, &v, 0);
    if (rc == 0) rc = mdb_txn_commit(txn); else mdb_txn_abort(txn);
    if (rc != 0) return Status::StoreError("cannot initialise store " + path + ": " + mdb_strerror(rc));
    return store;
  }
  if (rc != 0) return Status::StoreError("cannot read store " + path + ": " + mdb_strerror(rc));

  rc = mdb_txn_begin(store->env_, nullptr, MDB_RDONLY, &txn);
  if (rc != 0) return Status::StoreError("cannot read store " + path + ": " + mdb_strerror(rc));
  std::string found_version;
  for (int idx = 0; idx < kDbCount && rc == 0; ++idx) {
    rc = mdb_dbi_open(txn, kDbNames[idx], 0, &store->dbis_[idx]);
    if (idx == 0 && rc == 0) {
      MDB_val k = ToVal("schema_version"), v;
      if (mdb_get(txn, store->dbis_[0], &k, &v) == 0) found_version = std::string(FromVal(v));
    }
  }
  // Handles opened in a transaction stay usable only if it commits (LMDB mdb_dbi_open docs).
  if (rc == 0) rc = mdb_txn_commit(txn); else mdb_txn_abort(txn);
  if (found_version != std::to_string(kSchemaVersion)) {
    return Status::StoreError("store " + path + " has schema version " +
                              (found_version.empty() ? "(none)" : found_version) +
                              " but this tidemark reads schema version " +
                              std::to_string(kSchemaVersion) +
                              "; re-import into a new store (see docs/store.md)");
  }
  if (rc != 0) return Status::StoreError("store " + path + " is incomplete: " + mdb_strerror(rc));
  return store;
}

Store::~Store() {
  if (env_) mdb_env_close(env_);
}

ReadTxn Store::Read() const {
  MDB_txn* txn = nullptr;
  int rc = mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn);
  if (rc == MDB_MAP_RESIZED) {
    // Another process grew the map; adopt its size.
    mdb_env_set_mapsize(env_, 0);
    rc = mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn);
  }
  if (rc != 0) Fail("begin read", rc);
  return ReadTxn(this, txn);
}

Status Store::Grow() {
  if (map_size_ >= options_.max_map_size) {
    return Status::StoreError("store " + path_ + " is full: the map reached " +
                              std::to_string(map_size_ >> 20) +
                              " MiB (TIDEMARK_MAX_MAP_SIZE); nothing was written");
  }
  map_size_ = std::min(map_size_ * 2, options_.max_map_size);
  int rc = mdb_env_set_mapsize(env_, map_size_);
  if (rc != 0) return Status::StoreError("cannot grow store map: " + std::string(mdb_strerror(rc)));
  Logger("store")->debug("map grown to {} MiB", map_size_ >> 20);
  return Status::Ok();
}

Status Store::Write(const std::function<Status(WriteTxn&)>& fn) {
  if (options_.read_only) return Status::StoreError("store " + path_ + " is open read-only");
  while (true) {
    MDB_txn* raw = nullptr;
    int rc = mdb_txn_begin(env_, nullptr, 0, &raw);
    if (rc == MDB_MAP_RESIZED) {
      mdb_env_set_mapsize(env_, 0);
      rc = mdb_txn_begin(env_, nullptr, 0, &raw);
    }
    if (rc != 0) return Status::StoreError("cannot begin write: " + std::string(mdb_strerror(rc)));
    WriteTxn txn(this, raw);
    try {
      Status status = fn(txn);
      if (!status.ok()) return status;  // txn aborts in its destructor
      txn.txn_ = nullptr;
      rc = mdb_txn_commit(raw);
      if (rc == MDB_MAP_FULL) throw MapFull{};
      if (rc != 0) {
        return Status::StoreError("commit failed: " + std::string(mdb_strerror(rc)) +
                                  "; nothing was written");
      }
      return Status::Ok();
    } catch (const MapFull&) {
      if (txn.txn_) {
        mdb_txn_abort(txn.txn_);
        txn.txn_ = nullptr;
      }
      TM_RETURN_IF_ERROR(Grow());
    }
  }
}

}  // namespace tidemark::store
