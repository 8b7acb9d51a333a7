// Sealing: a segment the log no longer appends to is compressed with zstd into
// `<name>.zst`, off the writer's thread (docs/audit.md "Sealed segments"). The open segment stays
// plain JSON lines, so appending and crash recovery are untouched by compression.
//
// seal_segment() does one file, in an order a crash at any point leaves recoverable: compress to
// `<name>.zst.tmp`, fsync it, check that it decompresses to exactly the plain bytes, rename it to
// `<name>.zst`, fsync the directory, remove the plain file, fsync the directory. Finding both
// files later (a crash between the rename and the removal) it keeps the compressed one only if it
// decompresses to exactly the plain one, and redoes it otherwise. A segment whose end is not a
// complete record (the evidence of a crash a recovery record names) is left plain.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

namespace varco::saml::audit {

enum class seal_outcome {
  sealed,      // `<name>.zst` holds the segment, the plain file is gone
  left_plain,  // damaged, too large to seal, or deleted (pruned) meanwhile: nothing changed
  stopped,     // `stop` was set: the temporary file is removed, the plain file kept
};

struct seal_result {
  seal_outcome outcome = seal_outcome::left_plain;
  std::string error;  // set when sealing failed; the plain file is kept then too
};

// `files` is held while directory entries change, so a concurrent prune (which holds it while it
// deletes) never sees a half-sealed segment come back to life.
seal_result seal_segment(const std::filesystem::path& plain, int level,
                         const std::atomic<bool>& stop, std::mutex& files);

// One thread per audit directory that seals, on request, every plain segment except the newest.
// Requests made while it works are folded into one more pass. Destruction stops a compression in
// progress (its temporary file is removed; the next start seals the segment again) and joins.
class segment_sealer {
 public:
  segment_sealer(std::filesystem::path dir, int level);
  segment_sealer(const segment_sealer&) = delete;
  segment_sealer& operator=(const segment_sealer&) = delete;
  ~segment_sealer();

  void request();                  // scan the directory again (after a rotation, at open)
  void wait_until_idle();          // every request made before the call is done
  std::string last_error() const;  // the last sealing failure; empty when none
  std::uint64_t sealed_count() const;
  std::mutex& files_mutex() { return files_; }

 private:
  void run();
  void seal_pending();

  const std::filesystem::path dir_;
  const int level_;
  std::atomic<bool> stop_{false};
  std::mutex files_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  // Guarded by mutex_:
  std::uint64_t requested_ = 0;
  std::uint64_t done_ = 0;
  std::uint64_t sealed_ = 0;
  std::string last_error_;

  std::thread thread_;  // last: started once everything above exists
};

}  // namespace varco::saml::audit
