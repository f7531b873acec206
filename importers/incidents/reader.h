// The contract every incident source format implements. A reader turns one file's content into
// SourceIncidents: the normalised record (model::Incident) except for ATT&CK resolution, which
// the shared normaliser (normalize.h) does against the loaded ATT&CK data afterwards, so every
// format resolves revoked, unknown and foreign technique IDs and threat names the same way.
// Readers are stateless and thread-safe.
#pragma once

#include <rapidjson/document.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "engine/model/incident.h"

namespace tidemark::importers::incidents {

// A technique reference as the source gave it: an ID in any spelling (or already rebuilt
// from parts by the reader) and the tactic in any spelling, both possibly empty.
struct SourceTechnique {
  std::string id;
  std::string tactic;
  // Set by readers whose source records that the activity was prevented (SPEC §1 `outcome`).
  model::TechniqueOutcome outcome = model::TechniqueOutcome::kSucceeded;
  // The revoked ID this reference replaced, when the source is tidemark's own output (an
  // exported record carries `revoked_from`); kept so re-importing an export changes nothing.
  std::string revoked_from = {};
};

struct SourceIncident {
  // Everything but `techniques`/`unknown_techniques`, which the normaliser fills; `threats`
  // hold what the source named (ATT&CK IDs, names or aliases).
  model::Incident incident;
  std::vector<SourceTechnique> techniques;
  // Names, aliases or IDs that count as a threat only when they resolve to an ATT&CK group
  // (G-ID); anything else is dropped rather than kept as a custom threat. For sources such as
  // published Attack Flows that name people and unnamed clusters next to tracked groups.
  std::vector<std::string> group_candidates;
  std::string where;  // "file:line" (NDJSON, CSV) or "file: record N" — for error messages
};

// A record the reader could not use; `reason` names the field ("field \"id\" is missing").
struct Reject {
  std::string where;
  std::string reason;
};

struct ReadOutput {
  std::vector<SourceIncident> incidents;
  std::vector<Reject> rejects;
  // Optional, set by the importer. A reader whose records are independent of each other (no
  // merging of several records into one incident) may call MaybeDrain(out) (reader_util.h)
  // after adding records: the importer then takes `incidents` and `rejects` so far and leaves
  // them empty, which keeps memory flat on large files. Readers that merge must not.
  std::function<void(ReadOutput&)> drain;
};

// Calls its argument with every line of a file (without '\n', numbered from 1), in order.
using LineSource = std::function<void(const std::function<void(std::string_view line, size_t line_no)>&)>;

// The input once: raw bytes, and the parsed JSON when the bytes are one JSON document
// (nullptr for NDJSON, CSV and anything that is not a single JSON value).
struct SourceFile {
  std::string path;
  std::string_view text;
  const rapidjson::Document* json = nullptr;
  // Set for a large NDJSON file read a chunk at a time (import.h), and only for a reader whose
  // StreamsNdjson() is true: then `text` is the start of the file (enough for Detect) and
  // ForEachJsonRecord takes the lines from here.
  LineSource lines = {};
};

class IncidentReader {
 public:
  virtual ~IncidentReader() = default;
  // The --format name: native, defender, sentinel, elastic, ocsf, splunk, thehive, stix, misp,
  // attack-flow, csv.
  virtual std::string_view Name() const = 0;
  // How sure the reader is that `file` is its format, from content only (never the file
  // name): 0 = not mine; the highest score wins auto-detection.
  virtual int Detect(const SourceFile& file) const = 0;
  // Reads every record. A malformed record goes to `out.rejects`; a file-level problem (not
  // this format at all) returns kBadInput naming the file.
  virtual Status Read(const SourceFile& file, ReadOutput& out) const = 0;
  // True when Read reads NDJSON only through ForEachJsonRecord and drains (MaybeDrain), so a
  // large NDJSON file can be handed to it as SourceFile::lines instead of whole.
  virtual bool StreamsNdjson() const { return false; }
};

// Every reader, in the order auto-detection asks them (registry.cpp).
const std::vector<std::unique_ptr<IncidentReader>>& AllReaders();

}  // namespace tidemark::importers::incidents
