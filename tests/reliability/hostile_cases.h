// The hostile input corpus of tests/data/hostile as a table: each file, each importer it goes
// through, and the answer it must get; and RunHostileCase, which runs one row with the real
// `tidemark`. tests/data/hostile/README.md holds the same table (the manifest, with what every
// file is); hostile_input_test.cpp checks the two agree, runs the committed files and the
// generated deep nesting, and hostile_huge_input_test.cpp (ctest label "slow") runs the
// generated 100 MB strings. Header-only, because tests/CMakeLists.txt compiles only *_test.cpp
// files from the test folders.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "tests/reliability/reliability_support.h"

namespace tidemark::testing::hostile {

struct HostileCase {
  // A file of tests/data/hostile, or "generated/NAME": written by the test into a temp dir.
  const char* file;
  // The `tidemark import` arguments before the file: "incidents", "incidents --format csv", ...
  const char* importer;
  // 2 for bad input (SPEC §6: named on stderr, nothing written, stdout empty); 0 where the
  // input is accepted (then `message` is part of the import summary).
  int exit_code;
  // Expected in stderr; "{file}" stands for the path given on the command line.
  const char* message;
};

// The generated files of at least 100 MB: only hostile_huge_input_test.cpp runs them.
inline bool IsHuge(const HostileCase& c) { return std::string_view(c.file).starts_with("generated/huge-"); }

inline const std::vector<HostileCase>& HostileCases() {
  static const std::vector<HostileCase> cases = {
      // ---- empty and blank files ----------------------------------------------------------
      {"empty.json", "incidents", 2, "{file}: file is empty"},
      {"empty.json", "controls", 2, "{file}: empty CSV file (expected a header line)"},
      {"empty.json", "mappings", 2, "{file}: empty CSV file (expected a header line)"},
      {"empty.json", "posture", 2, "{file}: empty CSV file (expected a header line)"},
      {"empty.json", "assets", 2, "{file}: empty CSV file (expected a header line)"},
      {"empty.json", "attack", 2, "{file}:1: not valid JSON: The document is empty."},
      {"bom-only.json", "incidents", 2, "{file}: file is empty"},
      {"bom-only.json", "incidents --format native", 2, "{file}: file is empty"},
      {"bom-only.json", "controls", 2, "{file}: empty CSV file (expected a header line)"},
      {"bom-only.json", "mappings", 2, "{file}: empty CSV file (expected a header line)"},
      {"bom-only.json", "posture", 2, "{file}: empty CSV file (expected a header line)"},
      {"bom-only.json", "assets", 2, "{file}: empty CSV file (expected a header line)"},
      {"bom-only.json", "attack", 2, "{file}:1: not valid JSON: The document is empty."},
      {"blank.json", "incidents", 2, "{file}: file is empty"},
      {"blank.json", "controls", 2, "{file}: empty CSV file (expected a header line)"},
      {"blank.json", "mappings", 2, "{file}: empty CSV file (expected a header line)"},
      {"blank.json", "posture", 2, "{file}: empty CSV file (expected a header line)"},
      {"blank.json", "assets", 2, "{file}: empty CSV file (expected a header line)"},
      {"blank.json", "attack", 2, "{file}:3: not valid JSON: The document is empty."},
      // ---- a JSON scalar at top level -----------------------------------------------------
      {"top-null.json", "incidents", 2, "cannot recognise format of {file}; pass --format NAME"},
      {"top-null.json", "incidents --format native", 2, "{file}:1: record must be a JSON object"},
      {"top-null.json", "incidents --format stix", 2, "{file}: expected a STIX 2.1 bundle"},
      {"top-null.json", "incidents --format attack-flow", 2, "{file}: not an Attack Flow"},
      {"top-null.json", "controls", 2, "{file}: not a control catalog"},
      {"top-null.json", "mappings", 2, "{file}: not a mapping file"},
      {"top-null.json", "posture", 2, "{file}: not a posture file"},
      {"top-null.json", "assets", 2, "{file}: not an asset inventory"},
      {"top-null.json", "attack", 2, "{file}: not a STIX bundle"},
      {"top-number.json", "incidents", 2, "cannot recognise format of {file}; pass --format NAME"},
      {"top-number.json", "incidents --format misp", 2, "{file}:1: record must be a JSON object"},
      {"top-number.json", "controls", 2, "{file}: not a control catalog"},
      {"top-number.json", "mappings", 2, "{file}: not a mapping file"},
      {"top-number.json", "posture", 2, "{file}: not a posture file"},
      {"top-number.json", "assets", 2, "{file}: not an asset inventory"},
      {"top-number.json", "attack", 2, "{file}: not a STIX bundle"},
      {"top-string.json", "incidents", 2, "cannot recognise format of {file}; pass --format NAME"},
      {"top-string.json", "incidents --format csv", 2, R"({file}:1: the header has no "id" column)"},
      {"top-string.json", "controls", 2, "{file}: not a control catalog"},
      {"top-string.json", "mappings", 2, "{file}: not a mapping file"},
      {"top-string.json", "posture", 2, "{file}: not a posture file"},
      {"top-string.json", "assets", 2, "{file}: not an asset inventory"},
      {"top-string.json", "attack", 2, "{file}: not a STIX bundle"},
      // ---- broken JSON --------------------------------------------------------------------
      {"truncated.json", "incidents", 2, "{file}:1: not valid JSON: Missing a closing quotation mark in string. (byte 77)"},
      {"truncated.json", "controls", 2, "{file}:1: not valid JSON: Missing a closing quotation mark in string. (byte 77)"},
      {"truncated.json", "mappings", 2, "{file}:1: not valid JSON: Missing a closing quotation mark in string. (byte 77)"},
      {"truncated.json", "posture", 2, "{file}:1: not valid JSON: Missing a closing quotation mark in string. (byte 77)"},
      {"truncated.json", "assets", 2, "{file}:1: not valid JSON: Missing a closing quotation mark in string. (byte 77)"},
      {"truncated.json", "attack", 2, "{file}:1: not valid JSON: Missing a closing quotation mark in string. (byte 77)"},
      {"nul-in-string.json", "incidents", 2, "{file}:1: NUL byte (a binary or UTF-16 file? save it as UTF-8 text)"},
      {"nul-in-string.json", "controls", 2, "{file}:1: not valid JSON: Missing a closing quotation mark in string. (byte 44)"},
      {"nul-in-string.json", "mappings", 2, "{file}:1: not valid JSON: Missing a closing quotation mark in string. (byte 44)"},
      {"nul-in-string.json", "posture", 2, "{file}:1: not valid JSON: Missing a closing quotation mark in string. (byte 44)"},
      {"nul-in-string.json", "assets", 2, "{file}:1: not valid JSON: Missing a closing quotation mark in string. (byte 44)"},
      {"nul-in-string.json", "attack", 2, "{file}:1: not valid JSON: Missing a closing quotation mark in string. (byte 44)"},
      {"nul-after-document.json", "incidents", 2, "{file}:1: NUL byte (a binary or UTF-16 file? save it as UTF-8 text)"},
      {"nul-after-document.json", "incidents --format native", 2, "{file}:1: NUL byte"},
      {"nul-after-document.json", "controls", 2, "{file}: not a control catalog"},
      {"nul-after-document.json", "attack", 2, "{file}: not a STIX bundle"},
      {"invalid-utf8.json", "incidents", 2, "{file}:1: not valid JSON: Invalid encoding in string. (byte 47)"},
      {"invalid-utf8.json", "controls", 2, "{file}:1: not valid JSON: Invalid encoding in string. (byte 47)"},
      {"invalid-utf8.json", "mappings", 2, "{file}:1: not valid JSON: Invalid encoding in string. (byte 47)"},
      {"invalid-utf8.json", "posture", 2, "{file}:1: not valid JSON: Invalid encoding in string. (byte 47)"},
      {"invalid-utf8.json", "assets", 2, "{file}:1: not valid JSON: Invalid encoding in string. (byte 47)"},
      {"invalid-utf8.json", "attack", 2, "{file}:1: not valid JSON: Invalid encoding in string. (byte 47)"},
      {"overlong-utf8.json", "incidents", 2, "{file}:1: not valid JSON: Invalid encoding in string. (byte 44)"},
      {"overlong-utf8.json", "controls", 2, "{file}:1: not valid JSON: Invalid encoding in string. (byte 44)"},
      {"overlong-utf8.json", "attack", 2, "{file}:1: not valid JSON: Invalid encoding in string. (byte 44)"},
      {"surrogate-utf8.json", "incidents", 2, "{file}:1: not valid JSON: Invalid encoding in string. (byte 44)"},
      {"surrogate-utf8.json", "assets", 2, "{file}:1: not valid JSON: Invalid encoding in string. (byte 44)"},
      {"surrogate-utf8.json", "attack", 2, "{file}:1: not valid JSON: Invalid encoding in string. (byte 44)"},
      {"truncated-utf8.json", "incidents", 2, "{file}:1: not valid JSON: Invalid encoding in string. (byte 97)"},
      {"truncated-utf8.json", "controls", 2, "{file}:1: not valid JSON: Invalid encoding in string. (byte 97)"},
      {"truncated-utf8.json", "mappings", 2, "{file}:1: not valid JSON: Invalid encoding in string. (byte 97)"},
      {"truncated-utf8.json", "posture", 2, "{file}:1: not valid JSON: Invalid encoding in string. (byte 97)"},
      {"truncated-utf8.json", "assets", 2, "{file}:1: not valid JSON: Invalid encoding in string. (byte 97)"},
      {"truncated-utf8.json", "attack", 2, "{file}:1: not valid JSON: Invalid encoding in string. (byte 97)"},
      {"utf16.json", "incidents", 2, "{file}:1: NUL byte (a binary or UTF-16 file? save it as UTF-8 text)"},
      {"utf16.json", "controls", 2, "{file}: not valid UTF-8 (save the file as UTF-8)"},
      {"utf16.json", "mappings", 2, "{file}: not valid UTF-8 (save the file as UTF-8)"},
      {"utf16.json", "posture", 2, "{file}: not valid UTF-8 (save the file as UTF-8)"},
      {"utf16.json", "assets", 2, "{file}: not valid UTF-8 (save the file as UTF-8)"},
      {"utf16.json", "attack", 2, "{file}:1: not valid JSON: Invalid value. (byte 0)"},
      {"number-too-big.json", "incidents", 2, "{file}:1: not valid JSON: Number too big to be stored in double. (byte 69)"},
      {"number-too-big.json", "controls", 2, "{file}:1: not valid JSON: Number too big to be stored in double. (byte 69)"},
      {"number-too-big.json", "mappings", 2, "{file}:1: not valid JSON: Number too big to be stored in double. (byte 69)"},
      {"number-too-big.json", "posture", 2, "{file}:1: not valid JSON: Number too big to be stored in double. (byte 69)"},
      {"number-too-big.json", "assets", 2, "{file}:1: not valid JSON: Number too big to be stored in double. (byte 69)"},
      {"number-too-big.json", "attack", 2, "{file}:1: not valid JSON: Number too big to be stored in double. (byte 69)"},
      {"deep-nesting.json", "incidents", 2, "{file}: JSON nested deeper than 256 levels"},
      {"deep-nesting.json", "controls", 2, "{file}: JSON nested deeper than 256 levels"},
      {"deep-nesting.json", "mappings", 2, "{file}: JSON nested deeper than 256 levels"},
      {"deep-nesting.json", "posture", 2, "{file}: JSON nested deeper than 256 levels"},
      {"deep-nesting.json", "assets", 2, "{file}: JSON nested deeper than 256 levels"},
      {"deep-nesting.json", "attack", 2, "{file}: JSON nested deeper than 256 levels"},
      {"generated/deep-arrays-100k.json", "incidents", 2, "{file}: JSON nested deeper than 256 levels"},
      {"generated/deep-arrays-100k.json", "incidents --format native", 2, "{file}: JSON nested deeper than 256 levels"},
      {"generated/deep-arrays-100k.json", "controls", 2, "{file}: JSON nested deeper than 256 levels"},
      {"generated/deep-arrays-100k.json", "mappings", 2, "{file}: JSON nested deeper than 256 levels"},
      {"generated/deep-arrays-100k.json", "posture", 2, "{file}: JSON nested deeper than 256 levels"},
      {"generated/deep-arrays-100k.json", "assets", 2, "{file}: JSON nested deeper than 256 levels"},
      {"generated/deep-arrays-100k.json", "attack", 2, "{file}: JSON nested deeper than 256 levels"},
      {"generated/deep-objects-100k.json", "incidents", 2, "{file}: JSON nested deeper than 256 levels"},
      {"generated/deep-objects-100k.json", "controls", 2, "{file}: JSON nested deeper than 256 levels"},
      {"generated/deep-objects-100k.json", "mappings", 2, "{file}: JSON nested deeper than 256 levels"},
      {"generated/deep-objects-100k.json", "posture", 2, "{file}: JSON nested deeper than 256 levels"},
      {"generated/deep-objects-100k.json", "assets", 2, "{file}: JSON nested deeper than 256 levels"},
      {"generated/deep-objects-100k.json", "attack", 2, "{file}: JSON nested deeper than 256 levels"},
      {"generated/deep-lines-100k.ndjson", "incidents", 2, "{file}:2: JSON nested deeper than 256 levels"},
      // ---- broken CSV ---------------------------------------------------------------------
      {"invalid-utf8.csv", "incidents", 2, R"({file}:2: column "title" is not valid UTF-8)"},
      {"invalid-utf8.csv", "controls", 2, "{file}: not valid UTF-8 (save the file as UTF-8)"},
      {"invalid-utf8.csv", "mappings", 2, "{file}: not valid UTF-8 (save the file as UTF-8)"},
      {"invalid-utf8.csv", "posture", 2, "{file}: not valid UTF-8 (save the file as UTF-8)"},
      {"invalid-utf8.csv", "assets", 2, "{file}: not valid UTF-8 (save the file as UTF-8)"},
      {"nul-in-cell.csv", "incidents", 2, "{file}:2: NUL byte (a binary or UTF-16 file? save it as UTF-8 text)"},
      {"nul-in-cell.csv", "incidents --format csv", 2, "{file}:2: NUL byte"},
      {"nul-in-cell.csv", "controls", 2, "{file}:2: NUL byte in a CSV file"},
      {"nul-in-cell.csv", "mappings", 2, "{file}:2: NUL byte in a CSV file"},
      {"nul-in-cell.csv", "posture", 2, "{file}:2: NUL byte in a CSV file"},
      {"nul-in-cell.csv", "assets", 2, "{file}:2: NUL byte in a CSV file"},
      {"unterminated-quote.csv", "incidents", 2, "{file}:2: unterminated quoted field"},
      {"unterminated-quote.csv", "controls", 2, "{file}:2: unterminated quoted field (truncated file?)"},
      {"unterminated-quote.csv", "mappings", 2, "{file}:2: unterminated quoted field (truncated file?)"},
      {"unterminated-quote.csv", "posture", 2, "{file}:2: unterminated quoted field (truncated file?)"},
      {"unterminated-quote.csv", "assets", 2, "{file}:2: unterminated quoted field (truncated file?)"},
      {"ragged-long.csv", "incidents", 2, "{file}:2: 3 fields, but the header names 2 columns"},
      {"ragged-long.csv", "incidents --format native", 2, "{file}:1: not valid JSON: Invalid value. (column 1)"},
      {"ragged-long.csv", "controls", 2, "{file}:2: 3 fields, but the header names 2 columns (a comma in an unquoted field?)"},
      {"ragged-long.csv", "mappings", 2, "{file}: not a mapping file"},
      {"ragged-long.csv", "posture", 2, "{file}: not a posture file"},
      {"ragged-long.csv", "assets", 2, "{file}:2: 3 fields, but the header names 2 columns (a comma in an unquoted field?)"},
      {"ragged-long.csv", "attack", 2, "{file}:1: not valid JSON: Invalid value. (byte 0)"},
      {"ragged-short.csv", "incidents", 0, "1 incident imported: 1 new"},
      {"ragged-short.csv", "controls", 0, "{file}: CSV catalog: 1 control imported"},
      {"ragged-short.csv", "mappings", 2, "{file}: not a mapping file"},
      {"ragged-short.csv", "posture", 2, "{file}: not a posture file"},
      {"ragged-short.csv", "assets", 0, "{file}: CSV inventory: 1 asset imported"},
      // ---- incidents ----------------------------------------------------------------------
      {"incidents-duplicate-key.json", "incidents", 0, "1 incident imported: 1 new"},
      {"incidents-duplicate-wrapper.json", "incidents", 2, "cannot recognise format of {file}; pass --format NAME"},
      {"incidents-duplicate-wrapper.json", "incidents --format native", 0, "0 incidents imported"},
      {"incidents-path-ids.json", "incidents", 0, "3 incidents imported: 3 new"},
      {"incidents-control-char-id.json", "incidents", 2, "{file}: record 1: the id contains control characters (1 more rejected records)"},
      {"incidents-epoch-overflow.json", "incidents", 2, R"({file}: record 1: field "created" is not a time)"},
      {"incidents-epoch-overflow-string.json", "incidents", 2, R"({file}: record 1: field "created" is not a time)"},
      {"incidents-epoch-negative.json", "incidents", 2, R"({file}: record 1: field "closed" is not a time)"},
      {"incidents-epoch-overflow.csv", "incidents", 2, R"({file}:2: column "created" is not a time)"},
      {"incidents-bom.json", "incidents", 0, "1 file (1 native): 1 incident imported: 1 new"},
      {"incidents-bom.ndjson", "incidents", 0, "1 file (1 native): 2 incidents imported: 2 new"},
      {"incidents-bom.csv", "incidents", 0, "1 file (1 csv): 1 incident imported: 1 new"},
      {"thehive-severity-overflow.json", "incidents", 0, "1 file (1 thehive): 1 incident imported: 1 new"},
      // ---- controls -----------------------------------------------------------------------
      {"controls-duplicate-key.json", "controls", 0, "{file}: native JSON catalog: 1 control imported"},
      {"controls-duplicate-wrapper.json", "controls", 0, "{file}: native JSON catalog: 0 controls imported"},
      {"controls-nul-after-document.json", "controls", 0, "{file}: native JSON catalog: 1 control imported"},
      {"controls-path-ids.json", "controls", 0, "{file}: native JSON catalog: 3 controls imported"},
      {"controls-control-char-id.json", "controls", 2, R"({file}:controls[0]: field "id" contains control characters)"},
      {"controls-huge-points.json", "controls", 2,
       R"({file}:controls[0]: field "max_points" is 9.999999999999999e22, outside [0, 1000000000])"},
      {"controls-negative-strength.json", "controls", 2,
       R"({file}:controls[0]: field "techniques"[0]: field "strength" is -0.5, outside (0, 1])"},
      {"controls-bom.json", "controls", 0, "{file}: native JSON catalog: 1 control imported"},
      {"controls-bom.csv", "controls", 0, "{file}: CSV catalog: 1 control imported"},
      // ---- mappings -----------------------------------------------------------------------
      {"mappings-huge-strength.json", "mappings", 2, R"({file}:mappings[0]: field "strength" is 9.999999999999999e22, outside (0, 1])"},
      {"mappings-negative-strength.json", "mappings", 2, R"({file}:mappings[0]: field "strength" is -0.5, outside (0, 1])"},
      {"mappings-ragged.csv", "mappings", 2, "{file}:2: 5 fields, but the header names 4 columns (a comma in an unquoted field?)"},
      {"mappings-path-id.json", "mappings", 0, "1 mapping stored (1 protect, 0 detect, 0 respond), 0 mitigation links, 1 control created"},
      // ---- posture ------------------------------------------------------------------------
      {"posture-negative-fraction.json", "posture", 2, R"({file}:controls[0]: field "implemented" is -0.25, outside [0, 1])"},
      {"posture-huge-implemented.json", "posture", 2,
       R"({file}:controls[0]: field "implemented" is 9.999999999999999e22, outside [0, 1])"},
      {"posture-as-of-number.json", "posture", 2, R"({file}: field "as_of" is missing or not a string)"},
      {"posture-as-of-year-99999.json", "posture", 2, R"({file}: field "as_of": "99999-01-01" is not a date)"},
      {"posture-graph-huge-score.json", "posture", 2,
       R"({file}:value[0].controlScores[0]: field "score" is 1e308, outside [0, 1000000000])"},
      {"posture-ragged.csv", "posture", 2, "{file}:2: 4 fields, but the header names 3 columns (a comma in an unquoted field?)"},
      {"posture-duplicate-key.json", "posture", 0, "{file}: native JSON posture: 1 snapshot, 1 record imported"},
      {"posture-bom.csv", "posture", 0, "{file}: CSV posture: 1 snapshot, 1 record imported"},
      // ---- assets -------------------------------------------------------------------------
      {"assets-huge-weight.json", "assets", 2, R"({file}:assets[0]: field "weight" is 9.999999999999999e22, outside [0, 1000000])"},
      {"assets-negative-weight.json", "assets", 2, R"({file}:assets[0]: field "weight" is -0.001, outside [0, 1000000])"},
      {"assets-criticality-fraction.json", "assets", 2, R"({file}:assets[0]: field "criticality": "1.5" is not a criticality level)"},
      {"assets-criticality-uint64.json", "assets", 2,
       R"({file}:assets[0]: field "criticality": "18446744073709551615" is not a criticality level)"},
      {"assets-path-ids.json", "assets", 0, "{file}: JSON inventory: 3 assets imported"},
      {"assets-bom.csv", "assets", 0, "{file}: CSV inventory: 1 asset imported"},
      // ---- 100 MB strings (hostile_huge_input_test.cpp, label "slow") ---------------------
      {"generated/huge-incident-id.json", "incidents", 2, "{file}: record 1: the id is longer than 256 bytes"},
      {"generated/huge-incident-id.csv", "incidents", 2, "{file}:2: the id is longer than 256 bytes"},
      {"generated/huge-incident-title.json", "incidents", 0, "1 file (1 native): 1 incident imported: 1 new"},
      {"generated/huge-control-id.json", "controls", 2, R"({file}:controls[0]: field "id" is longer than 200 bytes)"},
      {"generated/huge-control-id.csv", "controls", 2, R"({file}:2: field "id" is longer than 200 bytes)"},
      {"generated/huge-asset-id.json", "assets", 2, R"({file}:assets[0]: field "id" is longer than 200 bytes)"},
      {"generated/huge-mapping-control.json", "mappings", 2, R"({file}:mappings[0]: field "control" is longer than 200 bytes)"},
      {"generated/huge-stix-id.json", "attack", 2, "{file}: object 0 (attack-pattern--xxxxxxxx"},
  };
  return cases;
}

inline std::string HostilePath(const std::string& file) { return DataPath("hostile/" + file); }

// The bytes of a store's data file: a refused import must not change one.
inline std::string DataFile(const std::string& store) { return ReadText(store + "/data.mdb"); }

// Names in a directory (not recursive), to prove no file appeared.
inline std::set<std::string> Listing(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) names.insert(entry.path().filename().string());
  return names;
}

