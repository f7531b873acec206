// Incidents as CSV (RFC 4180: quoted fields, "" for a quote, newlines inside quotes), one
// incident per row, with a header row naming the columns (any order, any case; the delimiter
// is the first of `,` `;` TAB found in the header). Columns:
//   id (required), title, source, created, closed, status (open|closed), classification,
//   severity, techniques, assets, threats.
// Lists are separated by `;` or `|`. A technique may carry its tactic and its outcome (SPEC §1,
// `succeeded` by default): `T1059.001:execution`, `T1059.001:blocked`,
// `T1059.001:execution:blocked`;
// an asset is `type:id` (`device:ws-fin-042;user:jdoe@contoso.com`) when the prefix is one of
// device, user, mailbox, cloud-resource, other, else the whole entry is an id of type other.
// Other columns are kept in `extra`. Like native, read strictly: a bad time or enum value
// rejects the row naming the column. Stateless; thread-safe.
#pragma once

#include <memory>

#include "importers/incidents/reader.h"

namespace tidemark::importers::incidents {

std::unique_ptr<IncidentReader> MakeCsvReader();

}  // namespace tidemark::importers::incidents
