// tidemark's own incident format (SPEC §1): a JSON array, NDJSON (one object per line) or
// {"incidents": [...]}. Keys are lower-case; unknown keys are kept verbatim in `extra`.
// Being our own format it is read strictly: a wrong type or an unknown enum value rejects the
// record naming the field. Stateless; thread-safe.
#pragma once

#include <memory>

#include "importers/incidents/reader.h"

namespace tidemark::importers::incidents {

std::unique_ptr<IncidentReader> MakeNativeReader();

}  // namespace tidemark::importers::incidents
