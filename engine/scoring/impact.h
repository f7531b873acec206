// The one tolerance of impact comparisons (SPEC §3): two impacts within 1e-9 are equal, and an
// impact at or below it raises nothing. Recommendations, gaps and patches all order by it.
#pragma once

namespace tidemark::scoring {

constexpr double kImpactEpsilon = 1e-9;

}  // namespace tidemark::scoring
