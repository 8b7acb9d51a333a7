// Forwards stored support requests from the Redis stream to the webhook: one per process, and
// safe with several gateway instances on one Redis, because the stream is read through a
// consumer group (redis/streams.hpp) and an entry is acknowledged only once delivered or
// dead-lettered.
//
// Delivery is at least once: each attempt first re-claims the entry (XCLAIM … JUSTID, which
// fails when another instance took it over), so only one instance works on an entry at a time;
// an entry left pending by a dead instance is taken over after support.claim_idle (XAUTOCLAIM).
// A crash between the webhook's 2xx and the XACK sends the entry again: the webhook gets the
// ticket id as Idempotency-Key. Failed attempts (connection error, timeout, 5xx) are retried with
// exponential backoff; after webhook.max_attempts, or at once on a 4xx refusal, the entry is
// copied to the dead-letter stream with the reason and acknowledged.
//
// Runs on one io_context (a worker's), with its own Redis connection (XREADGROUP BLOCK would
// stall the worker's pipelined one). Settings are re-read from the runtime on every round, so a
// reload that changes the webhook applies to the next attempt. Create, start and destroy on the
// io_context's thread.
#pragma once

#include "gateway/endpoint/runtime.hpp"
#include "gateway/http/asio_types.hpp"
#include "gateway/portal/support_stream.hpp"
#include "redis/connection.hpp"
#include "redis/streams.hpp"

#include <boost/asio/ssl/context.hpp>

#include <functional>
#include <memory>
#include <string>

namespace varco::gateway {

class support_forwarder {
 public:
  // `consumer` names this instance in the consumer group (unique per process: host and pid).
  // `runtime`: the current runtime, callable from the forwarder's thread (the server's holder).
  using runtime_reader = std::function<std::shared_ptr<const runtime>()>;
  support_forwarder(asio::io_context& io, runtime_reader runtime, std::string consumer);
  support_forwarder(const support_forwarder&) = delete;
  support_forwarder& operator=(const support_forwarder&) = delete;

  void start();  // spawns the loop; it runs until the io_context stops

 private:
  awaitable<void> run();
  awaitable<bool> ensure_group(const conf::support& settings);
  awaitable<void> deliver(const conf::support& settings, const redis::stream_entry& entry);
  // Resets the entry's idle time; false when it is no longer ours (another instance claimed it,
  // or Redis is unreachable: then leave it pending for later).
  awaitable<bool> still_ours(const conf::support& settings, const std::string& id);
  awaitable<void> dead_letter(const conf::support& settings, const redis::stream_entry& entry,
                              std::string_view reason, unsigned attempts);
  awaitable<void> acknowledge(const conf::support& settings, const std::string& id);
  awaitable<void> pause(std::chrono::milliseconds how_long);

  asio::io_context& io_;
  runtime_reader runtime_;
  std::string consumer_;
  std::unique_ptr<redis::connection> redis_;
  conf::redis redis_settings_;
  asio::ssl::context tls_;
  std::string group_ready_for_;  // "<stream>\n<group>" once XGROUP CREATE succeeded
  std::chrono::steady_clock::time_point next_claim_{};
};

// The consumer name of this process: "<hostname>-<pid>".
std::string support_consumer_name();

}  // namespace varco::gateway
