// One format per quantity (issue 13: impacts printed as +10.4, +8, +5.333, +0.4545, +4.50 and
// 1.019 depending on the view).
#include "engine/report/number_format.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/report/text_table.h"

namespace tidemark::testing {
namespace {

struct Case {
  double value;
  const char* expected;
};

}  // namespace

TEST_CASE("every impact prints with its sign and two decimals, whatever its size") {
  const std::vector<Case> cases = {{10.4, "+10.40"}, {8, "+8.00"}, {5.3333333, "+5.33"}, {0.45454545, "+0.45"},
                                   {4.5, "+4.50"},   {1.019, "+1.02"}, {0, "+0.00"}};
  for (const auto& c : cases) {
    CAPTURE(c.value);
    CHECK(report::FormatImpact(c.value) == c.expected);
  }
  CHECK(report::FormatPoints(1.019) == "1.02");  // the same figure in a sentence ("by 1.02 points")
}

TEST_CASE("every fraction (implemented, strength, coverage) prints with two decimals") {
  const std::vector<Case> cases = {{0.6, "0.60"}, {0.60000001, "0.60"}, {1, "1.00"}, {0, "0.00"}, {0.126, "0.13"}};
  for (const auto& c : cases) {
    CAPTURE(c.value);
    CHECK(report::FormatFraction(c.value) == c.expected);
  }
}

TEST_CASE("scores print with one decimal, a null score as a dash") {
  CHECK(report::FormatScore(81.0833) == "81.1");
  CHECK(report::FormatScore(48.0) == "48.0");
  CHECK(report::FormatScore(std::nullopt) == "-");
}

TEST_CASE("weights and Secure Score points drop trailing zeros") {
  const std::vector<Case> cases = {{3, "3"}, {2.5, "2.5"}, {8.3333, "8.33"}, {0, "0"}};
  for (const auto& c : cases) {
    CAPTURE(c.value);
    CHECK(report::FormatAmount(c.value) == c.expected);
  }
}

TEST_CASE("counts take the singular for one and the plural otherwise") {
  CHECK(report::Plural(1, "incident") == "1 incident");
  CHECK(report::Plural(2, "incident") == "2 incidents");
  CHECK(report::Plural(0, "snapshot") == "0 snapshots");
  CHECK(report::Plural(1, "snapshot") == "1 snapshot");
}

}  // namespace tidemark::testing
