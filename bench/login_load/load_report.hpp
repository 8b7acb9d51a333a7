// What a load run measured, printed as `key value` lines (bench/login reads them): logins/s,
// p50/p99 of each step (login_, provider_, acs_ or callback_, first_request_), and varco's CPU
// per login from /proc/<pid>/stat.
#pragma once

#include "bench/login_load/login_driver.hpp"

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <sys/types.h>
#include <vector>

namespace varco::bench {

// The CPU time of a process (all its threads) from /proc/<pid>/stat, in seconds.
struct cpu_seconds {
  double user = 0;    // utime
  double system = 0;  // stime: the kernel on its behalf (loopback TCP, epoll)
};
std::optional<cpu_seconds> process_cpu_seconds(pid_t pid);  // nullopt: no such pid

struct load_report {
  std::size_t logins = 0;
  std::size_t failures = 0;
  std::size_t crypto_busy = 0;  // of the failures: varco answered 503 crypto_busy
  std::string first_failure;
  std::chrono::duration<double> wall{};
  std::optional<cpu_seconds> varco_cpu;  // over the measured logins
  std::vector<login_timing> timings;     // of the successful logins
  std::string finish_step = "acs";       // the name of login_timing::finish: acs or callback

  void print(std::ostream& out) const;
};

}  // namespace varco::bench
