// When each login of a run is due, handed out to the login loops: a number of logins or a length
// of time, either as fast as the loops go or paced open-loop at `rate` logins a second. Paced, the
// i-th login is due at start + i / rate whether or not the logins before it have finished, so a
// slow varco faces the same offered load; a loop that falls behind starts its logins at once.
//
// Thread-safe: any number of loops call next() concurrently.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>

namespace varco::bench {

class login_schedule {
 public:
  using clock = std::chrono::steady_clock;

  struct limits {
    std::optional<std::size_t> count;                     // at most this many logins
    std::optional<std::chrono::duration<double>> length;  // only logins due before start + length
    double rate = 0;                                      // logins a second; 0: as fast as possible
  };

  login_schedule(const limits& run, clock::time_point start);

  // When the next login is due (in the past: start it at once); nullopt when the run is over.
  std::optional<clock::time_point> next();

 private:
  limits run_;
  clock::time_point start_;
  std::optional<clock::time_point> end_;
  std::atomic<std::size_t> issued_{0};
};

}  // namespace varco::bench
