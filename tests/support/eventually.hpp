// Polling with a deadline: for readiness and measurement, never as a fixed sleep.
#pragma once

#include <chrono>
#include <thread>

namespace varco::test {

// Calls `condition` until it returns true or `deadline` passes; true when it held.
template <class Condition>
bool eventually(Condition condition,
                std::chrono::milliseconds deadline = std::chrono::milliseconds(5000),
                std::chrono::milliseconds step = std::chrono::milliseconds(5)) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(step);
  }
}

}  // namespace varco::test
