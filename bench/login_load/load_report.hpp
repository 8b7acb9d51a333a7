// What a load run measured, printed as `key value` lines (bench/login reads them): logins/s,
// p50/p99 of each step, and varco's CPU per login from /proc/<pid>/stat.
#pragma once

#include "bench/login_load/login_client.hpp"

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <sys/types.h>
#include <vector>

namespace varco::bench {

// utime + stime of a process (all its threads), in seconds; nullopt when /proc has no such pid.
std::optional<double> process_cpu_seconds(pid_t pid);

struct load_report {
  std::size_t logins = 0;
  std::size_t failures = 0;
  std::string first_failure;
  std::chrono::duration<double> wall{};
  std::optional<double> varco_cpu_seconds;  // over the measured logins
  std::vector<login_timing> timings;        // of the successful logins

  void print(std::ostream& out) const;
};

}  // namespace varco::bench
