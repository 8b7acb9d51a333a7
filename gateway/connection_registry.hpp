// The connections of one worker, so SIGTERM can close the idle ones at once and let the busy ones
// finish their request, and a full worker can close the connection idle the longest to make room
// for a new one. Used only on the worker's own thread: no locks.
#pragma once

#include <cstddef>
#include <functional>
#include <list>

namespace varco::gateway {

class connection_registry {
 public:
  struct entry {
    bool busy = false;            // inside a request (header read to response written)
    bool reclaimed = false;       // closed by reclaim_oldest_idle, not yet unwound
    std::function<void()> close;  // cancels the connection's pending I/O
  };
  using handle = std::list<entry>::iterator;

  // A new connection starts idle (waiting for its first request) and newest.
  handle add(std::function<void()> close) {
    return entries_.insert(entries_.end(), {false, false, std::move(close)});
  }
  void remove(handle h) { entries_.erase(h); }
  std::size_t size() const noexcept { return entries_.size(); }

  // Waiting for the next request: the connection becomes the newest idle one. The list stays in
  // the order connections last became idle, so the first idle entry is the one idle the longest.
  void mark_idle(handle h) {
    h->busy = false;
    entries_.splice(entries_.end(), entries_, h);
  }
  void mark_busy(handle h) { h->busy = true; }

  // Closes the connection idle the longest (nginx reuses idle keep-alive connections the same way
  // when it runs out). False when every connection is inside a request. Busy connections ahead
  // in the list are skipped: the walk is linear, and only taken when the worker is full.
  bool reclaim_oldest_idle() {
    for (auto& e : entries_) {
      if (e.busy || e.reclaimed) continue;
      e.reclaimed = true;  // its coroutine unwinds later and removes the entry
      e.close();
      return true;
    }
    return false;
  }

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
