#include "engine/core/time_util.h"

#include <doctest/doctest.h>

namespace tidemark {

TEST_CASE("ISO times parse to UTC milliseconds") {
  CHECK(ParseIsoTime("1970-01-01T00:00:00Z") == 0);
  CHECK(ParseIsoTime("2026-03-05T16:40:02Z") == 1772728802000);
  CHECK(ParseIsoTime("2026-03-05T16:40:02.5Z") == 1772728802500);
  CHECK(ParseIsoTime("2026-03-05T17:40:02+01:00") == 1772728802000);
  CHECK(ParseIsoTime("2026-03-05 16:40:02") == 1772728802000);
  CHECK(ParseIsoTime("2026-03-05T16:40:02.123456789Z") == 1772728802123);
}

TEST_CASE("a date alone is the start of the day for snapshots and the end for --as-of") {
  CHECK(ParseIsoTime("2026-03-05") == 1772668800000);
  CHECK(ParseIsoTime("2026-03-05", DateOnly::kEndOfDay) == 1772668800000 + 86'400'000 - 1);
}

TEST_CASE("impossible or malformed times are rejected") {
  for (const char* bad : {"2026-02-30", "2026-13-01", "2026-3-5", "yesterday", "2026-03-05T25:00:00Z",
                          "2026-03-05T16:40:02Zjunk", ""}) {
    CAPTURE(bad);
    CHECK_FALSE(ParseIsoTime(bad).has_value());
  }
  CHECK(ParseIsoTime("2024-02-29").has_value());
}

TEST_CASE("times format back to ISO 8601 UTC") {
  CHECK(FormatIsoTime(1772728802000) == "2026-03-05T16:40:02Z");
  CHECK(FormatIsoTime(1772728802500) == "2026-03-05T16:40:02.500Z");
  CHECK(FormatDate(1772728802000) == "2026-03-05");
}

TEST_CASE("epoch numbers in seconds or milliseconds") {
  CHECK(EpochNumberToMs(1772728802) == 1772728802000);
  CHECK(EpochNumberToMs(1772728802000.0) == 1772728802000);
}

}  // namespace tidemark
