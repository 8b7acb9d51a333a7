// The connections of one worker, so SIGTERM can close the idle ones at once and let the busy ones
// finish their request. Used only on the worker's own thread: no locks.
#pragma once

#include <cstddef>
#include <functional>
#include <list>

namespace varco::gateway {

class connection_registry {
 public:
  struct entry {
    bool busy = false;            // inside a request (header read to response written)
    std::function<void()> close;  // cancels the connection's pending I/O
  };
  using handle = std::list<entry>::iterator;

  handle add(std::function<void()> close) {
    return entries_.insert(entries_.end(), {false, std::move(close)});
  }
  void remove(handle h) { entries_.erase(h); }
  std::size_t size() const noexcept { return entries_.size(); }

  // Closes idle connections now; busy ones see draining() and close after their response.
  void begin_drain() {
    draining_ = true;
    for (auto it = entries_.begin(); it != entries_.end();) {
      auto current = it++;  // close() may remove the entry
      if (!current->busy) current->close();
    }
  }
  void close_all() {
    for (auto it = entries_.begin(); it != entries_.end();) {
      auto current = it++;
      current->close();
    }
  }
  bool draining() const noexcept { return draining_; }

 private:
  std::list<entry> entries_;
  bool draining_ = false;
};

}  // namespace varco::gateway
