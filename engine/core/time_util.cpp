#include "engine/core/time_util.h"

#include <chrono>
#include <cctype>
#include <cstdio>

namespace tidemark {
namespace {

// Days from 1970-01-01 to the given civil date (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool ReadDigits(std::string_view text, size_t pos, size_t count, int& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (size_t idx = pos; idx < pos + count; ++idx) {
    if (!std::isdigit(static_cast<unsigned char>(text[idx]))) return false;
    out = out * 10 + (text[idx] - '0');
  }
  return true;
}

unsigned DaysInMonth(int year, int month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

std::optional<TimeMs> ParseIsoTime(std::string_view text, DateOnly date_only) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  int year, month, day;
  if (!ReadDigits(text, 0, 4, year) || text.size() < 10 || text[4] != '-' ||
      !ReadDigits(text, 5, 2, month) || text[7] != '-' || !ReadDigits(text, 8, 2, day))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || static_cast<unsigned>(day) > DaysInMonth(year, month))
    return std::nullopt;
  TimeMs base = DaysFromCivil(year, month, day) * kDayMs;
  if (text.size() == 10) return date_only == DateOnly::kEndOfDay ? base + kDayMs - 1 : base;
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return std::nullopt;
  int hour, minute, second = 0;
  if (!ReadDigits(text, 11, 2, hour) || text.size() < 16 || text[13] != ':' ||
      !ReadDigits(text, 14, 2, minute))
    return std::nullopt;
  size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    if (!ReadDigits(text, pos + 1, 2, second)) return std::nullopt;
    pos += 3;
  }
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  TimeMs millis = 0;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    ++pos;
    int digits = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int pad = digits; pad < 3; ++pad) millis *= 10;
  }
  TimeMs offset = 0;
  if (pos < text.size()) {
    char zone = text[pos];
    if ((zone == 'Z' || zone == 'z') && pos + 1 == text.size()) {
      pos += 1;
    } else if (zone == '+' || zone == '-') {
      int oh, om = 0;
      if (!ReadDigits(text, pos + 1, 2, oh)) return std::nullopt;
      size_t next = pos + 3;
      if (next < text.size() && text[next] == ':') ++next;
      if (next < text.size()) {
        if (!ReadDigits(text, next, 2, om)) return std::nullopt;
        next += 2;
      }
      if (next != text.size() || oh > 23 || om > 59) return std::nullopt;
      offset = (static_cast<TimeMs>(oh) * 60 + om) * 60'000 * (zone == '+' ? 1 : -1);
      pos = next;
    } else {
      return std::nullopt;
    }
  }
  if (pos != text.size()) return std::nullopt;
  return base + ((static_cast<TimeMs>(hour) * 60 + minute) * 60 + second) * 1000 + millis - offset;
}

TimeMs EpochNumberToMs(double value) {
  if (value > 1e11 || value < -1e11) return static_cast<TimeMs>(value);
  return static_cast<TimeMs>(value * 1000.0);
}

std::string FormatIsoTime(TimeMs ms) {
  int64_t days = ms >= 0 ? ms / kDayMs : (ms - kDayMs + 1) / kDayMs;
  TimeMs in_day = ms - days * kDayMs;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  int64_t secs = in_day / 1000;
  int millis = static_cast<int>(in_day % 1000);
  if (y >= 0 && y <= 9999) {
    // What the snprintf below writes for four-digit years, without it: every stored incident
    // record carries two of these (issue 16: an import of 1,000,000 writes 2,000,000).
    char out[24];
    auto put = [&out](size_t at, int64_t value, int digits) {
      for (int digit = digits - 1; digit >= 0; --digit, value /= 10) out[at + digit] = static_cast<char>('0' + value % 10);
    };
    put(0, y, 4);
    out[4] = '-';
    put(5, m, 2);
    out[7] = '-';
    put(8, d, 2);
    out[10] = 'T';
    put(11, secs / 3600, 2);
    out[13] = ':';
    put(14, secs / 60 % 60, 2);
    out[16] = ':';
    put(17, secs % 60, 2);
    if (millis == 0) {
      out[19] = 'Z';
      return std::string(out, 20);
    }
    out[19] = '.';
    put(20, millis, 3);
    out[23] = 'Z';
    return std::string(out, 24);
  }
  char buf[96];
  if (millis != 0) {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03dZ",
                  static_cast<long long>(y), m, d, static_cast<long long>(secs / 3600),
                  static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60), millis);
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                  static_cast<long long>(y), m, d, static_cast<long long>(secs / 3600),
                  static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  }
  return buf;
}

std::string FormatDate(TimeMs ms) { return FormatIsoTime(StartOfDay(ms)).substr(0, 10); }

TimeMs StartOfDay(TimeMs ms) {
  int64_t days = ms >= 0 ? ms / kDayMs : (ms - kDayMs + 1) / kDayMs;
  return days * kDayMs;
}

TimeMs NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace tidemark
