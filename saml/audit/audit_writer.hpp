// The audit log off the I/O threads (docs/audit.md "Writer thread"): appends are queued and one
// writer thread of its own writes them, with group commit — every line queued while the previous
// flush ran is written, then ONE fdatasync makes the whole batch durable, then each waiting
// append is completed with its own result (seq and hash, or the error).
//
// The queue is bounded (options::queue_limit): an append that finds it full is refused at once
// with audit_errc::queue_full, so a disk that stalls makes logins fail closed instead of piling up
// coroutines and memory. Order: the chain, the file and the queue have the same order.
//
// Thread-safety: async_append() and enqueue() may be called from any thread. Completion: the
// handler of async_append runs on its associated executor (the caller's io_context for a
// coroutine), never inline, never on the writer thread; while it is pending it keeps that
// executor's work count up. Destruction refuses further appends (writer_stopped), writes what is
// queued, completes every handler and joins the thread: destroy the writer before the io_contexts
// its callers run on.
#pragma once

#include "saml/audit/audit_log.hpp"
#include "saml/audit/errors.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/object.hpp>
#include <boost/system/result.hpp>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace varco::saml::audit {

using append_result = boost::system::result<record_ref>;

class audit_writer {
 public:
  struct options {
    std::size_t queue_limit = 1024;  // appends waiting for the writer; more are refused
    std::size_t batch_limit = 256;   // appends written under one fdatasync at most
    // Runs on the writer thread before each batch is taken from the queue. For tests, which hold
    // the writer there to fill the queue; empty in the gateway.
    std::function<void()> before_batch;
  };

  // Called on the writer thread with the append's result; must not block (post elsewhere).
  using completion = std::function<void(append_result)>;

  audit_writer(std::unique_ptr<audit_log> log, options settings);
  audit_writer(const audit_writer&) = delete;
  audit_writer& operator=(const audit_writer&) = delete;
  ~audit_writer();

  // Queues one record (see audit_log::append for kind and fields). Refused at once, `done`
  // called inline with audit_errc::queue_full or writer_stopped, when it cannot be queued.
  void enqueue(std::string kind, boost::json::object fields, completion done);

  // The asio form of enqueue: completes with void(append_result) on the token's executor, e.g.
  // `append_result r = co_await writer.async_append(kind, fields, asio::use_awaitable);`.
  template <class CompletionToken>
  auto async_append(std::string kind, boost::json::object fields, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(append_result)>(
        [this](auto handler, std::string&& record_kind, boost::json::object&& record_fields) {
          using handler_type = decltype(handler);
          struct waiting {
            handler_type handler;
            decltype(boost::asio::make_work_guard(std::declval<handler_type&>())) work;
          };
          auto work = boost::asio::make_work_guard(handler);
          // Shared so that the std::function holding it is copyable; asio handlers are move-only.
          auto state = std::make_shared<waiting>(waiting{std::move(handler), std::move(work)});
          enqueue(std::move(record_kind), std::move(record_fields), [state](append_result result) {
            auto executor = state->work.get_executor();
            boost::asio::post(executor, [state, moved = std::move(result)]() mutable {
              auto done = std::move(state->handler);
              state->work.reset();
              std::move(done)(std::move(moved));
            });
          });
        },
        token, std::move(kind), std::move(fields));
  }

  const audit_log& log() const { return *log_; }

 private:
  struct queued_append {
    append_request request;
    completion done;
  };

  void run();

  const std::unique_ptr<audit_log> log_;
  const options options_;

  std::mutex mutex_;
  std::condition_variable queued_;
  // Guarded by mutex_:
  std::deque<queued_append> queue_;
  bool stopping_ = false;

  std::thread thread_;  // last: started once everything above exists
};

}  // namespace varco::saml::audit
