// What the upstream and client fault tests share: a varco process configured with one healthy
// product (an echo upstream) and one product in front of an upstream that misbehaves on demand,
// raw loopback connections for clients that misbehave, and the varco process's resource usage
// read from /proc. Real processes and sockets throughout; nothing is mocked.
#pragma once

#include "tests/support/echoed.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/test_upstream.hpp"
#include "tests/support/varco_process.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <thread>
#include <vector>

namespace varco::network_faults {

using test::json_field;
using namespace std::chrono_literals;

// VARCO_FAULTS_LONG=1 (scripts/faults): longer phases and more connections.
bool long_mode();
template <class T>
T scaled(T short_form, T long_form) {
  return long_mode() ? long_form : short_form;
}

// --- resources of a process, from /proc ------------------------------------------------------

long open_fds(pid_t pid);  // entries of /proc/PID/fd, -1 when unreadable
long rss_kib(pid_t pid);   // VmRSS, -1 when unreadable
long fd_limit(pid_t pid);  // soft "Max open files" from /proc/PID/limits, -1 when unreadable

// Raises this process's soft RLIMIT_NOFILE to `wanted` (capped at the hard limit); processes
// started afterwards inherit it. Returns the soft limit now in force.
long raise_fd_limit(long wanted);

// Whether the sanitizer runtime is in this build (varco is built the same way): shadow memory and
// quarantine make RSS meaningless there, so only the other bounds are checked.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool rss_is_meaningful = false;
#else
inline constexpr bool rss_is_meaningful = true;
#endif

// --- a raw client connection -------------------------------------------------------------------

// One TCP connection to 127.0.0.1:port, driven byte by byte: for clients that misbehave.
class raw_connection {
 public:
  explicit raw_connection(std::uint16_t port);  // connects (blocking); throws on failure
  ~raw_connection();
  raw_connection(raw_connection&& other) noexcept;
  raw_connection& operator=(raw_connection&&) = delete;
  raw_connection(const raw_connection&) = delete;
  raw_connection& operator=(const raw_connection&) = delete;

  // Writes all of `bytes`; false when the peer has closed or reset the connection.
  bool send(std::string_view bytes);
  // Reads what has arrived (waiting up to `wait`); true once the peer has closed or reset.
  bool closed_by_peer(std::chrono::milliseconds wait = 0ms);
  // Reads until one whole response with a Content-Length body is in, or `timeout`; the response
  // text, or "" when the peer closed first or the time ran out.
  std::string read_response(std::chrono::milliseconds timeout = 5s);
  // Reads until the peer closes or `timeout`; everything received so far.
  std::string read_until_closed(std::chrono::milliseconds timeout);
  void close();  // orderly (FIN)
  void reset();  // abortive (RST: SO_LINGER 0)
  const std::string& received() const { return received_; }

 private:
  bool pump(int wait_ms);  // one poll + recv; false once the peer is gone
  int fd_ = -1;
  bool peer_closed_ = false;
  std::string received_;
};

// --- an upstream that misbehaves ---------------------------------------------------------------

// A raw HTTP/1.1 upstream on 127.0.0.1 (port chosen by the kernel) whose misbehaviour the test
// selects; one thread accepts, one thread serves each connection. Every wait polls in short steps
// so stop() ends all of them promptly.
//
//   answer          200 with a small JSON body, keep-alive (the healthy state)
//   hang            reads the request, never answers; holds the connection until varco drops it
//   dribble_head    sends a complete 200 response head one byte every dribble_gap_ms, then the body
//   reset_mid_body  sends a 200 head announcing announced_body_bytes, sends sent_body_bytes of
//                   them, then resets the connection (SO_LINGER 0)
class fault_upstream {
 public:
  enum class behaviour { answer, hang, dribble_head, reset_mid_body };

