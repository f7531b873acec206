// The hand-over between a thread that reads or computes and the thread that owns the write
// transaction (issues 15, 16): a bounded queue, so the producer runs ahead of the writer by at
// most `capacity` messages and memory stays flat however large the input. Used by the findings
// and the incidents importers and by `run` (one per worker thread). Thread-safe: one producer, one
// consumer.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

namespace tidemark {

// Thrown by Push in the producing thread once the consumer has closed the channel (it stopped
// listening: done, or failed); the producing thread then returns.
struct ChannelClosed {};

template <typename Message>
class BoundedChannel {
 public:
  explicit BoundedChannel(size_t capacity) : capacity_(capacity) {}

  // Waits while `capacity` messages wait; throws ChannelClosed after Close.
  void Push(Message message) {
    std::unique_lock<std::mutex> lock(mutex_);
    space_.wait(lock, [&] { return closed_ || queue_.size() < capacity_; });
    if (closed_) throw ChannelClosed{};
    queue_.push_back(std::move(message));
    items_.notify_one();
  }
  // Waits for the next message.
  Message Pop() {
    std::unique_lock<std::mutex> lock(mutex_);
    items_.wait(lock, [&] { return !queue_.empty(); });
    Message message = std::move(queue_.front());
    queue_.pop_front();
    space_.notify_one();
    return message;
  }
  // The consumer is done (or failed): the producer's next Push throws ChannelClosed.
  void Close() {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    space_.notify_all();
  }

 private:
  const size_t capacity_;
  std::mutex mutex_;
  std::condition_variable space_, items_;
  std::deque<Message> queue_;
  bool closed_ = false;
};

}  // namespace tidemark
