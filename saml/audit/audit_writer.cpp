#include "saml/audit/audit_writer.hpp"

#include <cassert>
#include <utility>
#include <vector>

namespace varco::saml::audit {

audit_writer::audit_writer(std::unique_ptr<audit_log> log, options settings)
    : log_(std::move(log)), options_(std::move(settings)), thread_([this] { run(); }) {
  assert(log_ != nullptr);
  assert(options_.batch_limit >= 1);
}

audit_writer::~audit_writer() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_one();
  thread_.join();
}

void audit_writer::enqueue(std::string kind, boost::json::object fields, completion done) {
  boost::system::error_code refused;
  completion refused_done;  // called outside the lock: it may take locks of its own
  {
    const std::lock_guard lock(mutex_);
    if (stopping_) {
      refused = audit_errc::writer_stopped;
    } else if (queue_.size() >= options_.queue_limit) {
      refused = audit_errc::queue_full;
    }
    if (refused) {
      refused_done = std::move(done);
    } else {
      queue_.push_back({{std::move(kind), std::move(fields)}, std::move(done)});
    }
  }
  if (refused) {
    refused_done(refused);
    return;
  }
  queued_.notify_one();
}

// Takes everything queued (up to batch_limit) while the previous batch was being flushed: the
// busier the log, the more appends share one fdatasync.
void audit_writer::run() {
  std::vector<append_request> requests;
  std::vector<completion> waiting;
  for (;;) {
    if (options_.before_batch) options_.before_batch();
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued before is written
      while (!queue_.empty() && requests.size() < options_.batch_limit) {
        requests.push_back(std::move(queue_.front().request));
        waiting.push_back(std::move(queue_.front().done));
        queue_.pop_front();
      }
    }
    auto results = log_->append_batch(requests);
    for (std::size_t i = 0; i < waiting.size(); ++i) waiting[i](std::move(results[i]));
    requests.clear();
    waiting.clear();
  }
}

}  // namespace varco::saml::audit
