// Building the runtime (gateway/endpoint/runtime.hpp) from the configuration, and swapping it:
// SIGHUP swaps in a whole new one and in-flight requests finish on theirs. A change of a writable
// directory (Utenti page, another instance, an import) swaps in a copy that differs only in the
// directory.
#pragma once

#include "gateway/endpoint/runtime.hpp"
#include "gateway/endpoint/services.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace varco::gateway {

struct runtime_errors {
  std::vector<std::string> lines;  // "file:line: what is wrong"
};

// Loads and validates the config at `path` and everything it names. Never throws: on any error
// the result is empty and `errors` says why, one line per problem.
// `config_generation` 0 means the same number as `generation` (the first load). `previous` is
// the running runtime on reload: IdP metadata sources given by URL that it shares keep what they
// fetched instead of being fetched again (gateway/login/saml_service.hpp).
std::shared_ptr<const runtime> build_runtime(const std::string& path, std::uint64_t generation,
                                             runtime_errors& errors,
                                             std::uint64_t config_generation = 0,
                                             const runtime* previous = nullptr);

// The current runtime, swapped whole on reload. Workers keep their own shared_ptr and compare the
// generation (one relaxed atomic load) per request, so the hot path takes no lock.
class runtime_holder {
 public:
  explicit runtime_holder(std::shared_ptr<const runtime> first);

  std::shared_ptr<const runtime> current() const;
  std::uint64_t generation() const noexcept { return generation_.load(std::memory_order_acquire); }
  // A generation number no runtime has had yet (for build_runtime on reload).
  std::uint64_t next_generation() noexcept { return last_issued_.fetch_add(1) + 1; }

  // A reloaded configuration. When the directory is writable the running directory is kept: the
  // file only seeds the store, it does not roll back what was written since.
  void replace(std::shared_ptr<const runtime> next);
  // A newer directory read from the writable store; ignored (false) when `version` is not newer
  // than the running one, so late or reordered notifications never roll it back.
  bool replace_directory(std::shared_ptr<const directory::snapshot> directory,
                         std::uint64_t version);

 private:
  void publish(std::shared_ptr<const runtime> next);  // mutex held

  mutable std::mutex mutex_;
  std::shared_ptr<const runtime> current_;
  std::atomic<std::uint64_t> generation_;
  std::atomic<std::uint64_t> last_issued_;
};

// A worker's view: refreshes its copy only when the generation moved.
class runtime_view final : public runtime_source {
 public:
  explicit runtime_view(const runtime_holder& holder)
      : holder_(holder), current_(holder.current()) {}

  const std::shared_ptr<const runtime>& current() override { return get(); }

  const std::shared_ptr<const runtime>& get() {
    if (holder_.generation() != current_->generation) current_ = holder_.current();
    return current_;
  }

 private:
  const runtime_holder& holder_;
  std::shared_ptr<const runtime> current_;
};

}  // namespace varco::gateway
