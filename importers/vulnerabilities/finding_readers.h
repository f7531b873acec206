// The per-format readers behind ParseFindingFile, and the checks they share. Internal to
// importers/vulnerabilities. Pure functions; thread-compatible.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

#include "importers/common/record_fields.h"
#include "importers/vulnerabilities/finding_file.h"

namespace tidemark::importers::findings {

// Normalises a read finding in place (asset lower-cased, CVE upper-cased, severity lower-cased)
// and returns why it cannot be stored (missing asset or CVE, ids too long for a key, fixed
// before first_seen), naming the field as the source spells it.
Problem Finish(model::Finding& finding, const char* asset_field, const char* cve_field);

// The member named `name` compared ASCII case-insensitively (Defender pages say `deviceName`,
// its files `DeviceName`); nullptr when absent.
const rapidjson::Value* MemberAnyCase(const rapidjson::Value& obj, std::string_view name);

// Native JSON records (an array or {"findings": [...]}) and NDJSON.
Status ReadNativeJson(rapidjson::Value& records, const std::string& array_name, FindingFile& out);
Status ReadNdjson(std::string& text, FindingFile& out);
// NDJSON line by line, for a whole text (ReadNdjson) or a file read in chunks: the first record
// decides native or Defender (full or delta, by its eventTimestamp) unless out.format says.
class NdjsonFindingReader {
 public:
  explicit NdjsonFindingReader(FindingFile& out);
  // One line without its '\n' (line_no from 1): a record, a reject, or nothing for a blank
  // line. Fails (kBadInput) when the line is not valid UTF-8: the file is refused as a whole.
  Status Line(std::string_view line, size_t line_no);

 private:
  FindingFile& out_;
  // One pool for every line, emptied before each (a Document reused for Parse keeps every
  // line's values in its pool: ~190 MB over a million lines).
  std::vector<char> pool_buffer_;
  rapidjson::MemoryPoolAllocator<> pool_;
  rapidjson::Document doc_;
  std::string line_;  // the line parsed in situ (its capacity reused)
  bool mdvm_;
  bool detected_;
};
// Native or Defender CSV (column names of either, case-insensitive).
Status ReadCsv(std::string_view text, FindingFile& out);
// One native record; `where` names it in rejects.
void ReadNativeRecord(const rapidjson::Value& record, const std::string& where, FindingFile& out);
// One Defender row (full or delta, by out.format).
void ReadMdvmRecord(const rapidjson::Value& record, const std::string& where, FindingFile& out);
// A Trivy report.
Status ReadTrivy(const rapidjson::Value& report, FindingFile& out);

}  // namespace tidemark::importers::findings
