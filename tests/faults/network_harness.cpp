// The varco process, raw client connections and /proc readings of network_harness.hpp.
#include "tests/faults/network_harness.hpp"

#include "tests/support/eventually.hpp"
#include "tests/support/ports.hpp"
#include "tests/support/test_sessions.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <limits>
#include <memory>
#include <netinet/in.h>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace varco::network_faults {

bool long_mode() {
  const char* value = std::getenv("VARCO_FAULTS_LONG");
  return value != nullptr && std::string_view(value) == "1";
}

// --- /proc -------------------------------------------------------------------------------------

long open_fds(pid_t pid) {
  const std::string path = "/proc/" + std::to_string(pid) + "/fd";
  struct dir_closer {
    void operator()(DIR* d) const { ::closedir(d); }
  };
  std::unique_ptr<DIR, dir_closer> dir(::opendir(path.c_str()));
  if (!dir) return -1;
  long count = 0;
  while (const dirent* entry = ::readdir(dir.get()))
    if (entry->d_name[0] != '.') ++count;
  return count;
}

long rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

long fd_limit(pid_t pid) {
  std::ifstream limits("/proc/" + std::to_string(pid) + "/limits");
  std::string line;
  while (std::getline(limits, line)) {
    if (line.rfind("Max open files", 0) != 0) continue;
    std::istringstream fields(line.substr(std::string_view("Max open files").size()));
    std::string soft;
    fields >> soft;
    return soft == "unlimited" ? std::numeric_limits<long>::max() : std::stol(soft);
  }
  return -1;
}

long raise_fd_limit(long wanted) {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  const auto target = std::min<rlim_t>(static_cast<rlim_t>(wanted), limit.rlim_max);
  if (limit.rlim_cur < target) {
    limit.rlim_cur = target;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  return static_cast<long>(limit.rlim_cur);
}

usage usage_of(pid_t pid) { return usage{open_fds(pid), rss_kib(pid)}; }

std::string describe(const usage& before, const usage& after) {
  return "fds " + std::to_string(before.fds) + " -> " + std::to_string(after.fds) + ", VmRSS " +
         std::to_string(before.rss_kib) + " KiB -> " + std::to_string(after.rss_kib) + " KiB";
}

long fds_settle_to(pid_t pid, long limit, std::chrono::milliseconds deadline) {
  long seen = open_fds(pid);
  test::eventually(
      [&] {
        seen = open_fds(pid);
        return seen <= limit;
      },
      deadline, 20ms);
  return seen;
}

void expect_back_to_baseline(pid_t pid, const usage& baseline, long fd_slack, long rss_growth_kib,
                             const std::string& phase) {
  const long fds = fds_settle_to(pid, baseline.fds + fd_slack);
  const usage after{fds, rss_kib(pid)};
  std::printf("[resources] %s: %s\n", phase.c_str(), describe(baseline, after).c_str());
  EXPECT_LE(after.fds, baseline.fds + fd_slack) << phase << ": descriptors leaked";
  if (rss_is_meaningful) {
    EXPECT_LT(after.rss_kib - baseline.rss_kib, rss_growth_kib) << phase << ": RSS grew";
  }
}

// --- raw_connection ----------------------------------------------------------------------------

raw_connection::raw_connection(std::uint16_t port) : fd_(test::connect_to_loopback(port)) {
  if (fd_ < 0) throw std::runtime_error("connect failed: errno " + std::to_string(errno));
}

raw_connection::~raw_connection() {
  if (fd_ >= 0) ::close(fd_);
}

raw_connection::raw_connection(raw_connection&& other) noexcept
    : fd_(other.fd_), peer_closed_(other.peer_closed_), received_(std::move(other.received_)) {
  other.fd_ = -1;
}

bool raw_connection::send(std::string_view bytes) {
  if (fd_ < 0 || peer_closed_) return false;
  while (!bytes.empty()) {
    const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      peer_closed_ = true;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool raw_connection::pump(int wait_ms) {
  if (fd_ < 0 || peer_closed_) return false;
  pollfd p{fd_, POLLIN, 0};
  const int ready = ::poll(&p, 1, wait_ms);
  if (ready <= 0) return true;
  char chunk[16384];
  const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) {
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
    peer_closed_ = true;  // 0: FIN; <0: reset
    return false;
  }
  received_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

bool raw_connection::closed_by_peer(std::chrono::milliseconds wait) {
  const auto until = std::chrono::steady_clock::now() + wait;
  do {
    if (!pump(static_cast<int>(std::min<std::chrono::milliseconds>(wait, 20ms).count())))
      return true;
  } while (std::chrono::steady_clock::now() < until);
  return peer_closed_;
}

std::string raw_connection::read_response(std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto head_end = received_.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      std::size_t body = 0;
      std::string head = received_.substr(0, head_end);
      for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (const auto at = head.find("\r\ncontent-length:"); at != std::string::npos)
        body = std::stoul(head.substr(at + 17));
      if (received_.size() >= head_end + 4 + body) {
        std::string response = received_.substr(0, head_end + 4 + body);
        received_.erase(0, head_end + 4 + body);
        return response;
      }
    }
    if (std::chrono::steady_clock::now() >= until || !pump(20)) return {};
  }
}

std::string raw_connection::read_until_closed(std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until && pump(20)) {
  }
  return received_;
}

