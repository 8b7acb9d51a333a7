#include "gateway/endpoint/crypto_pool.hpp"

#include <algorithm>

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
