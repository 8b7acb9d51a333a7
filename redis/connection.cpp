#include "redis/connection.hpp"

#include "redis/cluster.hpp"
#include "redis/hiredis_handles.hpp"
#include "redis/pending_reply.hpp"
#include "redis/resp.hpp"
#include "redis/sentinel.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <hiredis/async.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <list>
#include <optional>

namespace varco::redis {
namespace asio = boost::asio;
using boost::system::error_code;
using boost::system::result;

using detail::pending_batch;
using detail::reply_fn;
using detail::sink;

// Shared with every pending Asio handler, so a handler that completes after the connection
// object is gone finds a stopped state instead of freed memory. hiredis only ever calls into
// this object synchronously, from inside a hiredis call made by it.
struct connection::impl : std::enable_shared_from_this<impl> {
  enum class phase { connecting, ready, down, stopped };

  impl(asio::any_io_executor ex, conf::redis cfg, std::vector<conf::redis_address> where)
      : executor(std::move(ex)),
        config(std::move(cfg)),
        candidates(std::move(where)),
        connect_timer(executor),
        backoff_timer(executor),
        backoff(config.reconnect_min) {}

  bool via_sentinel() const { return !config.sentinel.master_name.empty(); }

  ~impl() { stop(); }

  // --- hiredis event hooks (ev.data == this) ---
  static impl* self_of(void* p) { return static_cast<impl*>(p); }
  static void add_read(void* p) {
    self_of(p)->want_read = true;
    self_of(p)->arm_read();
  }
  static void del_read(void* p) { self_of(p)->want_read = false; }
  static void add_write(void* p) {
    auto* self = self_of(p);
    self->want_write = true;
    // A connected socket nearly always takes the bytes: write once the handlers queued on this
    // worker have run (their commands join the write) rather than wait for writability, which
    // costs an epoll_ctl and an epoll_wait round per command. A connect completes on writability.
    if (self->flushing) return;
    if (self->ac && (self->ac->c.flags & REDIS_CONNECTED) != 0) return self->post_flush();
    self->arm_write();
  }
  static void del_write(void* p) { self_of(p)->want_write = false; }
  static void cleanup(void* p) { self_of(p)->connection_closed(); }

  static void on_reply(redisAsyncContext* c, void* r, void* privdata) {
    auto* self = static_cast<impl*>(c->data);
    const auto* reply = static_cast<const redisReply*>(r);
    // A primary demoted by a failover answers writes with READONLY while it still accepts
    // connections: leave it, so the next connection asks the sentinels again.
    if (reply && reply->type == REDIS_REPLY_ERROR && self->via_sentinel() &&
        std::string_view(reply->str, reply->len).starts_with("READONLY")) {
      spdlog::warn(
          "redis: {} is no longer the primary of {}; asking the sentinels again "
          "(reason=redis_primary_demoted)",
          address_text(self->current), self->config.sentinel.master_name);
      self->drop_later(self->generation);
    }
    if (privdata == &self->subscription_sink) {
      self->subscription_sink(reply);
      return;
    }
    // Replies come in the order the commands were sent: the sink is (nearly) always the first.
    const auto it = std::find_if(self->sinks.begin(), self->sinks.end(),
                                 [privdata](const sink& s) { return &s == privdata; });
    if (it == self->sinks.end()) return;
    const sink done = std::move(*it);
    self->sinks.erase(it);
    done(reply);
  }

  void arm_read() {
    if (read_armed || !socket) return;
    read_armed = true;
    socket->async_wait(asio::posix::descriptor_base::wait_read,
                       [self = shared_from_this(), gen = generation](error_code ec) {
                         if (gen != self->generation) return;
                         self->read_armed = false;
                         if (ec || !self->ac) return;
                         if (self->want_read) redisAsyncHandleRead(self->ac.get());
                         if (gen == self->generation && self->want_read) self->arm_read();
                       });
  }

  void post_flush() {
    if (flush_posted || write_armed) return;
    flush_posted = true;
    asio::post(executor, [self = shared_from_this(), gen = generation] {
      if (gen != self->generation) return;
      self->flush_posted = false;
      if (self->ac && self->want_write) self->write_now(gen);
    });
  }

  // hiredis writes what the socket takes and calls add_write if that was part: wait for a drain.
  void write_now(std::uint64_t gen) {
    flushing = true;
    redisAsyncHandleWrite(ac.get());
    if (gen != generation) return;  // the write failed and the context is gone
    flushing = false;
    if (want_write) arm_write();
  }

