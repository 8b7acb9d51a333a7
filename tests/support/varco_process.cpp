#include "tests/support/varco_process.hpp"

#include "tests/support/child_process.hpp"
#include "tests/support/eventually.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace varco::test {

namespace {

std::string binary_path(const std::string& fallback) {
  if (const char* from_env = std::getenv("VARCO_BIN"); from_env != nullptr && *from_env != '\0')
    return from_env;
  return fallback.empty() ? std::string(VARCO_BIN_DEFAULT) : fallback;
}

std::uint16_t port_in_ready_file(const std::string& text) {
  const auto at = text.find("\"port\":");
  if (at == std::string::npos) return 0;
  return static_cast<std::uint16_t>(std::stoi(text.substr(at + 7)));
}

}  // namespace

varco_process::varco_process(options opts) : name_(std::move(opts.name)) {
  if (opts.shared_dir.empty()) {
    dir_ = own_dir_.emplace().path();
    write_ec_private_key(dir_ / "jwt.pem");
    write_file(dir_ / "directory.yaml", opts.directory_yaml);
  } else {
    dir_ = opts.shared_dir;
  }
  write_file(config_path(), opts.config_yaml);
  const fs::path ready = file(".ready.json");
  fs::remove(ready);  // left by an earlier process of the same name in a shared directory
  const std::string binary = binary_path(opts.default_binary);
  const std::string config = config_path().string();

  pid_ =
      spawn_process(binary, {"varco", "serve", "--config", config, "--ready-file", ready.string()},
                    file(".stdout.log"), file(".stderr.log"));
  const bool started =
      eventually([&] { return port_in_ready_file(read_file(ready)) != 0 || !running(); },
                 opts.start_timeout, std::chrono::milliseconds(10));
  if (!started || !running()) {
    throw std::runtime_error("varco (" + binary + ") did not become ready:\n" + output());
  }
  port_ = port_in_ready_file(read_file(ready));
}

varco_process::~varco_process() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  // A sanitizer build of varco reports into its output: any report fails the test that ran it.
  const std::string text = output();
  for (const char* marker : {"ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer",
                             "WARNING: ThreadSanitizer"}) {
    if (const auto at = text.find(marker); at != std::string::npos)
      ADD_FAILURE() << "sanitizer report from varco:\n" << text.substr(at, 4000);
  }
}

void varco_process::signal(int number) const {
  if (pid_ > 0) ::kill(pid_, number);
}

bool varco_process::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) != pid_) return true;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  pid_ = -1;
  return false;
}

int varco_process::wait_exit(std::chrono::milliseconds timeout) {
  if (!eventually([&] { return !running(); }, timeout)) return -1;
  return exit_code_;
}

std::string varco_process::stdout_text() const { return read_file(file(".stdout.log")); }
std::string varco_process::stderr_text() const { return read_file(file(".stderr.log")); }

long varco_process::status_field(const char* name) const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  const std::string prefix = std::string(name) + ":";
  std::string line;
  while (std::getline(status, line))
    if (line.rfind(prefix, 0) == 0) return std::stol(line.substr(prefix.size()));
  return -1;
}

long varco_process::peak_rss_kib() const { return status_field("VmHWM"); }
long varco_process::rss_kib() const { return status_field("VmRSS"); }

}  // namespace varco::test
