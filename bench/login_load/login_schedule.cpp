#include "bench/login_load/login_schedule.hpp"

namespace varco::bench {

login_schedule::login_schedule(const limits& run, clock::time_point start)
    : run_(run), start_(start) {
  if (run_.length) end_ = start_ + std::chrono::duration_cast<clock::duration>(*run_.length);
}

std::optional<login_schedule::clock::time_point> login_schedule::next() {
  const std::size_t i = issued_.fetch_add(1);
  if (run_.count && i >= *run_.count) return std::nullopt;
  // Deadlines from the start, never from the previous login: pacing does not drift.
  const auto due =
      run_.rate > 0
          ? start_ + std::chrono::duration_cast<clock::duration>(
                         std::chrono::duration<double>(static_cast<double>(i) / run_.rate))
          : clock::now();
  if (end_ && due >= *end_) return std::nullopt;
  return due;
}

}  // namespace varco::bench
