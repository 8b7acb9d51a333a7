// A real HTTP/1.1 server on 127.0.0.1 (port chosen by the kernel) playing a product's portal,
// with the behaviour a test selects:
//
//   echo      200, JSON {"method","target","headers":[[name,value],…],"body_bytes","body_sha256"}
//             (headers as received: case and duplicates kept; the body is hashed as it streams)
//   delay     like echo, after waiting delay_ms before the response header (504 tests)
//   close     closes new connections at once, open ones on their next request (502 tests)
//   reset     the same with a reset (RST) instead of a close
//   big_body  200 with body_bytes bytes of pattern_byte(i), streamed in 64 KiB writes
//   sink      reads the request body in 64 KiB pieces and answers {"bytes","sha256"}
//
// A WebSocket upgrade whose path ends in /ws is accepted and every message echoed back; its 101
// names the cookies the upgrade carried (one X-Echo-Cookie field per Cookie field).
//
// Each X-Set-Cookie field of a request comes back as a Set-Cookie of its answer, whatever the
// behaviour (what a product portal setting its own cookies looks like).
//
// One thread accepts, one thread serves each connection. Settings are atomics: change them from
// the test's thread at any time; they apply to the next request.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace varco::test {

class test_upstream {
 public:
  enum class behaviour { echo, delay, close, reset, big_body, sink };

  test_upstream();  // listening, echo
  ~test_upstream();
  test_upstream(const test_upstream&) = delete;
  test_upstream& operator=(const test_upstream&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  std::atomic<behaviour> mode{behaviour::echo};
  std::atomic<int> delay_ms{0};
  std::atomic<std::uint64_t> body_bytes{0};

  std::size_t connections() const noexcept { return connections_.load(); }  // accepted so far
  std::size_t requests() const noexcept { return requests_.load(); }        // headers read

  // Stops listening and ends every open connection (the port is then refused).
  void stop();
  // Listens again on the same port.
  void start();

  // The big_body content: byte i of the body.
  static char pattern_byte(std::uint64_t i) noexcept {
    return static_cast<char>((i * 131 + (i >> 13)) & 0xFF);
  }
  static std::string pattern(std::uint64_t size);

 private:
  void accept_loop();
  void serve(int fd);
  bool wait_delay(int ms);  // false when stopping
  void track(int fd);
  void untrack_and_close(int fd);

  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> running_{false};
  std::atomic<std::size_t> connections_{0};
  std::atomic<std::size_t> requests_{0};
  std::thread acceptor_;
  std::mutex mutex_;
  std::condition_variable stopping_;
  std::set<int> open_fds_;
  std::vector<std::thread> workers_;
};

}  // namespace varco::test
