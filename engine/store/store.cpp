#include "engine/store/store.h"

#include <fcntl.h>
#include <lmdb.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "engine/core/logging.h"
#include "engine/store/evidence_index.h"
#include "engine/store/finding_index.h"
#include "engine/store/incident_facts.h"

namespace tidemark::store {
namespace {

// In Db order. A database missing from an existing store is created when the store opens
// (Store::Migrate), so adding one here never makes an older store "incomplete".
constexpr const char* kDbNames[kDbCount] = {
    "meta",      "attack", "controls",   "mappings",   "posture", "assets",
    "incidents", "incidents_by_time",   "feed",       "feed_state", "cursors",
    "incident_facts",
    // schema version 2
    "findings", "cve_mappings", "kev", "run_state",
    // schema version 3
    "evidence",
    // schema version 4
    "finding_index",
    // schema version 6
    "fact_terms",
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

namespace {

// The start of the mapping of this process that holds `address` (/proc/self/maps), or nullptr.
char* MappingStart(const void* address) {
  std::unique_ptr<FILE, int (*)(FILE*)> maps(std::fopen("/proc/self/maps", "r"), &std::fclose);
  if (!maps) return nullptr;
  auto at = reinterpret_cast<uintptr_t>(address);
  unsigned long long start = 0, end = 0;
  char line[512];
  while (std::fgets(line, sizeof line, maps.get())) {
    if (std::sscanf(line, "%llx-%llx", &start, &end) == 2 && start <= at && at < end) {
      return reinterpret_cast<char*>(static_cast<uintptr_t>(start));
    }
  }
  return nullptr;
}

}  // namespace

void ReadTxn::ReleaseReadPages() const {
  MDB_env* env = mdb_txn_env(txn_);
  // Where the map starts: LMDB does not say (me_mapaddr is only set for MDB_FIXEDMAP), so the
  // mapping that holds a value of this snapshot, found once per store.
  std::call_once(store_->map_found_, [&] {
    auto version = Get(Db::kMeta, "schema_version");
    if (version) store_->map_start_ = MappingStart(version->data());
  });
  MDB_envinfo info;
  if (store_->map_start_ == nullptr || mdb_env_info(env, &info) != 0) return;
  // The whole map, not only the committed pages 0 .. last page number: a write transaction
  // that changes many pages has LMDB write some out early past them (spilled) and read them back
  // through the map (an import of 1,000,000 incidents: ~250 MB). Parts never touched cost nothing.
  madvise(store_->map_start_, info.me_mapsize, MADV_DONTNEED);
}

void WriteTxn::CloseAppendCursor(Db db) {
  MDB_cursor*& cursor = append_cursors_[static_cast<int>(db)];
  if (cursor != nullptr) {
    mdb_cursor_close(cursor);
    cursor = nullptr;
  }
}

void WriteTxn::Put(Db db, std::string_view key, std::string_view value) {
  if (key.empty() || key.size() > 511) {
    throw StoreFailure("store: key of " + std::to_string(key.size()) +
                       " bytes is outside LMDB's 1..511 range");
  }
  CloseAppendCursor(db);
  MDB_val k = ToVal(key), v = ToVal(value);
  Check("put", mdb_put(txn_, store_->dbi(db), &k, &v, 0));
}

bool WriteTxn::Append(Db db, std::string_view key, std::string_view value) {
  if (key.empty() || key.size() > 511) {
    throw StoreFailure("store: key of " + std::to_string(key.size()) +
                       " bytes is outside LMDB's 1..511 range");
  }
  // The cursor stays at the last key: LMDB's append then compares with it without a search. Only
  // it writes to this database until another write closes it, so it is always at the end.
  MDB_cursor*& cursor = append_cursors_[static_cast<int>(db)];
  if (cursor == nullptr) Check("cursor", mdb_cursor_open(txn_, store_->dbi(db), &cursor));
  MDB_val k = ToVal(key), v = ToVal(value);
  int rc = mdb_cursor_put(cursor, &k, &v, MDB_APPEND);
  if (rc == MDB_KEYEXIST) return false;
  Check("put", rc);
  return true;
}

char* WriteTxn::AppendOrPutReserved(Db db, std::string_view key, size_t size) {
  if (key.empty() || key.size() > 511) {
    throw StoreFailure("store: key of " + std::to_string(key.size()) +
                       " bytes is outside LMDB's 1..511 range");
  }
  MDB_cursor*& cursor = append_cursors_[static_cast<int>(db)];
  if (cursor == nullptr) Check("cursor", mdb_cursor_open(txn_, store_->dbi(db), &cursor));
  MDB_val k = ToVal(key), v{size, nullptr};
  int rc = mdb_cursor_put(cursor, &k, &v, MDB_APPEND | MDB_RESERVE);
  if (rc == MDB_KEYEXIST) {
    CloseAppendCursor(db);
    v = MDB_val{size, nullptr};
    rc = mdb_put(txn_, store_->dbi(db), &k, &v, MDB_RESERVE);
  }
  Check("put", rc);
  return static_cast<char*>(v.mv_data);
}

std::optional<std::string_view> WriteTxn::PutIfAbsent(Db db, std::string_view key, std::string_view value) {
  if (key.empty() || key.size() > 511) {
    throw StoreFailure("store: key of " + std::to_string(key.size()) +
                       " bytes is outside LMDB's 1..511 range");
  }
  CloseAppendCursor(db);
  MDB_val k = ToVal(key), v = ToVal(value);
  int rc = mdb_put(txn_, store_->dbi(db), &k, &v, MDB_NOOVERWRITE);
  if (rc == MDB_KEYEXIST) return std::string_view(static_cast<const char*>(v.mv_data), v.mv_size);
  Check("put", rc);
  return std::nullopt;
}

bool WriteTxn::Del(Db db, std::string_view key) {
  CloseAppendCursor(db);
  MDB_val k = ToVal(key);
  int rc = mdb_del(txn_, store_->dbi(db), &k, nullptr);
  if (rc == MDB_NOTFOUND) return false;
  Check("del", rc);
  return true;
}

size_t WriteTxn::DelPrefix(Db db, std::string_view prefix) {
  CloseAppendCursor(db);
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

namespace {

// LMDB 0.9's data file (mdb.c): pages 0 and 1 are meta pages, each a 16-byte page header and
// then MDB_meta: u32 magic, u32 version, the map address and size (8 bytes each), two 48-byte
// MDB_db records (the first one's leading u32 is the page size), u64 last page number, u64
// transaction id. The meta with the higher transaction id is the current one.
constexpr size_t kPageHeaderBytes = 16;
constexpr size_t kMetaBytes = kPageHeaderBytes + 136;
constexpr uint32_t kLmdbMagic = 0xBEEFC0DE;

struct DataFileMeta {
  uint32_t magic = 0;
  uint32_t page_size = 0;
  uint64_t last_page = 0;
  uint64_t txnid = 0;
};

DataFileMeta DecodeMeta(const unsigned char* page) {
  DataFileMeta meta;
  std::memcpy(&meta.magic, page + kPageHeaderBytes, 4);
  std::memcpy(&meta.page_size, page + kPageHeaderBytes + 24, 4);
  std::memcpy(&meta.last_page, page + kPageHeaderBytes + 120, 8);
  std::memcpy(&meta.txnid, page + kPageHeaderBytes + 128, 8);
  return meta;
}

// Refuses a data.mdb that LMDB would map and then read past its end (a SIGBUS, issue 12):
// shorter than its two meta pages, not whole pages, or shorter than the last page its current
// meta declares. The header is read before the size, so a writer growing the file meanwhile
// cannot make a sound file look short.
Status CheckDataFile(const std::string& path, const std::string& file) {
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::StoreError("cannot open store " + path + ": " + file + ": " + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  unsigned char first[kMetaBytes] = {};
  ssize_t got = ::pread(fd, first, sizeof first, 0);
  if (got < 0) return Status::StoreError("cannot read " + file + ": " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0) return Status::StoreError("cannot read " + file + ": " + std::strerror(errno));
  uint64_t size = static_cast<uint64_t>(st.st_size);
  auto corrupt = [&](const std::string& why) {
    return Status::StoreError("store " + path + " is corrupt: " + file + " is " + std::to_string(size) +
                              " bytes, " + why + "; restore it from a backup or re-import into a new store");
  };
  if (static_cast<size_t>(got) < kMetaBytes) return corrupt("too short for an LMDB header");
  DataFileMeta meta = DecodeMeta(first);
  if (meta.magic != kLmdbMagic) {
    return Status::StoreError(path + " is not a tidemark store: " + file + " is not an LMDB data file");
  }
  uint64_t page = meta.page_size;
  if (page < 512 || page > 65536 || (page & (page - 1)) != 0) {
    return corrupt("and its header declares an impossible page size of " + std::to_string(page));
  }
  if (size < 2 * page) return corrupt("shorter than its two " + std::to_string(page) + "-byte header pages");
  if (size % page != 0) return corrupt("not a whole number of " + std::to_string(page) + "-byte pages (cut short?)");
  unsigned char second[kMetaBytes] = {};
  if (::pread(fd, second, sizeof second, static_cast<off_t>(page)) == static_cast<ssize_t>(kMetaBytes)) {
    DataFileMeta other = DecodeMeta(second);
    if (other.magic == kLmdbMagic && other.txnid > meta.txnid) meta = other;
  }
  if (meta.last_page >= (uint64_t{1} << 48) / page || (meta.last_page + 1) * page > size) {
    return corrupt("shorter than the " + std::to_string((meta.last_page + 1) * page) +
                   " bytes its header declares (truncated?)");
  }
  return Status::Ok();
}

// LMDB maps lock.mdb and writes its reader table through the map, so on a full filesystem the
// first write to a page of a new lock file is a SIGBUS. Its blocks are reserved first, without
// changing its size (LMDB sizes the reader table from it): a full disk is then ENOSPC here.
// Filesystems without fallocate keep LMDB's own behaviour.
constexpr off_t kLockFileReserve = 32 << 10;  // the reader table of 256 readers is 16.5 KB
Status ReserveLockFile(const std::string& path) {
  std::string file = path + "/lock.mdb";
  int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Ok();  // read-only media, permissions: LMDB reports them
  int rc = ::fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, kLockFileReserve);
  int err = errno;
  ::close(fd);
  if (rc != 0 && (err == ENOSPC || err == EDQUOT)) {
    return Status::StoreError("cannot open store " + path + ": " + file + ": " + std::strerror(err));
  }
  return Status::Ok();
}

// The map is address space, not disk: without MDB_WRITEMAP (as here) LMDB writes with pwrite,
// so data.mdb grows only by what is written. A store opens with a map large enough for the
// writes it will see, so a transaction runs once (issue 16): initial_map_size, at least twice the
// file, at most max_map_size and a quarter of the address-space limit, never below the data.
uint64_t InitialMapSize(uint64_t file_size, const StoreOptions& options) {
  uint64_t size = std::max(options.initial_map_size, file_size * 2);
  struct rlimit limit;
  if (::getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    size = std::min<uint64_t>(size, limit.rlim_cur / 4);
  }
  size = std::min(size, options.max_map_size);
  return std::max(size, file_size);
}

}  // namespace

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
  // A query never creates a store: a directory without data.mdb, or with an empty one (a store
  // whose creation failed), is refused unless the command may create one.
  std::string data_file = (fs::path(path) / "data.mdb").string();
  uint64_t existing = 0;
  if (auto size = fs::file_size(data_file, ec); !ec) existing = size;
  if (existing == 0 && (!options.create || options.read_only)) {
    return Status::StoreError(path + " is not a tidemark store (" +
                              (fs::exists(data_file, ec) ? "its data.mdb is empty" : "it has no data.mdb") +
                              "; create one with `tidemark import attack FILE`, or pass --store DIR)");
  }
  if (existing > 0) TM_RETURN_IF_ERROR(CheckDataFile(path, data_file));
  if (!options.read_only) TM_RETURN_IF_ERROR(ReserveLockFile(path));
  if (const char* max = std::getenv("TIDEMARK_MAX_MAP_SIZE")) {
    options.max_map_size = std::strtoull(max, nullptr, 10);
    options.initial_map_size = std::min(options.initial_map_size, options.max_map_size);
  }
  std::unique_ptr<Store> store(new Store());
  store->path_ = path;
  store->options_ = options;
  store->map_size_ = InitialMapSize(existing, options);
  unsigned flags = MDB_NOTLS | (options.read_only ? MDB_RDONLY : 0);
  while (true) {
    int rc = mdb_env_create(&store->env_);
    if (rc != 0) return Status::StoreError("store: " + std::string(mdb_strerror(rc)));
    mdb_env_set_maxdbs(store->env_, kDbCount + 4);
    mdb_env_set_maxreaders(store->env_, 256);
    mdb_env_set_mapsize(store->env_, store->map_size_);
    rc = mdb_env_open(store->env_, path.c_str(), flags, 0644);
    if (rc == 0) break;
    mdb_env_close(store->env_);  // a failed mdb_env_open leaves the handle unusable
    store->env_ = nullptr;
    // Not enough address space for the map: try half of it, down to twice the data.
    if (rc == ENOMEM && store->map_size_ / 2 >= std::max<uint64_t>(existing * 2, uint64_t{1} << 30)) {
      store->map_size_ /= 2;
      continue;
    }
    return Status::StoreError("cannot open store " + path + ": " + mdb_strerror(rc));
  }
  Status prepared = store->PrepareSchema();
  if (!prepared.ok()) return prepared;
  return store;
}

namespace {

// The numbered migrations (osquery's upgradeDatabase style): kMigrations[n - 1] takes a store
// of schema version n - 1 to n, inside the one write transaction of Migrate. Every database of
// kDbNames that is missing is created before the steps run, so a step only fills or rewrites
// records. A step throws StoreFailure (or MapFull) to fail the upgrade; nothing is written then.
using Migration = void (*)(WriteTxn& txn);

// 0 -> 1: a new store; its databases are created by the common step.
void MigrateToVersion1(WriteTxn&) {}

// 1 -> 2 (SPEC v2): adds findings, cve_mappings, kev and run_state (created by the common
// step). Nothing stored at version 1 is rewritten: incident facts of layout version 1 still
// decode (as every technique succeeded), incident and control JSON gained only optional
// members (outcome, owner, due, deprecated) whose absence means the version-1 meaning, and the
// other databases' layouts are unchanged.
void MigrateToVersion2(WriteTxn&) {}

// 2 -> 3 (issue 16): adds the evidence index, built from every stored incident's facts.
void MigrateToVersion3(WriteTxn& txn) { EvidenceIndex::Rebuild(txn); }

// 3 -> 4 (issue 15): adds the finding index, built from every stored finding.
void MigrateToVersion4(WriteTxn& txn) { FindingIndex::Rebuild(txn); }
// 4 -> 5 (issue 16): feed_state item and patch states of layout 2 name the event that published
// them instead of holding the item JSON. Layout-1 states still decode (FeedCatalog), so nothing
// is rewritten; the version only keeps a schema-4 binary from misreading a layout-2 state.
void MigrateToVersion5(WriteTxn&) {}
// 5 -> 6 (issue 16): incident facts of layout 3 name their techniques, assets and threats by
// number (fact_terms); every facts record is rewritten and the term table filled, in id order.
// The evidence index keeps technique IDs, so it is unchanged.
void MigrateToVersion6(WriteTxn& txn) { RenumberIncidentFacts(txn); }

constexpr Migration kMigrations[kSchemaVersion] = {MigrateToVersion1, MigrateToVersion2, MigrateToVersion3,
                                                   MigrateToVersion4, MigrateToVersion5, MigrateToVersion6};

// The recorded version: 0 when the store has no meta database yet (a new store), -1 when meta
// holds no readable version.
int ReadSchemaVersion(MDB_txn* txn, unsigned meta, std::string& recorded) {
  MDB_val k = ToVal("schema_version"), v;
  if (mdb_get(txn, meta, &k, &v) != 0) {
    recorded = "(none)";
    return -1;
  }
  recorded = std::string(FromVal(v));
  int version = 0;
  auto [end, ec] = std::from_chars(recorded.data(), recorded.data() + recorded.size(), version);
  if (ec != std::errc() || end != recorded.data() + recorded.size() || version < 1) return -1;
  return version;
}

}  // namespace

Status Store::RefuseVersion(const std::string& recorded, int version) const {
  if (version > kSchemaVersion) {
    return Status::StoreError("store " + path_ + " has schema version " + recorded +
                              ", newer than this tidemark (schema version " +
                              std::to_string(kSchemaVersion) + "); use a newer tidemark");
  }
  return Status::StoreError("store " + path_ + " has schema version " + recorded +
                            " but this tidemark reads schema version 1 to " +
                            std::to_string(kSchemaVersion) + " (schema version " +
                            std::to_string(kSchemaVersion) +
                            " is current); re-import into a new store (see docs/store.md)");
}

Status Store::PrepareSchema() {
  // The common case, a store at the current version with every database, is only read, so
  // opening never waits for a running writer.
  MDB_txn* txn = nullptr;
  int rc = mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn);
  if (rc == MDB_MAP_RESIZED) {
    mdb_env_set_mapsize(env_, 0);
    rc = mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn);
  }
  if (rc != 0) return Status::StoreError("cannot read store " + path_ + ": " + mdb_strerror(rc));
  int version = 0;
  std::string recorded;
  bool complete = false;
  rc = mdb_dbi_open(txn, "meta", 0, &dbis_[0]);
  if (rc == 0) {
    version = ReadSchemaVersion(txn, dbis_[0], recorded);
    complete = true;
    for (int idx = 1; idx < kDbCount && complete; ++idx) {
      complete = mdb_dbi_open(txn, kDbNames[idx], 0, &dbis_[idx]) == 0;
    }
  } else if (rc != MDB_NOTFOUND) {
    mdb_txn_abort(txn);
    return Status::StoreError("cannot read store " + path_ + ": " + mdb_strerror(rc));
  }
  if (version < 0 || version > kSchemaVersion) {
    mdb_txn_abort(txn);
    return RefuseVersion(recorded, version);
  }
  if (version == kSchemaVersion && complete) {
    // Handles opened in a transaction stay usable only if it commits (mdb_dbi_open docs).
    rc = mdb_txn_commit(txn);
    if (rc != 0) return Status::StoreError("cannot read store " + path_ + ": " + mdb_strerror(rc));
    return Status::Ok();
  }
  mdb_txn_abort(txn);
  if (version == 0 && !options_.create) {
    return Status::StoreError(path_ + " is not a tidemark store (it has no meta database)");
  }
  if (options_.read_only) {
    return Status::StoreError(version == 0 ? path_ + " is an empty store"
                                           : "store " + path_ + " has schema version " + recorded +
                                                 " and is open read-only, so it cannot be upgraded to " +
                                                 std::to_string(kSchemaVersion));
  }
  return Migrate();
}

Status Store::Migrate() {
  // One write transaction: the version is read again inside it (another process may have
  // upgraded the store meanwhile), the steps run, missing databases are created and the new
  // version recorded; a failure anywhere leaves the store as it was.
  MDB_txn* txn = nullptr;
  int rc = mdb_txn_begin(env_, nullptr, 0, &txn);
  if (rc == MDB_MAP_RESIZED) {
    mdb_env_set_mapsize(env_, 0);
    rc = mdb_txn_begin(env_, nullptr, 0, &txn);
  }
  if (rc != 0) return Status::StoreError("cannot write store " + path_ + ": " + mdb_strerror(rc));
  int from = 0;
  std::string recorded;
  rc = mdb_dbi_open(txn, "meta", MDB_CREATE, &dbis_[0]);
  if (rc == 0) {
    MDB_stat stat;
    rc = mdb_stat(txn, dbis_[0], &stat);
    if (rc == 0 && stat.ms_entries > 0) from = ReadSchemaVersion(txn, dbis_[0], recorded);
  }
  if (rc == 0 && (from < 0 || from > kSchemaVersion)) {
    mdb_txn_abort(txn);
    return RefuseVersion(recorded, from);
  }
  for (int idx = 1; rc == 0 && idx < kDbCount; ++idx) {
    rc = mdb_dbi_open(txn, kDbNames[idx], MDB_CREATE, &dbis_[idx]);
  }
  std::string step_error;
  if (rc == 0 && from < kSchemaVersion) {
    WriteTxn steps(this, txn);
    try {
      for (int step = from; step < kSchemaVersion; ++step) kMigrations[step](steps);
    } catch (const StoreFailure& failure) {
      step_error = failure.what();
    } catch (const MapFull&) {
      step_error = mdb_strerror(MDB_MAP_FULL);
    }
    steps.txn_ = nullptr;  // still ours: committed or aborted below
    if (!step_error.empty()) rc = MDB_PANIC;
  }
  std::string version = std::to_string(kSchemaVersion);
  MDB_val k = ToVal("schema_version"), v = ToVal(version);
  if (rc == 0 && from != kSchemaVersion) rc = mdb_put(txn, dbis_[0], &k, &v, 0);
  if (rc == 0) {
    rc = mdb_txn_commit(txn);
  } else {
    mdb_txn_abort(txn);
  }
  if (rc != 0) {
    return Status::StoreError((from == 0 ? "cannot initialise store " : "cannot upgrade store ") +
                              path_ + ": " + (step_error.empty() ? mdb_strerror(rc) : step_error) +
                              "; nothing was written");
  }
  if (from > 0 && from < kSchemaVersion) {
    Logger("store")->info("store {}: upgraded schema {} -> {}", path_, from, kSchemaVersion);
  }
  return Status::Ok();
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
    map_start_ = nullptr;  // remapped: ReleaseReadPages no longer knows where
    rc = mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn);
  }
  if (rc != 0) Fail("begin read", rc);
  return ReadTxn(this, txn);
}

