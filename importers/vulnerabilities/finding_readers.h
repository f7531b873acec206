// The per-format readers behind ParseFindingFile, and the checks they share. Internal to
// importers/vulnerabilities. Pure functions; thread-compatible.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

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
// Native or Defender CSV (column names of either, case-insensitive).
Status ReadCsv(std::string_view text, FindingFile& out);
// One native record; `where` names it in rejects.
void ReadNativeRecord(const rapidjson::Value& record, const std::string& where, FindingFile& out);
// One Defender row (full or delta, by out.format).
void ReadMdvmRecord(const rapidjson::Value& record, const std::string& where, FindingFile& out);
// A Trivy report.
Status ReadTrivy(const rapidjson::Value& report, FindingFile& out);

}  // namespace tidemark::importers::findings
