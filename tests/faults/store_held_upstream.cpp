#include "tests/faults/store_held_upstream.hpp"

#include "tests/support/ports.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace varco::faults {

namespace {

// Waits until `fd` is readable, checking `running` every 20 ms; false when stopping.
bool wait_readable(int fd, const std::atomic<bool>& running) {
  while (running.load()) {
    pollfd p{fd, POLLIN, 0};
    const int n = ::poll(&p, 1, 20);
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return false;
  }
  return false;
}

}  // namespace

held_upstream::held_upstream() {
  listen_fd_ = test::listen_on_loopback(0, 128, port_, "held_upstream");
  acceptor_ = std::thread([this] { accept_loop(); });
}

held_upstream::~held_upstream() {
  running_ = false;
  release();
  acceptor_.join();
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mutex_);
    workers.swap(workers_);
  }
  for (auto& worker : workers) worker.join();
  ::close(listen_fd_);
}

void held_upstream::release() {
  {
    std::lock_guard lock(mutex_);
    released_ = true;
  }
  released_changed_.notify_all();
}

void held_upstream::accept_loop() {
  while (wait_readable(listen_fd_, running_)) {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::lock_guard lock(mutex_);
    workers_.emplace_back([this, fd] { serve(fd); });
  }
}

void held_upstream::serve(int fd) {
  std::string head;
  char chunk[4096];
  while (head.find("\r\n\r\n") == std::string::npos) {
    if (!wait_readable(fd, running_)) break;
    const auto n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    head.append(chunk, static_cast<std::size_t>(n));
  }
  if (head.find("\r\n\r\n") != std::string::npos) {
    requests_.fetch_add(1);
    {
      std::unique_lock lock(mutex_);
      released_changed_.wait(lock, [this] { return released_; });
    }
    const std::string body = "held and released\n";
    const std::string response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                                 std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
                                 body;
    if (::send(fd, response.data(), response.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(response.size()))
      answered_.fetch_add(1);
  }
  ::close(fd);
}

}  // namespace varco::faults
