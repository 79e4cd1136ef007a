// One kind of background work on a thread of its own that keeps only the latest request: a newer
// request replaces one not yet started, and the render thread picks the result up when it is ready.
#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

namespace ganvas {

template <class Request, class Result>
class LatestJob {
 public:
  explicit LatestJob(std::function<Result(const Request&)> compute)
      : compute_(std::move(compute)), worker_([this] { run(); }) {}
  ~LatestJob() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    worker_.join();
  }
  LatestJob(const LatestJob&) = delete;
  LatestJob& operator=(const LatestJob&) = delete;

  void request(Request request) {
    {
      std::lock_guard lock(mutex_);
      request_ = std::move(request);
    }
    wake_.notify_all();
  }
  // A finished result, once: empty while none is ready.
  std::optional<Result> take() {
    std::lock_guard lock(mutex_);
    return std::exchange(result_, std::nullopt);
  }
  // Why the latest computation failed ("" when it did not), once.
  std::string take_error() {
    std::lock_guard lock(mutex_);
    return std::exchange(error_, std::string());
  }
  // Whether a request is queued or running.
  bool pending() const {
    std::lock_guard lock(mutex_);
    return request_.has_value() || busy_;
  }
  // Blocks until nothing is queued or running (tests, offline recordings).
  void wait_idle() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return !request_ && !busy_; });
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (true) {
      wake_.wait(lock, [this] { return stop_ || request_.has_value(); });
      if (stop_) return;
      Request request = std::move(*request_);
      request_.reset();
      busy_ = true;
      lock.unlock();
      std::optional<Result> result;
      std::string error;
      try {
        result = compute_(request);
      } catch (const std::exception& e) {
        error = e.what();
      }
      lock.lock();
      busy_ = false;
      if (result) result_ = std::move(result);
      if (!error.empty()) error_ = error;
      idle_.notify_all();
    }
  }

  std::function<Result(const Request&)> compute_;
  mutable std::mutex mutex_;
  std::condition_variable wake_, idle_;
  bool stop_ = false;
  bool busy_ = false;
  std::optional<Request> request_;
  std::optional<Result> result_;
  std::string error_;
  std::thread worker_;  // last: starts once everything above exists
};

}  // namespace ganvas