void raw_connection::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void raw_connection::reset() {
  if (fd_ < 0) return;
  const linger abort{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
  close();
}

// --- fault_gateway -------------------------------------------------------------------------------

namespace {

constexpr const char* institution = "9f1c2a3e-0001-4a6b-9c1d-000000000001";
constexpr const char* manager_cf = "RSSMRA80A01H501U";

std::string directory_yaml() {
  return R"(parties:
  - id: 9f1c2a3e-0001-4a6b-9c1d-000000000001
    name: Comune di Valdoria
    type: PA
    fiscal_code: "80012340123"
    ipa_code: c_v001
memberships:
  - {user: RSSMRA80A01H501U, party: 9f1c2a3e-0001-4a6b-9c1d-000000000001, product: prod-pagopa, party_role: MANAGER, product_role: admin}
  - {user: RSSMRA80A01H501U, party: 9f1c2a3e-0001-4a6b-9c1d-000000000001, product: prod-guasto, party_role: MANAGER, product_role: admin}
)";
}

std::string config_yaml(const fault_gateway_options& o, std::uint16_t redis_port,
                        const std::string& healthy_url, const std::string& faulty_url) {
  return "server:\n"
         "  listeners: [{address: 127.0.0.1, port: 0}]\n"
         "  workers: 2\n"
         "  plain_http: true\n"
         "  public_base_url: http://varco.test\n"
         "  limits: {header_bytes: " +
         o.header_bytes + ", body_bytes: " + o.body_bytes +
         ", max_connections: " + std::to_string(o.max_connections) +
         "}\n"
         "  timeouts: {drain: 2s, header_read: " +
         o.header_read + ", body_read: " + o.body_read + ", idle_keep_alive: " + o.idle_keep_alive +
         "}\n"
         "sessions:\n"
         "  store: redis\n"
         "  redis: {host: 127.0.0.1, port: " +
         std::to_string(redis_port) +
         "}\n"
         "  idle_timeout: 30m\n"
         "  absolute_timeout: 8h\n"
         "  touch_interval: 1m\n"
         "  cache_ttl: 30s\n"
         "jwt: {key_file: jwt.pem, kid: test-key-1, ttl: 15m}\n"
         "directory: {file: directory.yaml}\n"
         "logging: {level: info, access_log: true}\n"
         "products:\n"
         "  - id: prod-pagopa\n"
         "    title: Piattaforma pagoPA\n"
         "    path_prefix: /pagopa\n"
         "    strip_path_prefix: true\n"
         "    required_party_roles: [MANAGER]\n"
         "    environments:\n"
         "      - {id: collaudo, label: Ambiente di Collaudo, upstreams: [" +
         healthy_url +
         "]}\n"
         "  - id: prod-guasto\n"
         "    title: Portale Guasto\n"
         "    path_prefix: /fault\n"
         "    strip_path_prefix: true\n"
         "    required_party_roles: [MANAGER]\n"
         "    environments:\n"
         "      - {id: collaudo, label: Ambiente di Collaudo, upstreams: [" +
         faulty_url + "], connect_timeout: " + o.connect_timeout +
         ", response_timeout: " + o.response_timeout + "}\n";
}

}  // namespace

fault_gateway::fault_gateway(fault_gateway_options opts)
    : options(std::move(opts)), redis(test::redis_server::shared()) {
  gateway = std::make_unique<test::varco_process>(test::varco_process::options{
      config_yaml(options, redis.port(), healthy.url(), faulty.url()), directory_yaml()});
  test::session_spec spec;
  spec.fiscal_number = manager_cf;
  spec.party = institution;
  spec.environments = {{"prod-pagopa", "collaudo"}, {"prod-guasto", "collaudo"}};
  cookie = test::create_session(redis.port(), spec);
}

test::header_list fault_gateway::session(test::header_list more) const {
  more.emplace_back("Cookie", "varco_session=" + cookie);
  return more;
}

std::size_t fault_gateway::log_count(std::string_view needle) const {
  const std::string text = log();
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

bool fault_gateway::log_reaches(std::string_view needle, std::size_t count,
                                std::chrono::milliseconds deadline) const {
  return test::eventually([&] { return log_count(needle) >= count; }, deadline, 50ms);
}

unsigned fault_gateway::healthy_status() const {
  try {
    return test::http_get(port(), "/pagopa/healthy", session()).status;
  } catch (const std::exception&) {
    return 0;
  }
}

std::string fault_gateway::raw_get(const std::string& target) const {
  return "GET " + target + " HTTP/1.1\r\nHost: a\r\nAccept: application/json\r\nCookie: " +
         "varco_session=" + cookie + "\r\n\r\n";
}

}  // namespace varco::network_faults
