// Time as the audit log sees it: UTC with milliseconds, from the base::clock_function the owner
// injects (tests use a fake one to cross month boundaries; the log calls it under its mutex), and
// the month arithmetic behind rotation and retention.
#pragma once

#include "base/clock.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace varco::saml::audit {

using audit_time = base::sys_millis;

// "2026-11-28T12:00:00.123Z" (always 24 characters).
std::string format_time(audit_time t);
std::optional<audit_time> parse_time(std::string_view text);

// Months since 0000-01, so consecutive months differ by one (rotation and retention compare these).
int month_index(audit_time t);
int month_index(std::chrono::year_month ym);
std::chrono::year_month month_of(int index);

}  // namespace varco::saml::audit
