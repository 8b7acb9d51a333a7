// An spdlog sink appending to a file that can be reopened by path, for "move, then signal" log
// rotation (logrotate without copytruncate): after `mv varco.log varco.log.1` and reopen(), the
// next line goes to a fresh varco.log while varco.log.1 keeps every line written before.
//
// Each formatted line is one write(2) on an O_APPEND descriptor, so nothing waits in a user-space
// buffer (a SIGTERM exit loses no line once spdlog's queue is drained) and lines from two
// processes sharing a file do not interleave mid-line.
//
// Thread-safety: log() runs on spdlog's logging thread, reopen() on whichever thread handles the
// signal; both take the sink's mutex, so a line goes wholly to the old file or wholly to the new.
#pragma once

#include <spdlog/details/log_msg.h>
#include <spdlog/sinks/base_sink.h>

#include <mutex>
#include <string>
#include <system_error>

namespace varco::gateway {

class reopenable_file_sink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  // Opens (creating it 0640, minus the umask) `path` for append. Throws std::system_error when it
  // cannot: start-up only.
  explicit reopenable_file_sink(std::string path);
  ~reopenable_file_sink() override;
  reopenable_file_sink(const reopenable_file_sink&) = delete;
  reopenable_file_sink& operator=(const reopenable_file_sink&) = delete;

  const std::string& path() const { return path_; }

  // Opens the path afresh and writes there from the next line on. On failure (directory gone,
  // permission) the sink keeps writing to the file it had, and the reason is returned.
  std::error_code reopen();

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override {}  // nothing is buffered

 private:
  const std::string path_;
  int fd_ = -1;                 // owned: closed by reopen() (the old one) and the destructor
  bool write_failing_ = false;  // so a full disk is reported on stderr once, not per line
};

}  // namespace varco::gateway
