// Status and Result<T>: how expected failures travel (bad input, unknown id, store trouble).
// A Status carries a code that maps one-to-one onto the command's exit status (SPEC §4) and a
// message that says what, where and how to fix. Value types; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace tidemark {

enum class StatusCode {
  kOk = 0,
  kUsage = 1,     // the command line is wrong
  kBadInput = 2,  // a file or record is malformed; nothing was written
  kStore = 3,     // the store cannot be opened, is of another schema, or a write failed
  kNotFound = 4,  // an id the user asked for does not exist (exit status 2: bad input)
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Usage(std::string msg) { return Status(StatusCode::kUsage, std::move(msg)); }
  static Status BadInput(std::string msg) { return Status(StatusCode::kBadInput, std::move(msg)); }
  static Status StoreError(std::string msg) { return Status(StatusCode::kStore, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(StatusCode::kNotFound, std::move(msg)); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The process exit status for this status (SPEC §4: 0, 1 usage, 2 bad input, 3 store).
  int ExitCode() const {
    switch (code_) {
      case StatusCode::kOk: return 0;
      case StatusCode::kUsage: return 1;
      case StatusCode::kBadInput:
      case StatusCode::kNotFound: return 2;
      case StatusCode::kStore: return 3;
    }
    return 3;
  }

 private:
  Status(StatusCode code, std::string msg) : code_(code), message_(std::move(msg)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Either a value or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT
  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

// Returns early from the enclosing function when `expr` yields a non-ok Status.
#define TM_RETURN_IF_ERROR(expr)          \
  do {                                    \
    ::tidemark::Status tm_status_ = (expr); \
    if (!tm_status_.ok()) return tm_status_; \
  } while (0)

}  // namespace tidemark
