// The threads that run the login path's long CPU steps (RSA signatures of AuthnRequests and
// Logout messages, the checks of an IdP's Response) away from the workers' io_contexts: a worker
// thread runs every connection it accepted, so a 1–2 ms signature on it delays each request
// queued behind, proxied ones included.
//
// Bounded: a job waits in the pool's queue only while fewer than `queue_limit` jobs wait (the ones
// running do not count). Over it, run() refuses at once, before any work, and the endpoint
// answers 503 (`crypto_busy`): a login burst then costs the logins over the bound, not the
// latency of everything else. One pool per process, shared by the workers; the limit is read per
// call (server.limits.crypto_queue of the request's configuration), so a reload changes it.
//
// The pool's threads run at a lower scheduling priority (nice 10 more) than the workers: when the
// cores are all busy, a login waits a little longer for its signature rather than every proxied
// request waiting behind it.
#pragma once

#include "gateway/http/asio_types.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>

namespace varco::gateway {

class crypto_pool {
 public:
  // The queue_limit of a job that must not be refused for the queue's length (only when stopping).
  static constexpr std::size_t unbounded = std::numeric_limits<std::size_t>::max();
  // How much nicer than the workers the pool's threads run (capped at max_nice).
  static constexpr int crypto_thread_nice = 10;
  static constexpr int max_nice = 19;

  // `threads` at least 1 (0 is taken as 1).
  explicit crypto_pool(unsigned threads);
  ~crypto_pool();  // stop()
  crypto_pool(const crypto_pool&) = delete;
  crypto_pool& operator=(const crypto_pool&) = delete;

  // Runs `job` on a pool thread and resumes the calling coroutine on its own executor with what
  // the job returned. Nullopt, at once and without running the job, when `queue_limit` jobs
  // already wait or the pool is stopping. The job reads what it owns, or what the suspended
  // caller keeps alive until it finished. An exception it throws is rethrown in the caller.
  // Pass a named job (std::move), not a lambda written inside the co_await: GCC 12 destroys a
  // non-trivial temporary of a co_await expression twice.
  template <typename Job>
  awaitable<std::optional<std::invoke_result_t<Job&>>> run(Job job, std::size_t queue_limit);

  // Refuses new jobs, runs every job already accepted (their callers are resumed on their
  // executors, which must still be running to answer), and joins the threads. Idempotent.
  void stop();

  // For /metrics (any thread).
  std::size_t waiting() const noexcept { return waiting_.load(std::memory_order_relaxed); }
  std::uint64_t completed() const noexcept { return completed_.load(std::memory_order_relaxed); }
  std::uint64_t refused() const noexcept { return refused_.load(std::memory_order_relaxed); }
  unsigned threads() const noexcept { return threads_; }
  bool stopping() const noexcept { return stopping_.load(std::memory_order_acquire); }

 private:
  // Under mutex_: counts the job as waiting, or the refusal. Posting happens under the same lock,
  // so stop() never joins between an admission and its post (the job would be lost).
  bool admit(std::size_t queue_limit);
  // Called by each job first: on a pool thread's first job, lowers that thread's priority.
  static void lower_this_thread_priority() noexcept;

  unsigned threads_;
  asio::thread_pool pool_;
  std::mutex mutex_;
  std::atomic<bool> stopping_{false};  // written under mutex_
  std::atomic<std::size_t> waiting_{0};
  std::atomic<std::uint64_t> completed_{0};
  std::atomic<std::uint64_t> refused_{0};
};

template <typename Job>
awaitable<std::optional<std::invoke_result_t<Job&>>> crypto_pool::run(Job job,
                                                                      std::size_t queue_limit) {
  using result = std::invoke_result_t<Job&>;
  // The job is taken from this coroutine's frame (alive while it initiates), not handed through
  // async_initiate's arguments.
  auto initiate = [this, queue_limit, &job](auto handler) {
    // Keeps the caller's io_context running while its job is away (a drain must not end with
    // this request's coroutine parked on the pool), and is where the caller resumes.
    auto home = asio::prefer(asio::get_associated_executor(handler),
                             asio::execution::outstanding_work_t::tracked);
    std::unique_lock lock(mutex_);
    if (!admit(queue_limit)) {
      lock.unlock();
      asio::post(home, [handler = std::move(handler)]() mutable {
        std::move(handler)(std::exception_ptr{}, std::optional<result>{});
      });
      return;
    }
    asio::post(pool_, [this, work = std::move(job), handler = std::move(handler),
                       home = std::move(home)]() mutable {
      lower_this_thread_priority();
      waiting_.fetch_sub(1, std::memory_order_relaxed);
      std::optional<result> value;
      std::exception_ptr error;
      try {
        value.emplace(work());
      } catch (...) {
        error = std::current_exception();
      }
      completed_.fetch_add(1, std::memory_order_relaxed);
      asio::post(home, [handler = std::move(handler), error, value = std::move(value)]() mutable {
        std::move(handler)(error, std::move(value));
      });
    });
  };
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable),
                                          void(std::exception_ptr, std::optional<result>)>(
      std::move(initiate), asio::use_awaitable);
}

}  // namespace varco::gateway