  fault_upstream();  // listening, answer
  ~fault_upstream();
  fault_upstream(const fault_upstream&) = delete;
  fault_upstream& operator=(const fault_upstream&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  std::atomic<behaviour> mode{behaviour::answer};
  std::atomic<int> dribble_gap_ms{40};
  std::atomic<std::size_t> announced_body_bytes{1u << 20};
  std::atomic<std::size_t> sent_body_bytes{96u << 10};

  std::size_t requests() const noexcept { return requests_.load(); }  // request heads read
  std::size_t held() const noexcept { return held_.load(); }      // hang: requests held right now
  std::size_t resets() const noexcept { return resets_.load(); }  // reset_mid_body: RSTs sent

  void stop();   // closes the listener and every connection: the port is refused
  void start();  // listens again on the same port

 private:
  void accept_loop();
  void serve(int fd);
  bool read_request(int fd, std::string& pending);  // false when the peer left or stopping
  bool wait_readable_or_gone(int fd, int ms);       // false when the peer left or stopping
  void answer(int fd);
  void dribble(int fd);
  void reset_mid_body(int fd);

  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> running_{false};
  std::atomic<std::size_t> requests_{0};
  std::atomic<std::size_t> held_{0};
  std::atomic<std::size_t> resets_{0};
  std::thread acceptor_;
  std::mutex workers_mutex_;
  std::vector<std::thread> workers_;
};

// --- varco in front of both ---------------------------------------------------------------------

struct fault_gateway_options {
  std::string response_timeout = "2s";  // the faulty product's environment
  std::string connect_timeout = "1s";
  std::string header_read = "10s";
  std::string body_read = "30s";
  std::string idle_keep_alive = "60s";
  std::string header_bytes = "16KiB";
  std::string body_bytes = "10MiB";
  std::size_t max_connections = 10000;
};

// Redis (shared), an echo upstream behind /pagopa ("healthy"), a fault_upstream behind /fault, and
// a varco process with two workers; `cookie` is a session allowed on both products.
class fault_gateway {
 public:
  explicit fault_gateway(fault_gateway_options options = {});

  std::uint16_t port() const { return gateway->port(); }
  pid_t pid() const { return gateway->pid(); }
  test::header_list session(test::header_list more = {}) const;
  std::string log() const { return gateway->output(); }
  std::size_t log_count(std::string_view needle) const;  // occurrences in varco's output
  // Polls until `needle` occurs at least `count` times: the access log is written by spdlog's
  // background thread, so the line for an exchange the client has seen may still be on its way.
  bool log_reaches(std::string_view needle, std::size_t count,
                   std::chrono::milliseconds deadline = 10s) const;
  bool alive() { return gateway->running(); }

  // One proxied GET on the healthy product on a fresh connection: its status, 0 on a network error.
  unsigned healthy_status() const;
  // The bytes of a keep-alive GET of `target` with the session cookie, for a raw_connection.
  std::string raw_get(const std::string& target) const;

  fault_gateway_options options;
  test::redis_server& redis;
  test::test_upstream healthy;
  fault_upstream faulty;
  std::unique_ptr<test::varco_process> gateway;
  std::string cookie;
};

// fds and RSS of a process at one moment, and a readable line for test output.
struct usage {
  long fds = -1;
  long rss_kib = -1;
};
usage usage_of(pid_t pid);
std::string describe(const usage& before, const usage& after);

// Prints a resource reading to the test output (numbers for the report) and checks the bounds:
// descriptors back to at most baseline + fd_slack (polled: closes are asynchronous) and, where RSS
// means something, growth below rss_growth_kib.
void expect_back_to_baseline(pid_t pid, const usage& baseline, long fd_slack, long rss_growth_kib,
                             const std::string& phase);

// Polls until varco's descriptor count is at most `limit` (connections are closed asynchronously
// after the client side goes); the last count seen.
long fds_settle_to(pid_t pid, long limit, std::chrono::milliseconds deadline = 10s);

}  // namespace varco::network_faults
