// Looking readers up: by --format name, or by content (auto-detection: every reader's Detect
// score, the highest unique score wins). The readers themselves are listed in registry.cpp.
// Thread-safe (the list is built once, readers are stateless).
#pragma once

#include <string>
#include <string_view>

#include "engine/core/status.h"
#include "importers/incidents/reader.h"

namespace tidemark::importers::incidents {

// The reader called `name`; nullptr when there is none.
const IncidentReader* FindReader(std::string_view name);

// "native, defender, ..." in registry order, for usage and error messages.
std::string ReaderNames();

// The reader whose Detect score for `file` is highest. BadInput "cannot recognise format of
// FILE; pass --format NAME (one of ...)" when every score is 0 or the best score is shared.
Result<const IncidentReader*> DetectReader(const SourceFile& file);

}  // namespace tidemark::importers::incidents
