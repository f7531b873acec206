// UTC times as milliseconds since the Unix epoch, and their ISO 8601 spellings (SPEC §3:
// times are UTC; a date alone means the start of the day for a snapshot's `as_of` and the
// end of the day for `--as-of`). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tidemark {

using TimeMs = int64_t;  // milliseconds since 1970-01-01T00:00:00Z
constexpr TimeMs kDayMs = 86'400'000;

enum class DateOnly { kStartOfDay, kEndOfDay };

// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff...]]` with `Z`, `+HH:MM`, `-HH:MM` or no
// zone (UTC), and a space instead of `T`. A date alone resolves per `date_only`
// (end of day = 23:59:59.999). Returns nullopt for anything else or an impossible date.
std::optional<TimeMs> ParseIsoTime(std::string_view text, DateOnly date_only = DateOnly::kStartOfDay);

// Epoch numbers as other systems write them: values above 1e11 are milliseconds, below are
// seconds (Splunk `_time`, Elastic `@timestamp` as a number).
TimeMs EpochNumberToMs(double value);

// `2026-03-05T16:40:02Z`, with `.123` only when the milliseconds are not zero.
std::string FormatIsoTime(TimeMs ms);
// `2026-03-05`
std::string FormatDate(TimeMs ms);

// Start of the UTC day containing `ms`.
TimeMs StartOfDay(TimeMs ms);
// The last millisecond of the UTC day that starts at `day` (a day's history point is evaluated then).
constexpr TimeMs EndOfDay(TimeMs day) { return day + kDayMs - 1; }

// The current time.
TimeMs NowMs();

}  // namespace tidemark
