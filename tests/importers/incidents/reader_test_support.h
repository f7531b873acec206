// Running one incident reader directly in a unit test, on a fixture or an inline string, the
// way the importer hands a file over (a single JSON document parsed, anything else as text),
// plus compact spellings of a SourceIncident's parts for exact comparisons.
#pragma once

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/json.h"
#include "engine/core/time_util.h"
#include "importers/incidents/reader.h"
#include "importers/incidents/registry.h"
#include "tests/test_support.h"

namespace tidemark::importers::incidents::testing {

using tidemark::testing::DataPath;
using tidemark::testing::ReadText;

// Owns the text and the parsed document the SourceFile points into.
struct ReaderRun {
  std::string text;
  rapidjson::Document doc;
  SourceFile file;
  Status status = Status::Ok();
  ReadOutput out;
};

// `path` only names the input in `where` strings; the text is `text`. A text that does not
// parse as one JSON document (NDJSON, garbage) is handed over unparsed.
inline std::unique_ptr<ReaderRun> Prepare(const std::string& path, std::string text) {
  auto run = std::make_unique<ReaderRun>();
  run->text = std::move(text);
  std::string copy = run->text;
  bool parsed = ParseJson(copy, run->doc, path).ok();
  run->file = SourceFile{path, run->text, parsed ? &run->doc : nullptr};
  return run;
}

inline std::unique_ptr<ReaderRun> RunReader(const IncidentReader& reader, const std::string& path, std::string text) {
  auto run = Prepare(path, std::move(text));
  run->status = reader.Read(run->file, run->out);
  return run;
}

// A fixture under tests/data, read with `reader`.
inline std::unique_ptr<ReaderRun> RunFixture(const IncidentReader& reader, const std::string& relative) {
  return RunReader(reader, relative, tidemark::testing::ReadText(tidemark::testing::DataPath(relative)));
}

// `run`, which must have read cleanly: no error, no reject and `incidents` incidents (the test
// stops otherwise).
inline std::unique_ptr<ReaderRun> ReadCleanly(std::unique_ptr<ReaderRun> run, size_t incidents) {
  REQUIRE(run->status.ok());
  CHECK(run->out.rejects.empty());
  REQUIRE(run->out.incidents.size() == incidents);
  return run;
}

// The name of the reader auto-detection picks, or "" when none is picked.
inline std::string Detected(const std::string& text) {
  auto run = Prepare("detect", text);
  auto reader = DetectReader(run->file);
  return reader.ok() ? std::string((*reader)->Name()) : "";
}

inline std::string Iso(const std::optional<TimeMs>& time) { return time ? FormatIsoTime(*time) : "-"; }

// "T1059.001/execution" per technique, in reader order.
inline std::vector<std::string> Techniques(const SourceIncident& source) {
  std::vector<std::string> out;
  for (const auto& technique : source.techniques) out.push_back(technique.id + "/" + technique.tactic);
  return out;
}

// "device:ws-fin-042" per asset, or "device:ws-fin-042=WS-FIN-042" when a display name is kept.
inline std::vector<std::string> Assets(const model::Incident& incident) {
  std::vector<std::string> out;
  for (const auto& asset : incident.assets) {
    out.push_back(asset.type + ":" + asset.id + (asset.name.empty() ? "" : "=" + asset.name));
  }
  return out;
}

// "where: reason" per reject.
inline std::vector<std::string> Rejects(const ReadOutput& out) {
  std::vector<std::string> lines;
  for (const auto& reject : out.rejects) lines.push_back(reject.where + ": " + reject.reason);
  return lines;
}

}  // namespace tidemark::importers::incidents::testing
