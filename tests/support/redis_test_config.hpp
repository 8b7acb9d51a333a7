// Client settings for the test Redis servers: short timeouts so failures show quickly, and a key
// prefix per test so tests sharing one server never see each other's keys or messages.
#pragma once

#include "conf/config.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <unistd.h>

namespace varco::test {

inline conf::redis redis_config(std::uint16_t port, std::string prefix) {
  using namespace std::chrono_literals;
  conf::redis c;
  c.host = "127.0.0.1";
  c.port = port;
  c.key_prefix = std::move(prefix);
  c.connect_timeout = 500ms;
  c.command_timeout = 500ms;
  c.reconnect_min = 20ms;
  c.reconnect_max = 200ms;
  return c;
}

// A prefix per test so tests sharing one server never see each other's keys or revocations.
inline std::string unique_prefix() {
  static std::atomic<int> n{0};
  return "t" + std::to_string(::getpid()) + "-" + std::to_string(n++) + ":";
}

}  // namespace varco::test
