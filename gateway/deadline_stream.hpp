// A TCP stream whose reads, writes and connects time out like beast::tcp_stream's, at a fraction of
// the cost per operation.
//
// beast::tcp_stream arms a timer around every operation: a timer-queue insertion, a cancellation
// and one more handler completion each time — profiled as about a fifth of the proxy's user-space
// time (four operations per proxied request). Here expires_after() only records a time point;
// one sweep per io_context (deadline_service, every sweep_interval while some operation with a
// deadline is pending) closes the streams whose pending operation is past its deadline, and that
// operation completes with beast::error::timeout, as with tcp_stream. The price is resolution:
// a timeout fires up to sweep_interval late, which is far below any timeout the gateway uses.
//
// Not thread-safe: a stream and its io_context are used from the thread running that context
// (the gateway runs one io_context per worker thread).
#pragma once

#include "gateway/http/asio_types.hpp"

#include <boost/asio/associator.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>

#include <chrono>
#include <cstddef>
#include <ctime>
#include <memory>
#include <optional>
#include <utility>

namespace varco::gateway {

class deadline_stream;

namespace deadline_detail {

// CLOCK_MONOTONIC_COARSE: a few nanoseconds to read instead of a few tens (it is read on every
// expires_after()), at the resolution of the kernel tick, which the 25 ms sweep dwarfs anyway.
struct clock {
  using duration = std::chrono::nanoseconds;
  using rep = duration::rep;
  using period = duration::period;
  using time_point = std::chrono::time_point<clock>;
  static constexpr bool is_steady = true;
  static time_point now() noexcept {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return time_point(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
  }
  // One tick: added to every deadline so that a coarse reading can never make it fire early.
  static duration resolution() noexcept {
    static const duration tick = [] {
      timespec ts{};
      ::clock_getres(CLOCK_MONOTONIC_COARSE, &ts);
      return duration(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
    }();
    return tick;
  }
};
inline constexpr std::chrono::milliseconds sweep_interval{25};

// The streams of one io_context. Reference-counted so a stream destroyed after its io_context
// (an object of a test, say) never touches freed memory.
struct registry {
  deadline_stream* head = nullptr;
  asio::steady_timer* timer = nullptr;  // owned by deadline_service; null once it shut down
  bool armed = false;

  void link(deadline_stream& stream) noexcept;
  void unlink(deadline_stream& stream) noexcept;
  void arm(const std::shared_ptr<registry>& self);
  void sweep(const std::shared_ptr<registry>& self);
};

}  // namespace deadline_detail

// The per-io_context sweep (an Asio service: created on first use, shut down with the context).
class deadline_service : public asio::execution_context::service {
 public:
  inline static asio::execution_context::id id;

  explicit deadline_service(asio::execution_context& context)
      : asio::execution_context::service(context),
        registry_(std::make_shared<deadline_detail::registry>()) {}

  // The registry, with the sweep timer created on this executor the first time.
  const std::shared_ptr<deadline_detail::registry>& registry_for(
      const asio::any_io_executor& executor) {
    if (!timer_ && !shut_down_) {
      timer_.emplace(executor);
      registry_->timer = &*timer_;
    }
    return registry_;
  }

 private:
  void shutdown() override {
    shut_down_ = true;
    registry_->timer = nullptr;
    registry_->armed = false;
    timer_.reset();
  }

  std::shared_ptr<deadline_detail::registry> registry_;
  std::optional<asio::steady_timer> timer_;
  bool shut_down_ = false;
};

class deadline_stream {
 public:
  using executor_type = asio::any_io_executor;
  using time_point = deadline_detail::clock::time_point;

  explicit deadline_stream(const executor_type& executor) : socket_(executor) { attach(); }
  explicit deadline_stream(tcp::socket&& socket) : socket_(std::move(socket)) { attach(); }
  deadline_stream(deadline_stream&& other) noexcept
      : socket_(std::move(other.socket_)), deadline_(other.deadline_) {
    attach();
  }
  deadline_stream& operator=(deadline_stream&&) = delete;
  deadline_stream(const deadline_stream&) = delete;
  deadline_stream& operator=(const deadline_stream&) = delete;
  ~deadline_stream() {
    if (registry_) registry_->unlink(*this);
  }

  executor_type get_executor() noexcept { return socket_.get_executor(); }
  tcp::socket& socket() noexcept { return socket_; }
  // For asio::ssl::stream layered on top (it takes its executor from the lowest layer).
  using lowest_layer_type = tcp::socket;
  lowest_layer_type& lowest_layer() noexcept { return socket_; }

