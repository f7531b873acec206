// Store errors are exit status 3 with the operating system's reason, never a signal (issue 12):
// a data.mdb cut short, a read command on a directory that holds no store, a full filesystem.
// Each case uses real files (a truncated copy of the committed store, an empty data.mdb, a
// 2 MB tmpfs or, failing that, a loop-mounted ext2 image).
#include <doctest/doctest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "engine/store/store.h"
#include "tests/test_support.h"

namespace tidemark::testing {
namespace {

namespace fs = std::filesystem;

std::string CopyOfSchemaV1() {
  std::string copy = TempDir("cut");
  fs::copy_file(DataPath("stores/schema-v1/data.mdb"), copy + "/data.mdb");
  return copy;
}

TEST_CASE("a data.mdb cut short is refused as corrupt with exit 3, never a SIGBUS") {
  // The committed store is 14 pages of 4096 bytes (57344), all declared by its header.
  for (uint64_t size : {100u, 4096u, 8192u + 100u, 12288u, 40960u, 57344u - 4096u}) {
    CAPTURE(size);
    std::string store = CopyOfSchemaV1();
    fs::resize_file(store + "/data.mdb", size);
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"info"}, {"incident", "INC-1042"}, {"import", "incidents", DataPath("incidents/native/incidents.ndjson")}}) {
      CAPTURE(args[0]);
      std::vector<std::string> command = {"--store", store};
      command.insert(command.end(), args.begin(), args.end());
      auto result = RunTidemark(command);
      CHECK(result.exit_code == 3);
      CHECK_MESSAGE(result.err.find("corrupt") != std::string::npos, result.err);
      CHECK_MESSAGE(result.err.find(store + "/data.mdb") != std::string::npos, result.err);
    }
    CHECK(fs::file_size(store + "/data.mdb") == size);  // refused, not repaired or grown
  }
  // The whole file still opens (and is upgraded).
  auto whole = RunTidemark({"--store", CopyOfSchemaV1(), "info"});
  CHECK_MESSAGE(whole.exit_code == 0, whole.err);
}

TEST_CASE("a read command on a directory with an empty or no data.mdb does not create a store") {
  std::string empty_dir = TempDir("no-data");
  std::string empty_file = TempDir("empty-data");
  { std::ofstream(empty_file + "/data.mdb"); }
  for (const auto& store : {empty_dir, empty_file}) {
    CAPTURE(store);
    for (const auto& args : std::vector<std::vector<std::string>>{{"info"}, {"--json", "info"}, {"incidents"}, {"run"}}) {
      std::vector<std::string> command = {"--store", store};
      command.insert(command.end(), args.begin(), args.end());
      auto result = RunTidemark(command);
      CHECK(result.exit_code == 3);
      CHECK_MESSAGE(result.err.find("not a tidemark store") != std::string::npos, result.err);
      CHECK(result.out.empty());
    }
    CHECK_FALSE(fs::exists(store + "/lock.mdb"));
  }
  CHECK_FALSE(fs::exists(empty_dir + "/data.mdb"));
  CHECK(fs::file_size(empty_file + "/data.mdb") == 0);
  // An import may create the store there.
  auto created = RunTidemark({"--store", empty_file, "-q", "import", "attack", DataPath("scoring/mini-attack.json")});
  CHECK_MESSAGE(created.exit_code == 0, created.err);
  CHECK(RunTidemark({"--store", empty_file, "info"}).exit_code == 0);
}

// A small filesystem of its own for the full-disk cases: a 2 MB tmpfs, else a loop-mounted
// ext2 image; empty when neither can be mounted (not root, no loop devices).
class SmallFilesystem {
 public:
  SmallFilesystem() {
    dir_ = TempDir("small-fs");
    if (::geteuid() != 0) {
      why_ = "not root";
      return;
    }
    if (::mount("tmpfs", dir_.c_str(), "tmpfs", 0, "size=2m") == 0) {
      mounted_ = true;
      return;
    }
    std::string image = TempDir("small-fs-image") + "/fs.img";
    std::string command = "truncate -s 2M '" + image + "' && mkfs.ext2 -q -m 0 '" + image + "' && mount -o loop '" +
                          image + "' '" + dir_ + "' 2>/dev/null";
    if (std::system(command.c_str()) == 0) {
      mounted_ = true;
      return;
    }
    why_ = "neither a tmpfs nor a loop device could be mounted";
  }
  ~SmallFilesystem() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  SmallFilesystem(const SmallFilesystem&) = delete;
  SmallFilesystem& operator=(const SmallFilesystem&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& why() const { return why_; }
  const std::string& dir() const { return dir_; }

  // Writes zeros until the filesystem is full, leaving `spare` bytes free.
  void Fill(uint64_t spare) {
    std::string filler = dir_ + "/filler";
    std::system(("dd if=/dev/zero of='" + filler + "' bs=4k 2>/dev/null").c_str());
    uint64_t size = fs::file_size(filler);
    fs::resize_file(filler, size > spare ? size - spare : 0);
  }

 private:
  std::string dir_;
  std::string why_;
  bool mounted_ = false;
};

TEST_CASE("a full filesystem is exit 3 \"No space left on device\", never a SIGBUS or an I/O error") {
  SmallFilesystem small;
  if (!small.mounted()) {
    MESSAGE("skipped: " << small.why());
    return;
  }
  SUBCASE("a new store on a full filesystem") {
    small.Fill(0);
    std::string store = small.dir() + "/new-store";
    auto result = RunTidemark({"--store", store, "import", "attack", DataPath("scoring/mini-attack.json")});
    CHECK(result.exit_code == 3);
    CHECK_MESSAGE(result.err.find("No space left on device") != std::string::npos, result.err);
    auto info = RunTidemark({"--store", store, "info"});
    CHECK(info.exit_code == 3);
    CHECK_MESSAGE(info.err.find("not a tidemark store") != std::string::npos, info.err);
  }
  SUBCASE("a write that does not fit") {
    std::string store = small.dir() + "/store";
    auto first = RunTidemark({"--store", store, "-q", "import", "attack", DataPath("scoring/mini-attack.json")});
    REQUIRE_MESSAGE(first.exit_code == 0, first.err);
    small.Fill(64 << 10);
    // About 1.5 MB of incidents: more than the 64 KB left.
    std::string incidents = TempDir("big-input") + "/incidents.ndjson";
    {
      std::ofstream out(incidents);
      for (int idx = 0; idx < 3000; ++idx) {
        out << "{\"id\": \"INC-" << idx << "\", \"title\": \"" << std::string(400, 'x')
            << "\", \"created\": \"2026-03-04T09:12:44Z\", \"techniques\": [\"T1059.001\"]}\n";
      }
    }
    auto full = RunTidemark({"--store", store, "import", "incidents", incidents});
    CHECK(full.exit_code == 3);
    CHECK_MESSAGE(full.err.find("No space left on device") != std::string::npos, full.err);
    CHECK(full.err.find("Input/output error") == std::string::npos);
    auto info = RunTidemark({"--store", store, "--json", "info"});
    CHECK_MESSAGE(info.exit_code == 0, info.err);
    CHECK(info.out.find("\"incidents\": 0") != std::string::npos);
  }
}

}  // namespace
}  // namespace tidemark::testing
