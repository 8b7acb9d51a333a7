// runtime_holder: swaps whole runtimes (reloads) and directories (writable directory changes).
// Kept apart from build_runtime so it builds and tests without the loaders.
#include "gateway/runtime.hpp"

#include <algorithm>

namespace varco::gateway {

runtime_holder::runtime_holder(std::shared_ptr<const runtime> first)
    : current_(std::move(first)),
      generation_(current_->generation),
      last_issued_(current_->generation) {}

std::shared_ptr<const runtime> runtime_holder::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

void runtime_holder::replace(std::shared_ptr<const runtime> next) {
  std::lock_guard lock(mutex_);
  if (next->config->directory.writable() && current_->directory_version > 0) {
    auto kept = std::make_shared<runtime>(*next);
    kept->directory = current_->directory;
    kept->directory_version = current_->directory_version;
    next = std::move(kept);
  }
  publish(std::move(next));
}

bool runtime_holder::replace_directory(std::shared_ptr<const directory::snapshot> directory,
                                       std::uint64_t version) {
  std::lock_guard lock(mutex_);
  if (version <= current_->directory_version) return false;
  auto next = std::make_shared<runtime>(*current_);
  next->directory = std::move(directory);
  next->directory_version = version;
  next->generation = next_generation();
  publish(std::move(next));
  return true;
}

void runtime_holder::publish(std::shared_ptr<const runtime> next) {
  last_issued_.store(std::max(last_issued_.load(), next->generation));
  current_ = std::move(next);
  generation_.store(current_->generation, std::memory_order_release);
}

}  // namespace varco::gateway
