// How every human view writes a number: one rule per quantity, used by the terminal tables,
// the HTML report, ticket texts and Navigator comments, so the same figure never reads two
// ways (JSON keeps full precision, rounded by RoundScore). docs/report.md lists the rules.
//   score       resilience, exposure, posture score (0-100):  "81.1"          (1 decimal)
//   impact      the rise of a score a change would bring:     "+10.40", "+0.45" (sign, 2 decimals;
//               in a sentence, unsigned: "by 10.40 points")
//   fraction    implemented, strength, coverage, baseline:    "0.60", "1.00"  (2 decimals)
//   amount      a technique's weight, Secure Score points:    "3", "2.5", "8.33" (at most 2 decimals)
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>

namespace tidemark::report {

// `value` with one decimal; "-" when null (no known technique in the scope).
std::string FormatScore(std::optional<double> value);
// "+" and two decimals (a negative impact keeps its "-").
std::string FormatImpact(double value);
// Two decimals.
std::string FormatFraction(double value);
// Up to two decimals, trailing zeros dropped: "3", "2.5", "1.33".
std::string FormatAmount(double value);
// The size of a change of a score, unsigned, two decimals: "dropped by 4.10 points".
std::string FormatPoints(double value);

}  // namespace tidemark::report
