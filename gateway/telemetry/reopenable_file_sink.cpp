#include "gateway/telemetry/reopenable_file_sink.hpp"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>
#include <utility>

namespace varco::gateway {
namespace {

// Group-readable so a log shipper in the service's group can read the file; nobody else.
constexpr mode_t log_file_mode = 0640;

int open_for_append(const std::string& path) {
  int fd = -1;
  do {
    fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, log_file_mode);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

// Writes all of `data`, retrying short writes and EINTR; false (with errno) on failure.
bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

reopenable_file_sink::reopenable_file_sink(std::string path)
    : path_(std::move(path)), fd_(open_for_append(path_)) {
  if (fd_ < 0)
    throw std::system_error(errno, std::generic_category(), "cannot open \"" + path_ + "\"");
}

reopenable_file_sink::~reopenable_file_sink() {
  if (fd_ >= 0) ::close(fd_);
}

std::error_code reopenable_file_sink::reopen() {
  // Opened before taking the lock: the logging thread waits only for the swap.
  const int fresh = open_for_append(path_);
  if (fresh < 0) return {errno, std::generic_category()};
  int old = fresh;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    std::swap(fd_, old);
    write_failing_ = false;
  }
  ::close(old);
  return {};
}

void reopenable_file_sink::sink_it_(const spdlog::details::log_msg& msg) {
  spdlog::memory_buf_t line;
  formatter_->format(msg, line);
  if (write_all(fd_, line.data(), line.size())) {
    write_failing_ = false;
    return;
  }
  const std::error_code error(errno, std::generic_category());
  // The log file itself is what fails, so stderr is the only place left to say so.
  if (!write_failing_)
    std::fprintf(stderr,
                 "varco: cannot write to the log file \"%s\": %s (reason=log_write_failed)\n",
                 path_.c_str(), error.message().c_str());
  write_failing_ = true;
}

}  // namespace varco::gateway
