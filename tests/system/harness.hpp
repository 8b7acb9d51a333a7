// What the system tests run against: the real varco binary in its own process, real HTTP over
// loopback, a real upstream server, real Redis. Nothing here is a mock.
#pragma once

#include "conf/config.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <sys/types.h>
#include <thread>
#include <vector>

namespace varco::system_test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A fresh directory under /tmp, removed at the end.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

void write_file(const fs::path& path, const std::string& text);
std::string read_file(const fs::path& path);
void write_ec_key(const fs::path& path);  // EC P-256 private key, PEM (PKCS#8)

// The varco binary, started with a config written into `dir`; waits for its ready file.
class gateway_process {
 public:
  gateway_process(const temp_dir& dir, const std::string& config_yaml,
                  const std::string& name = "varco");
  ~gateway_process();
  gateway_process(const gateway_process&) = delete;
  gateway_process& operator=(const gateway_process&) = delete;

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  void signal(int number) const;
  // Waits for the process to end; the exit code, or -1 on timeout (or killed by a signal).
  int wait_exit(std::chrono::milliseconds timeout);
  std::string log() const;  // stdout + stderr so far
  fs::path config_path() const { return config_; }
  long peak_rss_kib() const;  // VmHWM

 private:
  fs::path config_;
  fs::path log_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

struct http_answer {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // lower-case names, last one wins
  std::string body;
  const std::string& header(const std::string& lower_name) const;
};

using header_list = std::vector<std::pair<std::string, std::string>>;

// A synchronous client on one keep-alive connection.
class http_client {
 public:
  explicit http_client(std::uint16_t port);
  http_answer request(boost::beast::http::verb method, const std::string& target,
                      const header_list& headers = {}, const std::string& body = {});
  http_answer get(const std::string& target, const header_list& headers = {}) {
    return request(boost::beast::http::verb::get, target, headers);
  }
  bool connected() const;

 private:
  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
};

// One request on a fresh connection.
http_answer http_get(std::uint16_t port, const std::string& target,
                     const header_list& headers = {});
// Sends raw bytes, returns the raw answer (until the server closes or `timeout`).
std::string send_raw(std::uint16_t port, const std::string& bytes,
                     std::chrono::milliseconds timeout = 3s);

// A real HTTP/1.1 server on 127.0.0.1:0 playing a product portal. By default it answers 200 with a
// JSON echo of the request:
// {"method","target","headers":[[name,value],…],"body_bytes","body_sha256"}.
class echo_upstream {
 public:
  echo_upstream();
  ~echo_upstream();
  std::uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::size_t connections() const { return connections_.load(); }
  std::size_t requests() const { return requests_.load(); }  // request heads received

  std::atomic<int> delay_ms{0};                // before answering (504 tests)
  std::atomic<std::size_t> download_bytes{0};  // answer this many bytes instead of the echo
  void stop();                                 // closes the listener (502 tests)
  void start();                                // listens again on the same port

 private:
  void accept_loop();
  void serve(boost::asio::ip::tcp::socket socket);

  boost::asio::io_context io_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  std::uint16_t port_ = 0;
  std::atomic<std::size_t> connections_{0};
  std::atomic<std::size_t> requests_{0};
  std::atomic<bool> running_{false};
  std::thread acceptor_thread_;
  std::mutex workers_mutex_;
  std::vector<std::thread> workers_;
};

// Sessions through the store API (there is no login bypass in the product).
struct session_spec {
  std::string fiscal_number = "RSSMRA80A01H501U";
  std::string name = "Mario";
  std::string family_name = "Rossi";
  std::string email = "mario.rossi@example.it";
  std::string party;
  std::map<std::string, std::string> environments;
  std::chrono::milliseconds created_ago{0};  // > 0: created that long ago (absolute timeout)
  std::chrono::milliseconds ttl = 30min;
};
std::string create_session(std::uint16_t redis_port, const session_spec& spec);  // cookie id
void delete_session(std::uint16_t redis_port,
                    const std::string& cookie_id);  // publishes revocation
// The same on any Redis topology varco supports (Sentinel, Cluster).
std::string create_session(const conf::redis& redis, const session_spec& spec);
void delete_session(const conf::redis& redis, const std::string& cookie_id);

// Polls `condition` until true or `deadline`; measurement and readiness, never a fixed sleep.
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds deadline = 5s,
                std::chrono::milliseconds step = 5ms) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(step);
  }
}

}  // namespace varco::system_test
