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
constexpr const char* batch = "10";

std::string ms(std::chrono::milliseconds d) { return std::to_string(d.count()); }

bool ok(const boost::system::result<session::redis_reply>& reply) {
  return reply.has_value() && !reply->is_error();
}

std::string_view reply_error(const boost::system::result<session::redis_reply>& reply) {
  if (!reply) return "redis unavailable";
  return reply->str;
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
      redis_settings_(
          session::with_client_name(runtime_()->config->sessions.redis, "varco:support")),
      tls_(asio::ssl::context::tls_client) {
  // XREADGROUP BLOCK holds the command open on the server: give it that long on top.
  redis_settings_.command_timeout += read_block;
  redis_ = std::make_unique<session::redis_connection>(io_.get_executor(), redis_settings_);
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
    const auto now = std::chrono::steady_clock::now();
    if (now >= next_claim_) {
      next_claim_ = now + settings.claim_idle / 2;
      std::vector<std::string> autoclaim{"XAUTOCLAIM",
                                         settings.stream,
                                         settings.consumer_group,
                                         consumer_,
                                         ms(settings.claim_idle),
                                         "0-0",
                                         "COUNT",
                                         batch};
      auto claimed = co_await redis_->command(std::move(autoclaim));
      if (ok(claimed)) {
        for (const auto& entry : xautoclaim_entries(*claimed)) {
          spdlog::warn("support: ticket {} taken over from a stopped instance (reason={})",
                       entry.id, "support_claimed");
          co_await deliver(settings, entry);
        }
      }
    }
    std::vector<std::string> read_new{
        "XREADGROUP",   "GROUP",   settings.consumer_group, consumer_, "COUNT", batch, "BLOCK",
        ms(read_block), "STREAMS", settings.stream,         ">"};
    auto read = co_await redis_->command(std::move(read_new));
    if (!ok(read)) {
      if (read && read->str.starts_with("NOGROUP")) group_ready_for_.clear();  // stream deleted
      spdlog::warn("support: cannot read {}: {} (reason=support_read_failed)", settings.stream,
                   reply_error(read));
      co_await pause(retry_redis);
      continue;
    }
    for (const auto& entry : xreadgroup_entries(*read)) co_await deliver(settings, entry);
  }
}

awaitable<bool> support_forwarder::ensure_group(const conf::support& settings) {
  const std::string wanted = settings.stream + "\n" + settings.consumer_group;
  if (group_ready_for_ == wanted) co_return true;
  // From the stream's start: requests stored before the first forwarder ran are delivered too.
  std::vector<std::string> create{"XGROUP", "CREATE",  settings.stream, settings.consumer_group,
                                  "0",      "MKSTREAM"};
  auto created = co_await redis_->command(std::move(create));
  if (!created) co_return false;
  if (created->is_error() && !created->str.starts_with("BUSYGROUP")) {
    spdlog::error("support: cannot create the consumer group {} on {}: {} (reason={})",
                  settings.consumer_group, settings.stream, created->str, "support_group_failed");
    co_return false;
  }
  group_ready_for_ = wanted;
  next_claim_ = {};
  co_return true;
}

awaitable<void> support_forwarder::deliver(const conf::support& settings,
                                           const stream_entry& entry) {
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
  std::vector<std::string> owner{"XPENDING", settings.stream, settings.consumer_group, id, id, "1"};
  auto pending = co_await redis_->command(std::move(owner));
  if (!ok(pending)) co_return false;
  // [[id, consumer, idle ms, deliveries]]
  if (pending->elements.size() != 1 || pending->elements[0].elements.size() < 2 ||
      pending->elements[0].elements[1].str != consumer_)
    co_return false;
  // Resets the idle time without counting a delivery.
  std::vector<std::string> touch{"XCLAIM", settings.stream, settings.consumer_group, consumer_, "0",
                                 id,       "JUSTID"};
  auto claimed = co_await redis_->command(std::move(touch));
  co_return ok(claimed) && !claimed->elements.empty();
}

awaitable<void> support_forwarder::dead_letter(const conf::support& settings,
                                               const stream_entry& entry, std::string_view reason,
                                               unsigned attempts) {
  std::vector<std::string> command{"XADD",
                                   settings.dead_letter_stream,
                                   "*",
                                   "ticket",
                                   entry.id,
                                   "reason",
                                   std::string(reason),
                                   "attempts",
                                   std::to_string(attempts)};
  for (const auto& [key, value] : entry.fields) {
    command.push_back(key);
    command.push_back(value);
  }
  auto added = co_await redis_->command(std::move(command));
  if (!ok(added)) {
    // Left pending: another round (here or on another instance) takes it up after claim_idle.
    spdlog::error("support: ticket {} could not be dead-lettered: {} (reason={})", entry.id,
                  reply_error(added), "support_dead_letter_failed");
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
  std::vector<std::vector<std::string>> commands{
      {"XACK", settings.stream, settings.consumer_group, id}, {"XDEL", settings.stream, id}};
  auto replies = co_await redis_->pipeline(std::move(commands));
  if (replies.empty() || !ok(replies.front())) {
    spdlog::warn("support: ticket {} not acknowledged, it will be sent again (reason={})", id,
                 "support_ack_failed");
  }
}

awaitable<void> support_forwarder::pause(std::chrono::milliseconds how_long) {
  asio::steady_timer timer(io_, how_long);
  co_await timer.async_wait(use_nothrow);
}

}  // namespace varco::gateway
