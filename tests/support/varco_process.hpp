// The real varco binary in its own process, configured from files written into a directory: by
// default a fresh temporary one of its own, holding the config (text given by the test), a new EC
// P-256 JWT key (`jwt.pem`) and the directory (`directory.yaml`); or a directory the test shares
// between several processes (two instances with one key, a config rewritten for SIGHUP), where
// the test writes `jwt.pem` and `directory.yaml` itself. Relative paths in the config resolve
// against that directory. The process's own files are named after it: `<name>.yaml`,
// `<name>.stdout.log`, `<name>.stderr.log`, `<name>.ready.json`.
//
// Not thread-safe; use from the test's thread. The destructor kills the process (SIGKILL) and
// fails the running test when varco's output holds a sanitizer report.
#pragma once

#include "tests/support/test_files.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <sys/types.h>

namespace varco::test {

class varco_process {
 public:
  struct options {
    std::string config_yaml;
    std::string directory_yaml;  // written as directory.yaml (own directory only)
    // The binary: env VARCO_BIN when set, else this, else the varco of this build.
    std::string default_binary;
    std::chrono::milliseconds start_timeout = std::chrono::seconds(20);
    fs::path shared_dir;  // empty: a fresh directory of its own
    std::string name = "varco";
  };

  // Writes the files, starts `varco serve` and waits for its ready file. Throws
  // std::runtime_error with the process output when it does not become ready.
  explicit varco_process(options opts);
  ~varco_process();
  varco_process(const varco_process&) = delete;
  varco_process& operator=(const varco_process&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  pid_t pid() const noexcept { return pid_; }
  const fs::path& dir() const noexcept { return dir_; }
  fs::path config_path() const { return file(".yaml"); }

  void signal(int number) const;
  // Waits for the process to end: its exit code, or -1 on timeout or death by a signal.
  int wait_exit(std::chrono::milliseconds timeout);
  bool running();

  std::string stdout_text() const;
  std::string stderr_text() const;
  std::string output() const { return stdout_text() + stderr_text(); }

  // From /proc/PID/status, in KiB (-1 when unreadable).
  long peak_rss_kib() const;  // VmHWM
  long rss_kib() const;       // VmRSS

 private:
  long status_field(const char* name) const;
  fs::path file(const char* suffix) const { return dir_ / (name_ + suffix); }

  std::optional<temp_dir> own_dir_;
  fs::path dir_;
  std::string name_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  int exit_code_ = -1;
};

}  // namespace varco::test
