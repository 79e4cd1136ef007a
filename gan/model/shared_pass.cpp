// The helper thread of run_shared_parts: one per process, started on the first shared piece of work.
#include "gan/model/shared_pass.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace ganvas::cpu {
namespace {

std::atomic<bool> sharing{false};

// How long the helper keeps looking for the next piece of work before it sleeps: a training step
// hands it work every few tenths of a millisecond, and waking from sleep takes tens of microseconds.
constexpr auto kHelperSpin = std::chrono::microseconds(300);

// One piece of work in progress; it lives on its caller's stack.
struct Work {
  PartFn part;
  const void* context;
  size_t count;
  std::atomic<size_t> next{0};   // the first part no thread has taken yet
  std::atomic<int> helpers{0};   // 1 while the helper works on this piece

  void take_parts() {
    for (size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < count;) part(context, i);
  }
};

class Helper {
 public:
  Helper() : thread_([this] { serve(); }) { thread_.detach(); }  // lives until the process ends

  // False (nothing run) when another caller is sharing work.
  bool run(Work& work) {
    if (in_use_.test_and_set(std::memory_order_acquire)) return false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      work_ = &work;
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_one();  // no system call unless the helper sleeps
    const Retire retire{this, &work};  // also if a part throws: the work lives on the caller's stack
    work.take_parts();
    return true;
  }

 private:
  void serve() {
    uint64_t served = 0;
    for (;;) {
      wait_for_work(served);
      std::unique_lock<std::mutex> lock(mutex_);
      served = generation_.load(std::memory_order_relaxed);
      Work* work = work_;
      if (!work) continue;  // retired before the helper came
      work->helpers.fetch_add(1, std::memory_order_relaxed);  // under the lock: the caller still waits for it
      lock.unlock();
      work->take_parts();
      work->helpers.fetch_sub(1, std::memory_order_release);
    }
  }

  // Returns once work newer than `served` was offered: looks for it for kHelperSpin, yielding the
  // core to anything else that wants it, then sleeps until a caller wakes it.
  void wait_for_work(uint64_t served) {
    const auto give_up = std::chrono::steady_clock::now() + kHelperSpin;
    while (std::chrono::steady_clock::now() < give_up) {
      if (generation_.load(std::memory_order_acquire) != served) return;
      std::this_thread::yield();
    }
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait(lock, [&] { return generation_.load(std::memory_order_relaxed) != served; });
  }

  // Ends the caller's sharing of `work`: the helper can no longer join it, and the part it took
  // last is done.
  struct Retire {
    Helper* helper;
    Work* work;
    ~Retire() {
      {
        std::lock_guard<std::mutex> lock(helper->mutex_);
        helper->work_ = nullptr;
      }
      while (work->helpers.load(std::memory_order_acquire) != 0) std::this_thread::yield();
      helper->in_use_.clear(std::memory_order_release);
    }
  };

  std::atomic_flag in_use_ = ATOMIC_FLAG_INIT;  // a caller is sharing work
  std::mutex mutex_;
  std::condition_variable wake_;
  Work* work_ = nullptr;                 // the work the helper may join (guarded by mutex_)
  std::atomic<uint64_t> generation_{0};  // pieces of work offered so far (written under mutex_)
  std::thread thread_;
};

}  // namespace

void set_work_sharing(bool on) { sharing.store(on, std::memory_order_relaxed); }
bool work_sharing() { return sharing.load(std::memory_order_relaxed); }

void run_shared_parts(size_t count, PartFn part, const void* context) {
  Work work{part, context, count};
  if (count > 1 && work_sharing()) {
    static Helper* helper = new Helper;  // never destroyed: work may run while the process exits
    if (helper->run(work)) return;
  }
  work.take_parts();
}

}  // namespace ganvas::cpu
