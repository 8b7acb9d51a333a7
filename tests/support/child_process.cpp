#include "tests/support/child_process.hpp"

#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

namespace varco::test {

pid_t spawn_process(const std::string& executable, const std::vector<std::string>& argv,
                    const std::filesystem::path& out, const std::filesystem::path& err) {
  // Everything the child needs is made before fork: it only opens, dups and execs.
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const bool one_file = out == err;
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err_fd = one_file ? out_fd : ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    ::close_range(3, ~0U, 0);
    ::execv(executable.c_str(), args.data());
    ::_exit(127);
  }
  return pid;
}

}  // namespace varco::test