  void arm_write() {
    if (write_armed || !socket) return;
    write_armed = true;
    socket->async_wait(asio::posix::descriptor_base::wait_write,
                       [self = shared_from_this(), gen = generation](error_code ec) {
                         if (gen != self->generation) return;
                         self->write_armed = false;
                         if (ec || !self->ac) return;
                         if (self->want_write) self->write_now(gen);
                       });
  }

  // hiredis is about to free the context (error, EOF, or our own redisAsyncFree): it owns and
  // closes the fd, so the descriptor is released (which also cancels our waits), not closed.
  void connection_closed() {
    if (socket) {
      socket->release();
      socket.reset();
    }
    (void)ac.release();  // hiredis frees it right after this hook
    want_read = want_write = read_armed = write_armed = flush_posted = flushing = false;
    ++generation;
    healthy = false;
    connect_timer.cancel();
    if (state == phase::stopped) return;
    state = phase::down;
    stats.errors.fetch_add(1, std::memory_order_relaxed);
    ++next_candidate;  // cluster seeds: try the next one
    schedule_reconnect();
  }

  void schedule_reconnect() {
    backoff_timer.expires_after(backoff);
    backoff = std::min(backoff * 2, config.reconnect_max);
    backoff_timer.async_wait([self = shared_from_this()](error_code ec) {
      if (ec || self->state != phase::down) return;
      self->stats.reconnects.fetch_add(1, std::memory_order_relaxed);
      self->connect();
    });
  }

  void connect() {
    state = phase::connecting;
    if (via_sentinel()) {
      resolve_then_connect();
    } else {
      connect_to(candidates[next_candidate % candidates.size()]);
    }
  }

  // The primary's address changes with a failover, so it is asked for before every connection.
  void resolve_then_connect() {
    const auto gen = generation;
    asio::co_spawn(executor, ask_sentinels(executor, config),
                   [self = shared_from_this(), gen](const std::exception_ptr& failure,
                                                    std::optional<conf::redis_address> primary) {
                     if (self->state != phase::connecting || gen != self->generation) return;
                     if (failure || !primary) {
                       self->state = phase::down;
                       self->fail_deferred();
                       self->stats.errors.fetch_add(1, std::memory_order_relaxed);
                       self->schedule_reconnect();
                       return;
                     }
                     if (*primary != self->current) {
                       spdlog::info("redis: the sentinels name {} as the primary of {}",
                                    address_text(*primary), self->config.sentinel.master_name);
                     }
                     self->connect_to(*primary);
                   });
  }

  void connect_to(const conf::redis_address& target) {
    current = target;
    redis_async_context_ptr c(redisAsyncConnect(target.host.c_str(), target.port));
    error_code ec;
    if (c && !c->err) {
      socket.emplace(executor);
      socket->assign(c->c.fd, ec);
    }
    if (!c || c->err || ec) {
      if (socket) {
        socket->release();
        socket.reset();
      }
      state = phase::down;
      stats.errors.fetch_add(1, std::memory_order_relaxed);
      fail_deferred();
      ++next_candidate;
      schedule_reconnect();
      return;
    }
    c->data = this;
    c->ev.data = this;
    c->ev.addRead = &impl::add_read;
    c->ev.delRead = &impl::del_read;
    c->ev.addWrite = &impl::add_write;
    c->ev.delWrite = &impl::del_write;
    c->ev.cleanup = &impl::cleanup;
    ac = std::move(c);

    const auto gen = generation;
    connect_timer.expires_after(config.connect_timeout);
    connect_timer.async_wait([self = shared_from_this(), gen](error_code e) {
      if (e || gen != self->generation || self->state != phase::connecting) return;
      self->stats.timeouts.fetch_add(1, std::memory_order_relaxed);
      self->drop();
    });

    // Queued before any user command, so the pipeline order makes them go first.
    if (!config.password.empty()) {
      send({"AUTH", config.password}, [this, gen](const redisReply* r) {
        if (r && r->type == REDIS_REPLY_ERROR) drop_later(gen);
      });
    }
    // What the connection is for, in CLIENT LIST. Refused (an ACL without CLIENT) is harmless:
    // the reply is ignored.
    if (!config.client_name.empty())
      send({"CLIENT", "SETNAME", config.client_name}, [](const redisReply*) {});
    // A sentinel has no databases (database < 0 is how the probes say so): PING instead.
    std::vector<std::string> select{"PING"};
    if (config.database >= 0) select = {"SELECT", std::to_string(config.database)};
    const bool check_role = via_sentinel();
    send(select, [this, gen, check_role](const redisReply* r) {
      if (!r) return;  // the context is going away; cleanup handles it
      if (r->type == REDIS_REPLY_ERROR) {
        drop_later(gen);
        return;
      }
      if (!check_role) mark_ready(gen);
    });
    if (check_role) {
      // The sentinels' answer may be stale (a failover in progress): only a server that calls
      // itself master is used; anything else is left and the sentinels are asked again.
      send({"ROLE"}, [this, gen](const redisReply* r) {
        if (!r) return;
        const bool master = r->type == REDIS_REPLY_ARRAY && r->elements > 0 &&
                            r->element[0]->type == REDIS_REPLY_STRING &&
                            std::string_view(r->element[0]->str, r->element[0]->len) == "master";
        if (!master) {
          spdlog::warn(
              "redis: {} is not a primary yet; asking the sentinels again "
              "(reason=redis_not_primary)",
              address_text(current));
          drop_later(gen);
          return;
        }
        mark_ready(gen);
      });
    }
    // What was sent while the sentinels were asked goes behind the handshake.
    auto waiting = std::move(deferred);
    deferred.clear();
    for (auto& [command, waiting_sink] : waiting) {
      if (!send_formatted(command, waiting_sink)) waiting_sink(nullptr);
    }
  }

