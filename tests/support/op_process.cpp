#include "tests/support/op_process.hpp"

#include <boost/json.hpp>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace varco::test {

namespace {

// The command line of op.mjs for `opts` (argv[0] is "node").
std::vector<std::string> op_arguments(const op_process::options& opts, const std::string& script) {
  std::vector<std::string> argv{"node",   script,   "--port", std::to_string(opts.port),
                                "--mode", opts.mode};
  auto add = [&](const char* name, const std::string& value) {
    if (value.empty()) return;
    argv.emplace_back(name);
    argv.push_back(value);
  };
  add("--client-id", opts.client_id);
  for (const auto& uri : opts.redirect_uris) add("--redirect-uri", uri);
  for (const auto& uri : opts.post_logout_redirect_uris) add("--post-logout-redirect-uri", uri);
  add("--backchannel-logout-uri", opts.backchannel_logout_uri);
  add("--client-jwks", opts.client_jwks.string());
  add("--client-secret", opts.client_secret);
  add("--acr", opts.acr);
  if (opts.federation) argv.emplace_back("--federation");
  add("--rp-entity-id", opts.rp_entity_id);
  add("--rp-federation-jwks", opts.rp_federation_jwks.string());
  add("--fiscal-number", opts.fiscal_number);
  add("--given-name", opts.given_name);
  add("--family-name", opts.family_name);
  add("--email", opts.email);
  return argv;
}

// `name` as execvp would find it on PATH, looked up before fork (the child only execs).
std::string find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  for (std::size_t start = 0; start <= dirs.size();) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    const std::string dir = dirs.substr(start, end - start);
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  throw std::runtime_error(name + " is not on PATH");
}

// Runs `executable` with its stdout into a pipe (the read end, close-on-exec, in `read_fd`) and
// its stderr into the file `err`, none of the test's other descriptors inherited.
pid_t spawn_with_stdout_pipe(const std::string& executable, const std::vector<std::string>& argv,
                             const fs::path& err, int& read_fd) {
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error("fork failed");
  }
  if (pid == 0) {
    const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fds[1], STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    ::close_range(3, ~0U, 0);
    ::execv(executable.c_str(), args.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  read_fd = fds[0];
  return pid;
}

// The first line `fd` delivers before `deadline`, without its newline; empty when the deadline
// passes or the writer closes first.
std::string read_line(int fd, std::chrono::steady_clock::time_point deadline) {
  std::string text;
  for (;;) {
    const auto newline = text.find('\n');
    if (newline != std::string::npos) return text.substr(0, newline);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return {};
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return {};
    char buffer[4096];
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return {};
    text.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace

fs::path op_process::source_dir() { return fs::path(VARCO_SOURCE_DIR); }

op_process::op_process(const options& opts) {
  const std::string script = (source_dir() / "tests/tools/oidc-op/op.mjs").string();
  const auto deadline = std::chrono::steady_clock::now() + opts.start_timeout;
  pid_ = spawn_with_stdout_pipe(find_on_path("node"), op_arguments(opts, script), dir_ / "op.log",
                                stdout_fd_);
  ready_line_ = read_line(stdout_fd_, deadline);
  try {
    if (ready_line_.empty()) throw std::runtime_error("no ready line: it exited or timed out");
    const auto info = boost::json::parse(ready_line_).as_object();
    if (!info.at("ready").as_bool()) throw std::runtime_error("not ready");
    port_ = static_cast<std::uint16_t>(info.at("port").to_number<int>());
    issuer_ = std::string(info.at("issuer").as_string());
    subject_ = std::string(info.at("sub").as_string());
  } catch (const std::exception& e) {
    stop();
    throw std::runtime_error("the test OP did not become ready (" + std::string(e.what()) + ") " +
                             ready_line_ + "\n" + output());
  }
}

op_process::~op_process() { stop(); }

void op_process::stop() noexcept {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  if (stdout_fd_ >= 0) {
    ::close(stdout_fd_);
    stdout_fd_ = -1;
  }
}

std::string op_process::output() const { return read_file(dir_ / "op.log"); }

}  // namespace varco::test