// Runs the test's commands from an empty temp dir, so a relative id used as a path would show
// up there (and files other tests write to the build dir cannot disturb the check).
class ScopedWorkDir {
 public:
  ScopedWorkDir() : previous_(std::filesystem::current_path()), dir_(TempDir("hostile-cwd")) {
    std::filesystem::current_path(dir_);
  }
  ~ScopedWorkDir() { std::filesystem::current_path(previous_); }
  ScopedWorkDir(const ScopedWorkDir&) = delete;
  ScopedWorkDir& operator=(const ScopedWorkDir&) = delete;
  std::set<std::string> Files() const { return Listing(dir_); }

 private:
  std::filesystem::path previous_;
  std::string dir_;
};

inline std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

inline std::string WithPath(std::string message, const std::string& path) {
  if (auto at = message.find("{file}"); at != std::string::npos) message.replace(at, 6, path);
  return message;
}

// The base store of the cases: ATT&CK enterprise and the catalog of tests/data/controls (so
// posture and mappings name known controls).
inline std::string BaseStore() {
  static const std::string base = [] {
    std::string store = StoreWithAttack();
    auto result = RunTidemark({"--store", store, "-q", "import", "controls", DataPath("controls/catalog.json")});
    REQUIRE_MESSAGE(result.exit_code == 0, result.err);
    return store;
  }();
  return base;
}

// Runs one case on the file at `path`: a refused file on `shared` (whose data file must not
// change), an accepted one on a copy of BaseStore().
inline void RunHostileCase(const HostileCase& c, const std::string& path, const std::string& shared) {
  CAPTURE(c.file);
  CAPTURE(c.importer);
  std::string store = c.exit_code == 0 ? reliability::CopyStore(BaseStore()) : shared;
  std::vector<std::string> args = {"--store", store, "import"};
  for (auto& word : Words(c.importer)) args.push_back(word);
  args.push_back(path);
  std::string before = c.exit_code == 0 ? "" : DataFile(store);
  auto result = RunTidemark(args);
  CHECK(result.exit_code == c.exit_code);
  CHECK(result.out.empty());
  std::string expected = WithPath(c.message, path);
  CHECK_MESSAGE(result.err.find(expected) != std::string::npos, "expected: ", expected,
                "\nstderr: ", result.err.substr(0, 2000));
  if (c.exit_code != 0) CHECK_MESSAGE(DataFile(store) == before, "the store changed");
}

}  // namespace tidemark::testing::hostile