Status Store::Grow(uint64_t at_least) {
  if (map_size_ >= options_.max_map_size) {
    return Status::StoreError("store " + path_ + " is full: the map reached " +
                              std::to_string(map_size_ >> 20) +
                              " MiB (TIDEMARK_MAX_MAP_SIZE); nothing was written");
  }
  map_size_ = std::min(std::max(map_size_ * 2, at_least), options_.max_map_size);
  int rc = mdb_env_set_mapsize(env_, map_size_);
  map_start_ = nullptr;  // remapped: ReleaseReadPages no longer knows where
  if (rc != 0) return Status::StoreError("cannot grow store map: " + std::string(mdb_strerror(rc)));
  return Status::Ok();
}

bool Store::FilesystemFull() const {
  struct statvfs fs;
  if (::statvfs(path_.c_str(), &fs) != 0) return false;
  uint64_t blocks = ::geteuid() == 0 ? fs.f_bfree : fs.f_bavail;
  return blocks * fs.f_frsize < (uint64_t{1} << 20);
}

namespace {

// Starts the kernel writing a write transaction's pages to disk while the transaction is still
// running: the pages LMDB writes out early (spilled, past ~512 MB dirty) and those its commit
// copies into the page cache. The commit's fdatasync then waits for what is left instead of for
// the whole transaction (1,000,000 incidents: ~930 MB, 0.6-0.9 s of fdatasync). Only the
// kernel's timing changes: these pages are free space until the meta page, written after the
// fdatasync, names them (LMDB's commit order is unchanged). A thread that asks every 50 ms
// (sync_file_range does not wait for the disk); for a short write it never asks.
class EarlyWriteback {
 public:
  explicit EarlyWriteback(MDB_env* env) {
#ifdef __linux__
    mdb_filehandle_t fd;
    if (mdb_env_get_fd(env, &fd) != 0) return;
    thread_ = std::thread([this, fd] {
      std::unique_lock<std::mutex> lock(mutex_);
      while (!done_changed_.wait_for(lock, std::chrono::milliseconds(50), [this] { return done_; })) {
        lock.unlock();
        (void)::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
        lock.lock();
      }
    });
#else
    (void)env;
#endif
  }
  ~EarlyWriteback() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    done_changed_.notify_one();
    thread_.join();
  }
  EarlyWriteback(const EarlyWriteback&) = delete;
  EarlyWriteback& operator=(const EarlyWriteback&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable done_changed_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace

std::string Store::WriteError(int rc) const {
  // LMDB turns a short write into EIO ("Input/output error"); a filesystem left with less
  // than 1 MiB is what makes a write short, so that is reported as what it is.
  if (rc == EIO && FilesystemFull()) return std::strerror(ENOSPC);
  return mdb_strerror(rc);
}

Status Store::Write(const std::function<Status(WriteTxn&)>& fn, uint64_t expected_bytes) {
  if (options_.read_only) return Status::StoreError("store " + path_ + " is open read-only");
  if (expected_bytes > 0) {
    MDB_envinfo info;
    MDB_stat stat;
    if (mdb_env_info(env_, &info) == 0 && mdb_env_stat(env_, &stat) == 0) {
      uint64_t needed = (static_cast<uint64_t>(info.me_last_pgno) + 1) * stat.ms_psize + 2 * expected_bytes;
      if (needed > map_size_) TM_RETURN_IF_ERROR(Grow(needed));
    }
  }
  while (true) {
    MDB_txn* raw = nullptr;
    int rc = mdb_txn_begin(env_, nullptr, 0, &raw);
    if (rc == MDB_MAP_RESIZED) {
      mdb_env_set_mapsize(env_, 0);
      map_start_ = nullptr;
      rc = mdb_txn_begin(env_, nullptr, 0, &raw);
    }
    if (rc != 0) return Status::StoreError("cannot begin write: " + WriteError(rc));
    WriteTxn txn(this, raw);
    EarlyWriteback writeback(env_);
    try {
      Status status = fn(txn);
      if (!status.ok()) return status;  // txn aborts in its destructor
      txn.txn_ = nullptr;
      rc = mdb_txn_commit(raw);
      if (rc == MDB_MAP_FULL) throw MapFull{};
      if (rc != 0) {
        return Status::StoreError("commit to store " + path_ + " failed: " + WriteError(rc) +
                                  "; nothing was written");
      }
      return Status::Ok();
    } catch (const MapFull&) {
      if (txn.txn_) {
        mdb_txn_abort(txn.txn_);
        txn.txn_ = nullptr;
      }
      // The fallback when the map sized at open was still too small: a bigger map and the
      // whole transaction again.
      TM_RETURN_IF_ERROR(Grow(0));
      Logger("store")->info("store {}: the write filled the map; running it again with {} MiB",
                            path_, map_size_ >> 20);
    }
  }
}

}  // namespace tidemark::store