  void fail_deferred() {
    auto waiting = std::move(deferred);
    deferred.clear();
    for (auto& entry : waiting) entry.second(nullptr);
  }

  void mark_ready(std::uint64_t gen) {
    if (gen != generation || state != phase::connecting) return;
    state = phase::ready;
    healthy = true;
    backoff = config.reconnect_min;
    connect_timer.cancel();
    if (!channel.empty()) send_subscribe();
  }

  // Never free the context from inside one of its callbacks.
  void drop_later(std::uint64_t gen) {
    if (state == phase::stopped) return;
    asio::post(executor, [self = shared_from_this(), gen] {
      if (gen == self->generation) self->drop();
    });
  }

  void drop() { ac.reset(); }  // redisAsyncFree → pending callbacks fail → cleanup → reconnect

  void stop() {
    state = phase::stopped;
    healthy = false;
    fail_deferred();
    connect_timer.cancel();
    backoff_timer.cancel();
    ac.reset();
  }

  bool send(const std::vector<std::string>& args, reply_fn fn) {
    formatted.clear();  // reused: its capacity stays, so formatting allocates nothing
    append_resp_command(formatted, args);
    return send_formatted(formatted, sink{.fn = std::move(fn)});
  }

  // `command` is one command in RESP (resp.hpp).
  bool send_formatted(std::string_view command, sink to) {
    if (!ac && state == phase::connecting && via_sentinel()) {
      // Asking the sentinels: kept until the primary is known (like hiredis keeps commands
      // while a connection is being made), failed if it cannot be.
      deferred.emplace_back(std::string(command), std::move(to));
      return true;
    }
    if (!ac || (state != phase::connecting && state != phase::ready)) return false;
    sinks.push_back(std::move(to));
    if (redisAsyncFormattedCommand(ac.get(), &impl::on_reply, &sinks.back(), command.data(),
                                   command.size()) != REDIS_OK) {
      sinks.pop_back();
      return false;
    }
    stats.commands.fetch_add(1, std::memory_order_relaxed);
    return true;
  }

  void send_subscribe() {
    const char* argv[] = {"SUBSCRIBE", channel.data()};
    const size_t lens[] = {9, channel.size()};
    if (redisAsyncCommandArgv(ac.get(), &impl::on_reply, &subscription_sink, 2, argv, lens) ==
        REDIS_OK) {
      stats.commands.fetch_add(1, std::memory_order_relaxed);
    }
  }

  void on_subscription_reply(const redisReply* r) {
    if (!r || r->type != REDIS_REPLY_ARRAY || r->elements < 3) return;
    const redisReply* kind = r->element[0];
    const redisReply* payload = r->element[2];
    if (!kind || kind->type != REDIS_REPLY_STRING) return;
    const std::string_view k(kind->str, kind->len);
    if (k == "message" && payload && payload->type == REDIS_REPLY_STRING) {
      asio::post(executor,
                 [self = shared_from_this(), p = std::string(payload->str, payload->len)] {
                   if (self->state != phase::stopped && self->on_message) self->on_message(p);
                 });
    } else if (k == "subscribe") {
      asio::post(executor, [self = shared_from_this()] {
        if (self->state != phase::stopped && self->on_subscribed) self->on_subscribed();
      });
    }
  }

