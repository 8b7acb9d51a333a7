// An upstream that holds every request until the test releases it: in-flight requests whose end
// the test decides, so drain tests do not depend on how long anything takes.
//
// A real HTTP/1.1 server on 127.0.0.1 (port chosen by the kernel). Each connection: one request
// head (GET, no body) is read, counted, held until release(), then answered 200 with a short
// text body and Connection: close. One thread accepts, one serves each connection.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace varco::faults {

class held_upstream {
 public:
  held_upstream();  // listening, holding
  ~held_upstream();
  held_upstream(const held_upstream&) = delete;
  held_upstream& operator=(const held_upstream&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::size_t requests() const noexcept { return requests_.load(); }  // heads received
  std::size_t answered() const noexcept { return answered_.load(); }  // responses written

  void release();  // answers every held request, and every later one at once

 private:
  void accept_loop();
  void serve(int fd);

  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> running_{true};
  std::atomic<std::size_t> requests_{0};
  std::atomic<std::size_t> answered_{0};
  std::mutex mutex_;
  std::condition_variable released_changed_;
  bool released_ = false;
  std::thread acceptor_;
  std::vector<std::thread> workers_;  // guarded by mutex_
};

}  // namespace varco::faults
