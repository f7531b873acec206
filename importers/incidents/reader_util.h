// Helpers every incident reader shares: walking the records of a JSON document, JSON array or
// NDJSON file; field access that accepts dotted and nested keys alike; values in the many
// shapes sources use (epoch seconds or milliseconds, ISO strings, numbers as strings, lists
// as JSON arrays, stringified JSON or comma-separated text); severity and asset normalisation.
// Pure functions; thread-safe.
#pragma once

#include <rapidjson/document.h>

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/core/time_util.h"
#include "engine/model/incident.h"
#include "importers/common/text.h"
#include "importers/incidents/reader.h"

namespace tidemark::importers::incidents {

// Called once per record with the place it came from ("file: record 3", "file:17").
using RecordFn = std::function<void(const rapidjson::Value& record, const std::string& where)>;

// Walks the records of `file`:
// - a parsed JSON array: its elements ("FILE: record N", N from 1);
// - a parsed JSON object holding an array under one of `wrappers` ("value", "incidents", ...):
//   that array's elements; any other object: the object itself ("FILE: record 1");
// - no parsed document (NDJSON): every non-blank line ("FILE:LINE"); a line that is not
//   valid JSON becomes a Reject and is not passed to `fn`.
void ForEachJsonRecord(const SourceFile& file, std::initializer_list<const char*> wrappers,
                       ReadOutput& out, const RecordFn& fn);

// The first record ForEachJsonRecord would visit, for Detect; `scratch` holds it when it comes
// from an NDJSON line. nullptr when there is none.
const rapidjson::Value* FirstJsonRecord(const SourceFile& file,
                                        std::initializer_list<const char*> wrappers,
                                        rapidjson::Document& scratch);

// Hands the records read so far to `out.drain` once enough have gathered (see ReadOutput).
void MaybeDrain(ReadOutput& out);

// A field by dotted path, whether the source wrote it as one dotted key
// ("kibana.alert.rule.name"), as nested objects, or any mix. nullptr when absent or null.
const rapidjson::Value* Field(const rapidjson::Value& object, std::string_view path);

// A string, or a number written as an integer when it has no fraction ("4821"); nullopt for
// anything else. Surrounding blanks are removed.
std::optional<std::string> AsText(const rapidjson::Value* value);
// The first of the paths that has a non-empty text value.
std::optional<std::string> FirstText(const rapidjson::Value& object,
                                     std::initializer_list<std::string_view> paths);

// A time: ISO 8601 string, or epoch seconds/milliseconds as a number or numeric string.
std::optional<TimeMs> AsTime(const rapidjson::Value* value);
// A number, or a numeric string ("3").
std::optional<double> AsNumber(const rapidjson::Value* value);

// A list of strings from a JSON array (non-strings skipped), a string holding a JSON array
// ("[\"T1059\"]"), or a comma-separated string ("Execution,CommandAndControl").
std::vector<std::string> AsTextList(const rapidjson::Value* value);

// A string holding JSON (Sentinel's Entities, ExtendedProperties) parsed into `doc`; the value
// itself when it already is an object or array. nullptr when absent or not valid JSON.
const rapidjson::Value* JsonOrStringified(const rapidjson::Value* value, rapidjson::Document& doc);

// "informational", "low", "medium", "high", "critical" from any case and the usual synonyms
// (info, moderate, fatal, ...); "" for unknown/unset and for values it does not know.
std::string NormalizeSeverity(std::string_view text);

// Adds an asset with a stable id (trimmed, lower-cased) unless an asset of that type and id is
// already there. Empty ids are ignored. `name` is the display form as the source gave it.
void AddAsset(model::Incident& incident, std::string_view type, std::string_view id,
              std::string_view name = "");

// One record of CSV text and the line it starts on.
struct CsvRecord {
  std::vector<std::string> cells;  // as written (quotes removed, not trimmed)
  size_t line = 0;
};

// Splits RFC 4180 `text` into records, the header first, with the one CSV reader
// (importers/common/csv_table.h: quoted fields, "" for a quote, newlines inside quotes, CRLF or
// LF, a leading UTF-8 BOM and blank lines skipped; the delimiter is the first of `,` `;` TAB in
// the first line). kBadInput "PATH:LINE: unterminated quoted field (truncated file?)".
Result<std::vector<CsvRecord>> SplitCsv(std::string_view text, const std::string& path);

// The cells of the first line of `text` read as a CSV header (trimmed); nullopt when it is not
// CSV (an unterminated quote, or JSON).
std::optional<std::vector<std::string>> CsvHeader(std::string_view text);

// `field "NAME" is missing` and friends, for Reject reasons.
std::string MissingField(std::string_view name);
std::string WrongType(std::string_view name, std::string_view expected);

// Shared with every importer (importers/common/text.h): IsValidUtf8, StartsWithChar, Trim.
using importers::StartsWithChar;

}  // namespace tidemark::importers::incidents