  asio::any_io_executor executor;
  conf::redis config;
  // Where connections go when not via Sentinel: the server, or a cluster's seeds taken in turn.
  std::vector<conf::redis_address> candidates;
  std::size_t next_candidate = 0;
  conf::redis_address current;  // the server of the current or last connection
  connection_stats stats;
  std::atomic<bool> healthy{false};
  phase state = phase::down;
  std::uint64_t generation = 0;  // bumped when a context ends; stale handlers compare it
  asio::steady_timer connect_timer;
  asio::steady_timer backoff_timer;
  std::chrono::milliseconds backoff;
  std::optional<asio::posix::stream_descriptor> socket;
  bool want_read = false;
  bool want_write = false;
  bool read_armed = false;
  bool write_armed = false;
  bool flush_posted = false;  // a write of hiredis's buffer is queued on the executor
  bool flushing = false;      // inside that write
  std::string formatted;      // the command send() is handing to hiredis
  std::list<sink> sinks;      // one-shot replies, in the order sent
  std::vector<std::pair<std::string, sink>> deferred;  // RESP sent while resolving

  std::string channel;  // subscriber mode when not empty
  std::function<void(std::string_view)> on_message;
  std::function<void()> on_subscribed;
  reply_fn subscription_sink = [this](const redisReply* r) { on_subscription_reply(r); };

  redis_async_context_ptr ac;  // declared last: freed first, while the rest is still alive
};

connection::connection(asio::any_io_executor executor, conf::redis config) {
  if (!config.cluster.empty()) {
    cluster_ = std::make_shared<cluster>(executor, config);
    cluster_->start();
    // A subscription needs a connection of its own; subscribe() makes it, to the seeds in turn.
    auto seeds = config.cluster;
    impl_ = std::make_shared<impl>(std::move(executor), std::move(config), std::move(seeds));
    return;
  }
  std::vector<conf::redis_address> server{{config.host, config.port}};
  impl_ = std::make_shared<impl>(std::move(executor), std::move(config), std::move(server));
  impl_->connect();
}

connection::~connection() {
  impl_->stop();
  if (cluster_) cluster_->stop();
}

bool connection::healthy() const noexcept {
  if (cluster_ && !subscriber_) return cluster_->healthy();
  return impl_->healthy;
}

const connection_stats& connection::stats() const noexcept {
  return cluster_ && !subscriber_ ? cluster_->stats() : impl_->stats;
}

void connection::subscribe(std::string channel,
                           std::function<void(std::string_view payload)> on_message,
                           std::function<void()> on_subscribed) {
  subscriber_ = true;
  impl_->channel = std::move(channel);
  impl_->on_message = std::move(on_message);
  impl_->on_subscribed = std::move(on_subscribed);
  if (cluster_ && impl_->state == impl::phase::down && !impl_->ac) {
    impl_->connect();  // cluster mode: the subscription's own connection starts now
  } else if (impl_->state == impl::phase::ready) {
    impl_->send_subscribe();
  }
}

asio::awaitable<std::vector<result<reply>>> connection::pipeline(
    std::vector<std::vector<std::string>> commands) {
  if (cluster_) {
    const std::shared_ptr<cluster> routing = cluster_;  // alive across the suspension
    co_return co_await routing->pipeline(std::move(commands));
  }
  command_batch batch;
  for (const auto& args : commands) batch.add(args);
  co_return co_await pipeline(std::move(batch));
}

asio::awaitable<std::vector<result<reply>>> connection::pipeline(command_batch commands) {
  if (cluster_) {
    const std::shared_ptr<cluster> routing = cluster_;  // alive across the suspension
    co_return co_await routing->pipeline(commands.arguments());
  }
  const std::shared_ptr<impl> self = impl_;  // alive across the suspension
  auto batch = std::make_shared<pending_batch>(self->executor, commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    if (!self->send_formatted(commands.command(i), sink{.batch = batch, .index = i})) {
      batch->outcomes[i].emplace(store_errc::unavailable);
      --batch->remaining;
      self->stats.errors.fetch_add(1, std::memory_order_relaxed);
    }
  }
  if (batch->remaining > 0) {
    batch->timer.expires_after(self->config.command_timeout);
    auto [ec] = co_await batch->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (batch->remaining > 0) {
      batch->finished = true;
      for (auto& o : batch->outcomes) {
        if (!o) o.emplace(store_errc::timeout);
      }
      if (!ec) {
        // Replies are ordered: everything behind the late one is stuck too. Start afresh.
        self->stats.timeouts.fetch_add(1, std::memory_order_relaxed);
        self->drop();
      }
    }
  }
  std::vector<result<reply>> out;
  out.reserve(batch->outcomes.size());
  for (auto& o : batch->outcomes) out.push_back(std::move(*o));
  co_return out;
}

asio::awaitable<result<reply>> connection::command(std::vector<std::string> args) {
  std::vector<std::vector<std::string>> one;
  one.push_back(std::move(args));
  auto replies = co_await pipeline(std::move(one));
  co_return std::move(replies.front());
}

}  // namespace varco::redis
