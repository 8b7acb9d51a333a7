// The two unit notations of the config file: durations ("250ms", "10s", "15m", "8h", "1d") and
// byte sizes ("512", "16KiB", "10MiB", "1GiB"). Pure functions, usable anywhere.
#pragma once

#include "conf/config.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace varco::conf {

// An unsigned integer followed by ms, s, m, h or d; a bare "0" is also accepted (it means
// "disabled" in several settings). nullopt on anything else, including overflow.
std::optional<duration> parse_duration(std::string_view text);

// An unsigned integer, optionally followed by B, KiB, MiB or GiB (powers of 1024). nullopt on
// anything else, including overflow.
std::optional<std::uint64_t> parse_bytes(std::string_view text);

// The shortest exact spelling in the same notation ("90s" → "90s", 7200000ms → "2h"), for messages.
std::string format_duration(duration value);

}  // namespace varco::conf
