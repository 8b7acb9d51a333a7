#include "gateway/endpoint/crypto_pool.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace varco::gateway {

crypto_pool::crypto_pool(unsigned threads)
    : threads_(std::max(threads, 1U)), pool_(static_cast<std::size_t>(threads_)) {}

crypto_pool::~crypto_pool() { stop(); }

bool crypto_pool::admit(std::size_t queue_limit) {
  if (stopping_.load(std::memory_order_relaxed) ||
      waiting_.load(std::memory_order_relaxed) >= queue_limit) {
    refused_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  waiting_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

void crypto_pool::lower_this_thread_priority() noexcept {
  thread_local bool lowered = false;
  if (lowered) return;
  lowered = true;
  // Linux gives each thread its own nice value (setpriority on a thread id), inherited from the
  // thread that started it; raising it needs no privilege. If it fails the pool still works, at
  // the workers' priority.
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  errno = 0;
  const int inherited = ::getpriority(PRIO_PROCESS, tid);  // -1 is a valid nice value
  const int nice = std::min(max_nice, (errno == 0 ? inherited : 0) + crypto_thread_nice);
  if (::setpriority(PRIO_PROCESS, tid, nice) != 0) {
    spdlog::warn("crypto pool: could not lower a thread's priority: {} (reason=crypto_nice_failed)",
                 std::strerror(errno));
  }
}

void crypto_pool::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_.store(true, std::memory_order_release);
  }
  // Without pool_.stop(): join() returns once every accepted job ran and its caller's
  // completion was posted.
  pool_.join();
}

}  // namespace varco::gateway
