#include "gateway/portal/support_forwarder.hpp"

#include "gateway/portal/support_metrics.hpp"
#include "gateway/portal/webhook_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <unistd.h>

namespace varco::gateway {
namespace {

using namespace std::chrono_literals;

// How long one XREADGROUP waits for new entries: short, so a reload or a claim round is never
// far away, long enough that an idle gateway sends about one command a second.
constexpr auto read_block = 1000ms;
constexpr auto retry_redis = 1s;           // Redis unreachable or the group missing
constexpr auto idle_without_webhook = 5s;  // no support webhook configured (a reload may add one)
constexpr std::size_t batch = 10;

std::string_view reply_error(const redis::stream_error& error) {
  return error.refused() ? std::string_view(error.reply) : "redis unavailable";
}

}  // namespace

std::string support_consumer_name() {
  std::array<char, 256> host{};
  if (::gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
  return std::string(host.data()) + "-" + std::to_string(::getpid());
}

support_forwarder::support_forwarder(asio::io_context& io, runtime_reader runtime,
                                     std::string consumer)
    : io_(io),
      runtime_(std::move(runtime)),
      consumer_(std::move(consumer)),
      redis_settings_(redis::with_client_name(runtime_()->config->sessions.redis, "varco:support")),
      tls_(asio::ssl::context::tls_client) {
  // XREADGROUP BLOCK holds the command open on the server: give it that long on top.
  redis_settings_.command_timeout += read_block;
  redis_ = std::make_unique<redis::connection>(io_.get_executor(), redis_settings_);
  tls_.set_default_verify_paths();
  tls_.set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                   asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
}

void support_forwarder::start() {
  asio::co_spawn(io_, run(), [](const std::exception_ptr& failure) {
    if (!failure) return;
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      spdlog::critical("support forwarder stopped by an exception: {} (reason=internal_error)",
                       e.what());
    }
  });
}

awaitable<void> support_forwarder::run() {
  for (;;) {
    // Held for the whole round: `settings` refers into it.
    const auto current = runtime_();
    const conf::support& settings = current->config->support;
    if (!settings.enabled || !settings.webhook) {
      co_await pause(idle_without_webhook);
      continue;
    }
    if (!co_await ensure_group(settings)) {
      co_await pause(retry_redis);
      continue;
    }
    const redis::stream_consumer reader{settings.stream, settings.consumer_group, consumer_};
    const auto now = std::chrono::steady_clock::now();
    if (now >= next_claim_) {
      next_claim_ = now + settings.claim_idle / 2;
      auto claimed = co_await redis::claim_idle(*redis_, reader, settings.claim_idle, batch);
      if (claimed) {
        for (const auto& entry : *claimed) {
          spdlog::warn("support: ticket {} taken over from a stopped instance (reason={})",
                       entry.id, "support_claimed");
          co_await deliver(settings, entry);
        }
      }
    }
    auto read = co_await redis::read_group(*redis_, reader, batch, read_block);
    if (!read) {
      if (read.error().no_group()) group_ready_for_.clear();  // stream deleted
      spdlog::warn("support: cannot read {}: {} (reason=support_read_failed)", settings.stream,
                   reply_error(read.error()));
      co_await pause(retry_redis);
      continue;
    }
    for (const auto& entry : *read) co_await deliver(settings, entry);
  }
}

awaitable<bool> support_forwarder::ensure_group(const conf::support& settings) {
  const std::string wanted = settings.stream + "\n" + settings.consumer_group;
  if (group_ready_for_ == wanted) co_return true;
  // From the stream's start: requests stored before the first forwarder ran are delivered too.
  auto created = co_await redis::create_group(*redis_, settings.stream, settings.consumer_group);
  if (!created) {
    if (created.error().refused()) {
      spdlog::error("support: cannot create the consumer group {} on {}: {} (reason={})",
                    settings.consumer_group, settings.stream, created.error().reply,
                    "support_group_failed");
    }
    co_return false;
  }
  group_ready_for_ = wanted;
  next_claim_ = {};
  co_return true;
}

awaitable<void> support_forwarder::deliver(const conf::support& settings,
                                           const redis::stream_entry& entry) {
  auto& counters = support_counters::process();
  if (entry.fields.empty()) {
    // Deleted from the stream while pending (by an operator): nothing left to send.
    co_await acknowledge(settings, entry.id);
    co_return;
  }
  const conf::support_webhook& webhook = *settings.webhook;
  auto backoff = webhook.backoff_initial;
  webhook_outcome outcome;
  unsigned attempt = 0;
  while (attempt < webhook.max_attempts) {
    if (!co_await still_ours(settings, entry.id)) co_return;
    ++attempt;
    outcome = co_await post_webhook(webhook, tls_, support_webhook_body(entry, attempt), entry.id);
    if (outcome.delivered) {
      support_counters::add(counters.delivered);
      spdlog::info("support: ticket {} delivered to {} (status {}, attempt {}, request_id={})",
                   entry.id, webhook.url.text, outcome.status, attempt, entry.field("request_id"));
      co_await acknowledge(settings, entry.id);
      co_return;
    }
    support_counters::add(counters.failed_attempts);
    spdlog::warn("support: ticket {} attempt {}/{} to {} failed, status {} (reason={})", entry.id,
                 attempt, webhook.max_attempts, webhook.url.text, outcome.status, outcome.reason);
    if (!outcome.retryable || attempt == webhook.max_attempts) break;
    // Wait in slices shorter than claim_idle, touching the entry in between, so no other
    // instance mistakes a long backoff for a dead consumer.
    auto remaining = backoff;
    const auto slice = std::max<std::chrono::milliseconds>(settings.claim_idle / 3, 1ms);
    while (remaining > std::chrono::milliseconds::zero()) {
      const auto step = std::min(remaining, slice);
      co_await pause(step);
      remaining -= step;
      if (remaining > std::chrono::milliseconds::zero() && !co_await still_ours(settings, entry.id))
        co_return;
    }
    backoff = std::min(backoff * 2, webhook.backoff_max);
  }
  co_await dead_letter(settings, entry, outcome.reason, attempt);
}

awaitable<bool> support_forwarder::still_ours(const conf::support& settings,
                                              const std::string& id) {
  auto owner = co_await redis::pending_owner(*redis_, settings.stream, settings.consumer_group, id);
  if (!owner || *owner != consumer_) co_return false;
  // Resets the idle time without counting a delivery.
  auto claimed =
      co_await redis::claim(*redis_, {settings.stream, settings.consumer_group, consumer_}, id);
  co_return claimed.has_value() && *claimed;
}

awaitable<void> support_forwarder::dead_letter(const conf::support& settings,
                                               const redis::stream_entry& entry,
                                               std::string_view reason, unsigned attempts) {
  redis::stream_fields fields{{"ticket", entry.id},
                              {"reason", std::string(reason)},
                              {"attempts", std::to_string(attempts)}};
  fields.insert(fields.end(), entry.fields.begin(), entry.fields.end());
  auto added = co_await redis::stream_append(*redis_, settings.dead_letter_stream, fields);
  if (!added) {
    // Left pending: another round (here or on another instance) takes it up after claim_idle.
    spdlog::error("support: ticket {} could not be dead-lettered: {} (reason={})", entry.id,
                  reply_error(added.error()), "support_dead_letter_failed");
    co_return;
  }
  support_counters::add(support_counters::process().dead_lettered);
  spdlog::error("support: ticket {} given up after {} attempts, moved to {} (reason={})", entry.id,
                attempts, settings.dead_letter_stream, reason);
  co_await acknowledge(settings, entry.id);
}

awaitable<void> support_forwarder::acknowledge(const conf::support& settings,
                                               const std::string& id) {
  // Acknowledged, then deleted: the webhook (or the dead-letter stream) holds it now, and the
  // stream stays as long as what is still to deliver.
  auto acknowledged =
      co_await redis::acknowledge_and_delete(*redis_, settings.stream, settings.consumer_group, id);
  if (!acknowledged) {
    spdlog::warn("support: ticket {} not acknowledged, it will be sent again (reason={})", id,
                 "support_ack_failed");
  }
}

awaitable<void> support_forwarder::pause(std::chrono::milliseconds how_long) {
  asio::steady_timer timer(io_, how_long);
  co_await timer.async_wait(use_nothrow);
}

}  // namespace varco::gateway
