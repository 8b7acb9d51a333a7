#include "tests/system/harness.hpp"

#include "base/openssl_handles.hpp"
#include "session/redis_connection.hpp"
#include "session/redis_store.hpp"
#include "session/session_id.hpp"
#include "session/session_service.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/websocket.hpp>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <arpa/inet.h>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace varco::system_test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

temp_dir::temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "varco-system-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

void write_file(const fs::path& path, const std::string& text) {
  const fs::path temporary = path.string() + ".tmp";
  std::ofstream(temporary, std::ios::binary) << text;
  fs::rename(temporary, path);  // readers never see half a file (SIGHUP tests)
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_ec_key(const fs::path& path) {
  base::openssl_ptr<EVP_PKEY> key(EVP_EC_gen("P-256"));
  base::openssl_ptr<BIO> out(BIO_new_file(path.c_str(), "w"));
  if (!key || !out ||
      PEM_write_bio_PrivateKey(out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    throw std::runtime_error("cannot write an EC key to " + path.string());
}

// --- gateway_process ---------------------------------------------------------------------------

namespace {

std::string varco_binary() {
  if (const char* from_env = std::getenv("VARCO_BIN"); from_env && *from_env) return from_env;
  return VARCO_BIN_DEFAULT;
}

std::uint16_t port_in_ready_file(const std::string& text) {
  const auto at = text.find("\"port\":");
  if (at == std::string::npos) return 0;
  return static_cast<std::uint16_t>(std::stoi(text.substr(at + 7)));
}

}  // namespace

gateway_process::gateway_process(const temp_dir& dir, const std::string& config_yaml,
                                 const std::string& name)
    : config_(dir / (name + ".yaml")), log_(dir / (name + ".log")) {
  write_file(config_, config_yaml);
  const fs::path ready = dir / (name + ".ready");
  fs::remove(ready);
  const std::string binary = varco_binary();
  pid_ = ::fork();
  if (pid_ == 0) {
    const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    // The test's own sockets (upstream listeners) must not live on in the gateway process.
    ::close_range(3, ~0U, 0);
    ::execl(binary.c_str(), "varco", "serve", "--config", config_.c_str(), "--ready-file",
            ready.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const bool started = eventually(
      [&] {
        if (fs::exists(ready)) return true;
        int status = 0;
        return ::waitpid(pid_, &status, WNOHANG) == pid_;  // exited early: fail below
      },
      20s, 10ms);
  if (!started || !fs::exists(ready)) {
    throw std::runtime_error("varco did not start:\n" + log());
  }
  port_ = port_in_ready_file(read_file(ready));
}

gateway_process::~gateway_process() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  // A sanitizer build of varco reports into its log: any report fails the test that ran it.
  const std::string text = log();
  for (const char* marker : {"ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer",
                             "WARNING: ThreadSanitizer"}) {
    const auto at = text.find(marker);
    if (at != std::string::npos)
      ADD_FAILURE() << "sanitizer report from varco:\n" << text.substr(at, 4000);
  }
}

void gateway_process::signal(int number) const { ::kill(pid_, number); }

int gateway_process::wait_exit(std::chrono::milliseconds timeout) {
  int status = 0;
  const bool ended = eventually([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, timeout);
  if (!ended) return -1;
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string gateway_process::log() const { return read_file(log_); }

long gateway_process::peak_rss_kib() const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

// --- HTTP clients ------------------------------------------------------------------------------

const std::string& http_answer::header(const std::string& lower_name) const {
  static const std::string none;
  const auto found = headers.find(lower_name);
  return found == headers.end() ? none : found->second;
}

http_client::http_client(std::uint16_t port) : stream_(io_) {
  stream_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
}

bool http_client::connected() const { return stream_.socket().is_open(); }

http_answer http_client::request(http::verb method, const std::string& target,
                                 const header_list& headers, const std::string& body) {
  http::request<http::string_body> request{method, target, 11};
  request.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) {
    if (beast::iequals(name, "host"))
      request.set(http::field::host, value);
    else
      request.insert(name, value);
  }
  if (!body.empty() || method == http::verb::post) {
    request.body() = body;
    request.prepare_payload();
  }
  http::write(stream_, request);
  http::response_parser<http::string_body> parser;
  parser.body_limit(boost::none);
  if (method == http::verb::head) parser.skip(true);
  http::read(stream_, buffer_, parser);
  http_answer answer;
  answer.status = parser.get().result_int();
  for (const auto& field : parser.get()) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    answer.headers[name] = std::string(field.value());
  }
  answer.body = std::move(parser.get().body());
  if (!parser.keep_alive()) {
    beast::error_code ignored;
    stream_.socket().close(ignored);
  }
  return answer;
}

http_answer http_get(std::uint16_t port, const std::string& target, const header_list& headers) {
  http_client client(port);
  return client.get(target, headers);
}

std::string send_raw(std::uint16_t port, const std::string& bytes,
                     std::chrono::milliseconds timeout) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return {};
  }
  ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  std::string answer;
  const auto until = std::chrono::steady_clock::now() + timeout;
  char chunk[4096];
  while (std::chrono::steady_clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const auto n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    answer.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return answer;
}

}  // namespace varco::system_test
