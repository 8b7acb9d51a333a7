#include "tests/support/redis_server.hpp"

#include "tests/support/ports.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdexcept>
#include <string_view>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace varco::test {
namespace {

constexpr const char* redis_binary = "/usr/bin/redis-server";
constexpr auto start_deadline = std::chrono::seconds(10);

struct fd_guard {
  int fd = -1;
  ~fd_guard() {
    if (fd >= 0) ::close(fd);
  }
};

std::string resp_command(const std::vector<std::string_view>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (auto a : args) {
    out += "$" + std::to_string(a.size()) + "\r\n";
    out.append(a);
    out += "\r\n";
  }
  return out;
}

}  // namespace

redis_server::redis_server() : redis_server(options{}) {}

redis_server::redis_server(options opts) : options_(std::move(opts)), port_(pick_free_port()) {
  start();
}

redis_server::redis_server(external_tag, std::uint16_t port) : port_(port), external_(true) {}

redis_server::~redis_server() {
  if (!external_) stop();
}

redis_server& redis_server::shared() {
  if (const char* env = std::getenv("VARCO_TEST_REDIS_PORT"); env && *env) {
    static redis_server external(external_tag{}, static_cast<std::uint16_t>(std::atoi(env)));
    return external;
  }
  static redis_server own;
  return own;
}

void redis_server::start() {
  if (external_) throw std::logic_error("cannot start the shared external redis-server");
  if (pid_ > 0) return;
  const std::string port = std::to_string(port_);
  const bool persistent = !options_.append_only_dir.empty();
  std::vector<std::string> args = {redis_binary,
                                   "--port",
                                   port,
                                   "--bind",
                                   "127.0.0.1",
                                   "--save",
                                   "",
                                   "--appendonly",
                                   persistent ? "yes" : "no",
                                   "--daemonize",
                                   "no",
                                   "--dir",
                                   persistent ? options_.append_only_dir : "/tmp"};
  if (persistent) {
    args.emplace_back("--appendfsync");
    args.push_back(options_.appendfsync.empty() ? "everysec" : options_.appendfsync);
  }
  if (!options_.password.empty()) {
    args.emplace_back("--requirepass");
    args.push_back(options_.password);
  }
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork() failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a crashed test binary
    const int devnull = ::open("/dev/null", O_RDWR);
    ::dup2(devnull, STDIN_FILENO);
    ::dup2(devnull, STDOUT_FILENO);
    ::dup2(devnull, STDERR_FILENO);
    ::execv(redis_binary, argv.data());
    ::_exit(127);
  }
  pid_ = pid;

  const auto deadline = std::chrono::steady_clock::now() + start_deadline;
  while (!answers_ping(std::chrono::milliseconds(200))) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("redis-server exited at start (port " + port + ")");
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill();
      throw std::runtime_error("redis-server did not answer PING on port " + port);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // poll interval, not a sync
  }
}

void redis_server::wait_exit() {
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

void redis_server::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  wait_exit();
}

void redis_server::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  wait_exit();
}

void redis_server::restart() {
  stop();
  start();
}

std::string redis_server::info(const std::string& section,
                               std::chrono::milliseconds timeout) const {
  return command({"INFO", section}, timeout);
}

std::string redis_server::command(const std::vector<std::string>& args,
                                  std::chrono::milliseconds timeout) const {
  fd_guard s{connect_to_loopback(port_)};
  if (s.fd < 0) return {};
  const timeval tv{static_cast<time_t>(timeout.count() / 1000),
                   static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  ::setsockopt(s.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(s.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  std::string request;
  if (!options_.password.empty()) request += resp_command({"AUTH", options_.password});
  request += resp_command(std::vector<std::string_view>(args.begin(), args.end()));
  if (::send(s.fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    return {};
  }
  // With a password, AUTH's "+OK\r\n" comes first and is skipped. Then the command's reply:
  // a bulk string "$<length>\r\n<text>\r\n", or one line ("+OK", ":1").
  std::string reply;
  bool skip_auth = !options_.password.empty();
  char buf[4096];
  for (;;) {
    if (skip_auth && reply.starts_with("+OK\r\n")) {
      reply.erase(0, 5);
      skip_auth = false;
    }
    if (!skip_auth && !reply.empty()) {
      if (reply.starts_with("-")) return {};  // e.g. LOADING, a wrong password, a bad command
      const auto line_end = reply.find("\r\n");
      if (line_end != std::string::npos) {
        if (reply[0] != '$') return reply.substr(1, line_end - 1);
        const long length = std::strtol(reply.c_str() + 1, nullptr, 10);
        if (length < 0) return {};
        const auto text_at = line_end + 2;
        if (reply.size() >= text_at + static_cast<std::size_t>(length))
          return reply.substr(text_at, static_cast<std::size_t>(length));
      }
    }
    const ssize_t n = ::recv(s.fd, buf, sizeof buf, 0);
    if (n <= 0) return {};
    reply.append(buf, static_cast<size_t>(n));
  }
}

bool redis_server::answers_ping(std::chrono::milliseconds timeout) const {
  return command({"PING"}, timeout) == "PONG";
}

}  // namespace varco::test
