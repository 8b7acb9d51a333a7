// fault_upstream: an HTTP/1.1 upstream on raw sockets that misbehaves on demand.
#include "tests/faults/network_harness.hpp"
#include "tests/support/ports.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdexcept>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

namespace varco::network_faults {

namespace {

constexpr int poll_step_ms = 20;  // how quickly a wait notices stop()

bool send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// The Content-Length of a request head, 0 when absent (the tests send no chunked bodies here).
std::size_t content_length(std::string_view head) {
  constexpr std::string_view name = "\r\ncontent-length:";
  for (std::size_t at = 0; at + name.size() <= head.size(); ++at) {
    if (::strncasecmp(head.data() + at, name.data(), name.size()) == 0)
      return static_cast<std::size_t>(std::stoull(std::string(head.substr(at + name.size()))));
  }
  return 0;
}

}  // namespace

fault_upstream::fault_upstream() { start(); }

fault_upstream::~fault_upstream() { stop(); }

void fault_upstream::start() {
  if (running_) return;
  listen_fd_ = test::listen_on_loopback(port_, 512, port_, "fault_upstream");
  running_ = true;
  acceptor_ = std::thread([this] { accept_loop(); });
}

void fault_upstream::stop() {
  if (!running_.exchange(false)) return;
  acceptor_.join();  // it closes the listener on its way out
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(workers_mutex_);
    workers.swap(workers_);
  }
  for (auto& worker : workers) worker.join();
}

void fault_upstream::accept_loop() {
  while (running_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, poll_step_ms) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    const int yes = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    std::lock_guard lock(workers_mutex_);
    workers_.emplace_back([this, fd] { serve(fd); });
  }
  ::close(listen_fd_);
  listen_fd_ = -1;
}

bool fault_upstream::wait_readable_or_gone(int fd, int ms) {
  for (int waited = 0; running_ && waited < ms; waited += poll_step_ms) {
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, std::min(poll_step_ms, ms - waited));
    if (ready < 0 && errno != EINTR) return false;
    if (ready > 0) {
      // Readable while we are not reading a request: varco closed (0) or reset (<0) its side, or
      // sent something we do not expect (a pipelined request: not done by varco). Either way the
      // bytes are not ours to keep.
      char scratch[4096];
      if (::recv(fd, scratch, sizeof scratch, 0) <= 0) return false;
    }
  }
  return running_;
}

bool fault_upstream::read_request(int fd, std::string& pending) {
  std::size_t head_end = std::string::npos;
  char chunk[8192];
  while ((head_end = pending.find("\r\n\r\n")) == std::string::npos) {
    if (!running_) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, poll_step_ms) <= 0) continue;
    const auto n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    pending.append(chunk, static_cast<std::size_t>(n));
  }
  const std::size_t body = content_length(std::string_view(pending).substr(0, head_end + 2));
  const std::size_t total = head_end + 4 + body;
  while (pending.size() < total) {
    if (!running_) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, poll_step_ms) <= 0) continue;
    const auto n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    pending.append(chunk, static_cast<std::size_t>(n));
  }
  pending.erase(0, total);
  ++requests_;
  return true;
}

void fault_upstream::serve(int fd) {
  std::string pending;
  bool open = true;
  while (open && read_request(fd, pending)) {
    switch (mode.load()) {
      case behaviour::answer:
        answer(fd);
        break;
      case behaviour::hang:
        ++held_;
        // Never answers: waits until varco gives up on the request (closes) or the test stops.
        while (wait_readable_or_gone(fd, 1000)) {
        }
        --held_;
        open = false;
        break;
      case behaviour::dribble_head:
        dribble(fd);
        break;
      case behaviour::reset_mid_body:
        reset_mid_body(fd);
        return;  // the descriptor is closed (with a reset)
    }
  }
  ::close(fd);
}

void fault_upstream::answer(int fd) {
  static constexpr std::string_view response =
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 24\r\n\r\n"
      "{\"fault_upstream\":\"ok\"}\n";
  send_all(fd, response);
}

void fault_upstream::dribble(int fd) {
  static constexpr std::string_view head =
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Dribble: 0123456789abcdef\r\n"
      "Content-Length: 9\r\n\r\n";
  for (const char byte : head) {
    if (!send_all(fd, std::string_view(&byte, 1))) return;
    // The gap between bytes is the fault itself (a slow upstream), not synchronisation.
    if (!wait_readable_or_gone(fd, dribble_gap_ms.load())) return;
  }
  send_all(fd, "dribbled\n");
}

void fault_upstream::reset_mid_body(int fd) {
  const std::string head =
      "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
      "Content-Length: " +
      std::to_string(announced_body_bytes.load()) + "\r\n\r\n";
  send_all(fd, head);
  send_all(fd, std::string(sent_body_bytes.load(), 'r'));
  // SO_LINGER 0: close() sends RST instead of FIN, dropping anything unsent.
  const linger abort{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
  ::close(fd);
  ++resets_;
}

}  // namespace varco::network_faults
