#include "gateway/commands/private_file.hpp"

#include <cerrno>
#include <cstring>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace varco::gateway::commands {

std::string write_file_atomically(const std::filesystem::path& path, const std::string& text,
                                  mode_t mode) {
  std::string temp = path.string() + ".XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) return path.string() + ": " + std::strerror(errno);
  std::string_view rest = text;
  bool ok = ::fchmod(fd, mode) == 0;
  while (ok && !rest.empty()) {
    const ssize_t n = ::write(fd, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) rest.remove_prefix(static_cast<std::size_t>(n));
  }
  ok = ok && ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  if (ok && ::rename(temp.c_str(), path.c_str()) == 0) return {};
  std::string message = path.string() + ": " + std::strerror(ok ? errno : error);
  ::unlink(temp.c_str());
  return message;
}

}  // namespace varco::gateway::commands
