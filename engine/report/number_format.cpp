#include "engine/report/number_format.h"

#include <cstdio>

#include "engine/core/json.h"

namespace tidemark::report {
namespace {

std::string Printf(const char* format, double value) {
  char buf[48];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

}  // namespace

std::string FormatScore(std::optional<double> value) { return value ? Printf("%.1f", RoundScore(*value)) : "-"; }

std::string FormatImpact(double value) { return Printf("%+.2f", RoundScore(value)); }

std::string FormatPoints(double value) { return Printf("%.2f", RoundScore(value)); }

std::string FormatFraction(double value) { return Printf("%.2f", RoundScore(value)); }

std::string FormatAmount(double value) {
  std::string text = Printf("%.2f", RoundScore(value));
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

}  // namespace tidemark::report
