// Request ids: logged on every access line and sent upstream as X-Request-Id.
#pragma once

#include <string>
#include <string_view>

namespace varco::gateway {

// A new id: 16 hex chars of a per-thread random prefix followed by 8 hex chars of a per-thread
// counter (24 chars, e.g. "9f1c…e2a000000001f"). No locks, no syscalls after a thread's first call;
// unique across threads and processes with overwhelming probability (64 random bits per thread,
// re-drawn when the counter wraps).
std::string new_request_id();

// Whether an incoming X-Request-Id may be reused (only when the peer is a trusted proxy):
// 1–128 characters from [A-Za-z0-9._:=-], so it is safe in logs, headers and JSON.
bool is_acceptable_request_id(std::string_view id) noexcept;

}  // namespace varco::gateway
