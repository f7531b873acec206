// The LMDB environment behind every command: one directory, named databases (listed with their
// keys in key_codec.h), a `meta` database with the schema version. Only engine/store includes
// lmdb.h. Readers get a consistent snapshot and never block writers (SPEC §5).
//
// Ownership: a Store owns the MDB_env; ReadTxn/WriteTxn borrow it and must not outlive it.
// A Store may be shared by threads; each transaction belongs to one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "engine/core/status.h"

struct MDB_env;
struct MDB_txn;
struct MDB_cursor;

namespace tidemark::store {

// Schema history (docs in docs/store.md): 1 = first release; 2 = SPEC v2 (findings,
// cve_mappings, kev, run_state; incident facts layout 2); 3 = the evidence index (evidence,
// engine/store/evidence_index.h; built from the incident facts when an older store opens); 4 =
// the finding index (finding_index, engine/store/finding_index.h; built from the findings); 5 =
// feed_state layout 2 (an item state names the event that published it, feed_catalog.h; older
// states still read, so nothing is rewritten); 6 = incident facts layout 3 (term numbers instead of
// strings, fact_terms.h; every facts record is rewritten). An older store is upgraded in place when it
// opens, by the numbered migrations in store.cpp, in one write transaction; a newer one is
// refused naming both versions.
constexpr int kSchemaVersion = 6;

enum class Db {
  kMeta,
  kAttack,
  kControls,
  kMappings,
  kPosture,
  kAssets,
  kIncidents,
  kIncidentsByTime,
  kFeed,
  kFeedState,
  kCursors,
  kIncidentFacts,
  // schema version 2
  kFindings,
  kCveMappings,
  kKev,
  kRunState,
  // schema version 3
  kEvidence,
  // schema version 4
  kFindingIndex,
  // schema version 6
  kFactTerms,
};
constexpr int kDbCount = 19;

// Thrown on LMDB failures other than "not found" and "map full" inside a transaction; the
// command's main turns it into exit status 3.
class StoreFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Store;

// A read-only snapshot. Get returns a view valid until the transaction ends.
class ReadTxn {
 public:
  ~ReadTxn();
  ReadTxn(const ReadTxn&) = delete;
  ReadTxn& operator=(const ReadTxn&) = delete;
  ReadTxn(ReadTxn&& other) noexcept;

  // nullopt when the key is absent.
  std::optional<std::string_view> Get(Db db, std::string_view key) const;
  // Calls `fn(key, value)` for every key starting with `prefix`, in byte order, until it
  // returns false.
  void ForEach(Db db, std::string_view prefix,
               const std::function<bool(std::string_view, std::string_view)>& fn) const;
  // Same, from the first key >= `start` (no prefix restriction).
  void ForEachFrom(Db db, std::string_view start,
                   const std::function<bool(std::string_view, std::string_view)>& fn) const;
  // The entry with the greatest key <= `key` that starts with `prefix`, or nullopt.
  std::optional<std::pair<std::string_view, std::string_view>> Floor(Db db, std::string_view prefix,
                                                                     std::string_view key) const;
  // The last key/value of a database (highest key), or nullopt when empty.
  std::optional<std::pair<std::string_view, std::string_view>> Last(Db db) const;
  size_t Count(Db db) const;
  // Unmaps the store's pages from this process. They stay in the page cache, and reading one
  // again maps it again with the same bytes (a snapshot's pages never change while it is
  // open; LMDB maps the file shared), so every view handed out stays valid. For long scans:
  // each page read stays mapped otherwise and, with the kernel's fault-around (the cached pages
  // within 64 KiB of each fault), its neighbours of other databases too — a scan of the incident
  // facts at 1,000,000 incidents kept the whole 1 GB file resident.
  void ReleaseReadPages() const;