  // Operations started from now on must complete within `d` (each, not all together).
  template <class Rep, class Period>
  void expires_after(std::chrono::duration<Rep, Period> d) {
    deadline_ = deadline_detail::clock::now() + deadline_detail::clock::resolution() +
                std::chrono::duration_cast<deadline_detail::clock::duration>(d);
    timed_out_ = false;
    // An operation may already be pending (a relay re-arming its idle time): watch it too.
    if (pending_ != 0 && !registry_->armed) registry_->arm(registry_);
  }
  void expires_never() noexcept {
    deadline_ = time_point::max();
    timed_out_ = false;
  }

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const MutableBuffers& b) {
          begin();
          socket_.async_read_some(b, timed_handler<decltype(handler)>{std::move(handler), this});
        },
        token, buffers);
  }

  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const ConstBuffers& b) {
          begin();
          socket_.async_write_some(b, timed_handler<decltype(handler)>{std::move(handler), this});
        },
        token, buffers);
  }

  // Connects to the first endpoint of the sequence that accepts, within the deadline overall.
  template <class Endpoints, class Token>
  auto async_connect(const Endpoints& endpoints, Token&& token) {
    return asio::async_initiate<Token, void(boost::system::error_code, tcp::endpoint)>(
        [this](auto handler, const Endpoints& e) {
          begin();
          asio::async_connect(socket_, e,
                              timed_handler<decltype(handler)>{std::move(handler), this});
        },
        token, endpoints);
  }

  // Completes a pending operation's handler arguments: a failure after the deadline passed is
  // reported as beast::error::timeout.
  template <class Handler>
  struct timed_handler {
    Handler handler;
    deadline_stream* stream;

    template <class... Args>
    void operator()(boost::system::error_code ec, Args&&... args) {
      --stream->pending_;
      if (ec && stream->timed_out_) ec = beast::error::timeout;
      std::move(handler)(ec, std::forward<Args>(args)...);
    }
  };

 private:
  friend struct deadline_detail::registry;

  void attach() {
    registry_ = asio::use_service<deadline_service>(
                    asio::query(socket_.get_executor(), asio::execution::context))
                    .registry_for(socket_.get_executor());
    registry_->link(*this);
  }
  void begin() {
    ++pending_;
    if (deadline_ != time_point::max() && !registry_->armed) registry_->arm(registry_);
  }
  // Called by the sweep: the pending operation is past its deadline.
  void expire() noexcept {
    timed_out_ = true;
    boost::system::error_code ignored;
    socket_.close(ignored);  // pending operations complete (with operation_aborted → timeout)
  }

  tcp::socket socket_;
  time_point deadline_ = time_point::max();
  unsigned pending_ = 0;
  bool timed_out_ = false;
  std::shared_ptr<deadline_detail::registry> registry_;
  deadline_stream* prev_ = nullptr;
  deadline_stream* next_ = nullptr;
};

namespace deadline_detail {

inline void registry::link(deadline_stream& stream) noexcept {
  stream.next_ = head;
  if (head) head->prev_ = &stream;
  head = &stream;
}

inline void registry::unlink(deadline_stream& stream) noexcept {
  if (stream.prev_)
    stream.prev_->next_ = stream.next_;
  else if (head == &stream)
    head = stream.next_;
  if (stream.next_) stream.next_->prev_ = stream.prev_;
  stream.prev_ = stream.next_ = nullptr;
}

inline void registry::arm(const std::shared_ptr<registry>& self) {
  if (!timer) return;
  armed = true;
  timer->expires_after(sweep_interval);
  timer->async_wait([self](const boost::system::error_code& ec) {
    if (ec) return;  // the context is shutting down
    self->sweep(self);
  });
}

inline void registry::sweep(const std::shared_ptr<registry>& self) {
  armed = false;
  const auto now = clock::now();
  bool watching = false;
  for (deadline_stream* stream = head; stream != nullptr; stream = stream->next_) {
    if (stream->pending_ == 0 || stream->deadline_ == clock::time_point::max()) continue;
    // Closing only posts the completions: the list does not change while it is walked.
    if (stream->deadline_ <= now)
      stream->expire();
    else
      watching = true;
  }
  if (watching) arm(self);
}

}  // namespace deadline_detail
}  // namespace varco::gateway

// Handlers keep the executor, allocator and cancellation slot of the handler they wrap (the
// coroutine's), as Asio's own binders do.
template <template <class, class> class Associator, class Handler, class DefaultCandidate>
struct boost::asio::associator<Associator, varco::gateway::deadline_stream::timed_handler<Handler>,
                               DefaultCandidate> : Associator<Handler, DefaultCandidate> {
  static typename Associator<Handler, DefaultCandidate>::type get(
      const varco::gateway::deadline_stream::timed_handler<Handler>& h) noexcept {
    return Associator<Handler, DefaultCandidate>::get(h.handler);
  }
  static auto get(const varco::gateway::deadline_stream::timed_handler<Handler>& h,
                  const DefaultCandidate& c) noexcept
      -> decltype(Associator<Handler, DefaultCandidate>::get(h.handler, c)) {
    return Associator<Handler, DefaultCandidate>::get(h.handler, c);
  }
};
