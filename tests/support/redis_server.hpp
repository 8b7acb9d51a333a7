// A real redis-server for tests, on a free loopback port, stopped when the object goes.
//
// Not thread-safe; use from the test's thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

namespace varco::test {

class redis_server {
 public:
  struct options {
    std::string password;  // --requirepass when not empty
    // Not empty: append-only persistence (--appendonly yes) into this existing directory, which
    // outlives kill() and restart(), so a restarted server reloads what it had acknowledged.
    // Empty (the default): no persistence at all.
    std::string append_only_dir;
    std::string appendfsync;  // with append_only_dir: always, everysec or no; "" = everysec
  };

  // Starts the server and waits until it answers PING. Throws std::runtime_error on failure.
  // (Two constructors, not a default argument: GCC cannot default a nested struct with member
  // initializers inside its enclosing class.)
  redis_server();
  explicit redis_server(options opts);
  ~redis_server();
  redis_server(const redis_server&) = delete;
  redis_server& operator=(const redis_server&) = delete;

  // The server scripts/test started (env VARCO_TEST_REDIS_PORT), else one started on first use
  // and shared by the whole test binary. Never kill or restart it: tests that do start their own.
  static redis_server& shared();

  std::uint16_t port() const noexcept { return port_; }
  const std::string& password() const noexcept { return options_.password; }
  bool running() const noexcept { return pid_ > 0 || external_; }

  void stop();     // SIGTERM, then wait for the process
  void kill();     // SIGKILL, then wait: a crash as the clients see it
  void restart();  // start again on the same port (after stop or kill)

  // The text of INFO <section> (e.g. "persistence"); "" when the server does not answer.
  std::string info(const std::string& section,
                   std::chrono::milliseconds timeout = std::chrono::milliseconds(1000)) const;

  // One command's reply as text: a bulk string's content, or a simple or integer reply's line
  // ("OK", "1"); "" on an error reply or when the server does not answer.
  std::string command(const std::vector<std::string>& args,
                      std::chrono::milliseconds timeout = std::chrono::milliseconds(1000)) const;

  // Whether something answers PING on port() (with AUTH when a password is set).
  bool answers_ping(std::chrono::milliseconds timeout = std::chrono::milliseconds(500)) const;

 private:
  struct external_tag {};
  redis_server(external_tag, std::uint16_t port);

  void start();
  void wait_exit();

  options options_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
  bool external_ = false;
};

}  // namespace varco::test