 protected:
  friend class Store;
  ReadTxn(const Store* store, MDB_txn* txn) : store_(store), txn_(txn) {}
  const Store* store_;
  MDB_txn* txn_;
};

// A write transaction: reads see its own writes. Committed by Store::Write.
class WriteTxn : public ReadTxn {
 public:
  void Put(Db db, std::string_view key, std::string_view value);
  // Writes `value` under `key` when the key sorts after every key of the database (LMDB's
  // MDB_APPEND: no search, and full pages where ordinary inserts split them in half, so a bulk
  // load in key order writes about half the pages); false, and nothing written, otherwise.
  // Successive appends to a database share a cursor left at its end (as mdb_load does), so an
  // append does not descend the tree; any other write to that database closes it.
  bool Append(Db db, std::string_view key, std::string_view value);
  // Append, else Put, of a value of `size` bytes that the caller writes at the returned address
  // before the next write to the transaction (LMDB's MDB_RESERVE: a value assembled from parts
  // is copied once, into its page).
  char* AppendOrPutReserved(Db db, std::string_view key, size_t size);
  // Writes `value` unless `key` exists; then writes nothing and returns the stored value (valid
  // until the next write). One B-tree descent where Get then Put take two.
  std::optional<std::string_view> PutIfAbsent(Db db, std::string_view key, std::string_view value);
  // True when the key existed.
  bool Del(Db db, std::string_view key);
  // Deletes every key starting with `prefix`; returns how many.
  size_t DelPrefix(Db db, std::string_view prefix);

 private:
  friend class Store;
  using ReadTxn::ReadTxn;
  void CloseAppendCursor(Db db);
  // Append's cursors (LMDB frees a write transaction's cursors when it ends).
  MDB_cursor* append_cursors_[kDbCount] = {};
};

// The map is address space, not disk: LMDB writes with pwrite here (no MDB_WRITEMAP), so
// data.mdb grows only by what is written, and a large map costs nothing on Linux. A store
// opens with a map of max(initial_map_size, twice data.mdb), capped by max_map_size and a
// quarter of RLIMIT_AS, so a write transaction runs once; a caller expecting a large write
// can pass its size to Write. Only a transaction that still fills the map is re-run with a
// bigger one (the fallback, logged on the store logger).
struct StoreOptions {
  bool create = true;        // create the directory and databases when missing
  bool read_only = false;
  uint64_t initial_map_size = uint64_t{64} << 30;
  uint64_t max_map_size = uint64_t{1} << 40;      // TIDEMARK_MAX_MAP_SIZE overrides
};

class Store {
 public:
  // Opens (creating if allowed) the environment at `path`. A query (create false) never creates
  // one: a directory without data.mdb or with an empty one is "not a tidemark store". data.mdb
  // is checked before it is mapped (a file shorter than its header declares is refused as
  // corrupt, not read into a SIGBUS). A store of an older schema version
  // is upgraded in place in one write transaction ("store DIR: upgraded schema 2 -> 3" on the
  // store logger), and databases missing from it are created. Fails with kStore when the path
  // is not a store, LMDB refuses it, or its schema version is newer than kSchemaVersion or not
  // a version at all (the message names both versions).
  static Result<std::unique_ptr<Store>> Open(const std::string& path, StoreOptions options = {});
  ~Store();

  const std::string& path() const { return path_; }

  ReadTxn Read() const;
  // Runs `fn` in one write transaction and commits it. `expected_bytes` (0 = unknown), the
  // size the write may add, grows the map first when the map could not hold twice that. `fn`
  // runs once unless the map still fills: then the transaction is aborted, the map doubled and
  // `fn` run again from the start, so `fn` must only write through the transaction. A non-ok
  // Status from `fn` aborts and is returned unchanged; a StoreFailure or any other exception
  // aborts and propagates. Nothing is written unless everything is. A full filesystem is
  // reported as "No space left on device".
  Status Write(const std::function<Status(WriteTxn&)>& fn, uint64_t expected_bytes = 0);

  unsigned dbi(Db db) const { return dbis_[static_cast<int>(db)]; }

 private:
  Store() = default;
  Status Grow(uint64_t at_least);
  bool FilesystemFull() const;
  std::string WriteError(int rc) const;
  Status PrepareSchema();
  Status Migrate();
  Status RefuseVersion(const std::string& recorded, int version) const;
  std::string path_;
  StoreOptions options_;
  MDB_env* env_ = nullptr;
  unsigned dbis_[kDbCount] = {};
  uint64_t map_size_ = 0;
  // Where LMDB mapped data.mdb in this process (ReadTxn::ReleaseReadPages), found once.
  friend class ReadTxn;
  mutable std::once_flag map_found_;
  mutable char* map_start_ = nullptr;
};

}  // namespace tidemark::store
