// Redis Cluster key slots: CRC16 (XMODEM) of the key, or of its hash tag, modulo 16384.
//
// A hash tag is the part between the first '{' and the next '}' when it is not empty: keys that
// share one (varco's "{dir}" keys of the directory) live in one slot, so multi-key operations on
// them stay possible in a cluster.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace varco::redis {

inline constexpr std::uint16_t slot_count = 16384;

std::uint16_t key_slot(std::string_view key) noexcept;

// The position of the key among a command's arguments (name included), or 0 when the command
// names no key (MULTI, EXEC, PUBLISH, PING, EVAL with no keys, …) and may go to any node.
std::size_t key_position(const std::vector<std::string>& args) noexcept;

}  // namespace varco::redis
