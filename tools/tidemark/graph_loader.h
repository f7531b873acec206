// Opening the store and building the defence graph the way the scope commands need it.
#pragma once

#include <memory>
#include <string_view>

#include "engine/graph/defense_graph.h"
#include "tools/tidemark/command.h"

namespace tidemark::cli {

enum class IncidentLoad { kNone, kAll };

// Builds the graph from one read snapshot; with kAll every stored incident is added.
Result<std::unique_ptr<graph::DefenseGraph>> LoadGraph(Context& ctx, IncidentLoad incidents);

}  // namespace tidemark::cli
