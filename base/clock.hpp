// Wall-clock time as varco reads it: UTC with milliseconds, from a clock its owner injects so
// tests can move time (expiry, validUntil, month rotation) without waiting.
#pragma once

#include <chrono>
#include <functional>

namespace varco::base {

using sys_millis = std::chrono::sys_time<std::chrono::milliseconds>;

// The injected clock. Whoever calls it may do so from any thread: must be thread-safe and cheap.
using clock_function = std::function<sys_millis()>;

// The system clock, to the millisecond.
sys_millis system_now();

}  // namespace varco::base
