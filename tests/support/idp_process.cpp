#include "tests/support/idp_process.hpp"

#include "tests/support/child_process.hpp"
#include "tests/support/eventually.hpp"

#include <boost/json.hpp>

#include <csignal>
#include <fcntl.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace varco::test {

fs::path idp_process::source_dir() { return fs::path(VARCO_SOURCE_DIR); }

idp_process::idp_process(const options& opts) {
  const std::string script = (source_dir() / "demo/idp/idp.py").string();
  const std::string ready = (dir_ / "ready.json").string();
  const std::string metadata = metadata_file().string();
  const std::string sp = opts.sp_metadata.string();
  const std::string log = (dir_ / "idp.log").string();
  // Debian's interpreter, where python3-pysaml2 lives (not a pyenv python first on PATH).
  pid_ = spawn_process("/usr/bin/python3",
                       {"python3", script, "serve", "--port", "0", "--sp-metadata", sp,
                        "--ready-file", ready, "--metadata-out", metadata, "--name", opts.name},
                       log, log);
  auto exited = [&] {
    int status = 0;
    return ::waitpid(pid_, &status, WNOHANG) == pid_;
  };
  bool gone = false;
  const bool started = eventually(
      [&] {
        if (exited()) gone = true;
        return gone || !read_file(ready).empty();
      },
      opts.start_timeout, std::chrono::milliseconds(20));
  if (!started || gone) {
    if (gone) pid_ = -1;
    throw std::runtime_error("demo IdP did not become ready:\n" + output());
  }
  const auto info = boost::json::parse(read_file(ready)).as_object();
  port_ = static_cast<std::uint16_t>(info.at("port").to_number<int>());
  entity_id_ = std::string(info.at("entity_id").as_string());
}

idp_process::~idp_process() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

std::string idp_process::output() const { return read_file(dir_ / "idp.log"); }

}  // namespace varco::test
