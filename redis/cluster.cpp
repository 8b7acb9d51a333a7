#include "redis/cluster.hpp"

#include "redis/errors.hpp"
#include "redis/slot.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <optional>

namespace varco::redis {
namespace asio = boost::asio;
using boost::system::result;

namespace {

constexpr auto refresh_interval = std::chrono::milliseconds(500);
constexpr int max_redirects = 3;

std::optional<unsigned> parse_unsigned(std::string_view text, unsigned max) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value > max)
    return std::nullopt;
  return value;
}

// "MOVED 3999 127.0.0.1:6381" / "ASK 3999 127.0.0.1:6381".
struct redirect {
  bool ask = false;
  std::uint16_t slot = 0;
  conf::redis_address target;
};

std::optional<redirect> parse_redirect(const result<reply>& answer) {
  if (!answer || !answer->is_error()) return std::nullopt;
  const std::string_view text = answer->str;
  redirect out;
  std::string_view rest;
  if (text.starts_with("MOVED ")) {
    rest = text.substr(6);
  } else if (text.starts_with("ASK ")) {
    out.ask = true;
    rest = text.substr(4);
  } else {
    return std::nullopt;
  }
  const auto space = rest.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const auto slot = parse_unsigned(rest.substr(0, space), slot_count - 1);
  const std::string_view address = rest.substr(space + 1);
  const auto colon = address.rfind(':');
  if (!slot || colon == std::string_view::npos) return std::nullopt;
  const auto port = parse_unsigned(address.substr(colon + 1), 65535);
  if (!port || *port == 0) return std::nullopt;
  out.slot = static_cast<std::uint16_t>(*slot);
  out.target = {std::string(address.substr(0, colon)), static_cast<std::uint16_t>(*port)};
  return out;
}

bool connection_failed(const result<reply>& answer) {
  return !answer &&
         (answer.error() == store_errc::unavailable || answer.error() == store_errc::timeout);
}

bool is_named(const std::vector<std::string>& args, std::string_view name) {
  return !args.empty() && args[0].size() == name.size() &&
         std::equal(name.begin(), name.end(), args[0].begin(), [](char a, char b) {
           return a == std::toupper(static_cast<unsigned char>(b));
         });
}

}  // namespace

cluster::cluster(asio::any_io_executor executor, conf::redis config)
    : executor_(std::move(executor)), config_(std::move(config)), watch_timer_(executor_) {
  slot_owner_.fill(no_node);
}

cluster::~cluster() = default;

void cluster::start() {
  asio::co_spawn(
      executor_, [self = shared_from_this()]() { return self->watch(); }, asio::detached);
}

void cluster::stop() {
  stopped_ = true;
  watch_timer_.cancel();
}

asio::awaitable<void> cluster::watch() {
  const auto self = shared_from_this();  // alive until stop()
  while (!stopped_) {
    if (!healthy() && !refreshing_) co_await refresh_slots();
    watch_timer_.expires_after(std::chrono::seconds(1));
    co_await watch_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

void cluster::refresh_in_background() {
  if (stopped_ || refreshing_ ||
      std::chrono::steady_clock::now() - last_refresh_ < refresh_interval)
    return;
  asio::co_spawn(
      executor_,
      [self = shared_from_this()]() -> asio::awaitable<void> { co_await self->refresh_slots(); },
      asio::detached);
}

cluster::node_index cluster::node_for(const conf::redis_address& address) {
  for (std::size_t i = 0; i < node_addresses_.size(); ++i) {
    if (node_addresses_[i] == address) return static_cast<node_index>(i);
  }
  conf::redis node = config_;
  node.cluster.clear();
  node.host = address.host;
  node.port = address.port;
  node.database = 0;
  node_addresses_.push_back(address);
  nodes_.push_back(std::make_shared<connection>(executor_, std::move(node)));
  return static_cast<node_index>(nodes_.size() - 1);
}

asio::awaitable<bool> cluster::refresh_slots() {
  refreshing_ = true;
  last_refresh_ = std::chrono::steady_clock::now();
  // Known nodes first (they are the current cluster), then the seeds.
  std::vector<conf::redis_address> ask = node_addresses_;
  for (const auto& seed : config_.cluster) {
    if (std::find(ask.begin(), ask.end(), seed) == ask.end()) ask.push_back(seed);
  }
  bool loaded = false;
  for (const auto& address : ask) {
    const auto asked = node_for(address);
    const std::shared_ptr<connection> node = nodes_[asked];
    std::vector<std::string> question{"CLUSTER", "SLOTS"};  // not braced in the co_await (GCC 12)
    auto answer = co_await node->command(std::move(question));
    if (!answer || answer->type != reply::kind::array || answer->elements.empty()) continue;
    std::vector<node_index> owners(slot_count, no_node);
    for (const auto& range : answer->elements) {
      // [start, end, [host, port, id, …], replica…]
      if (range.elements.size() < 3 || range.elements[0].type != reply::kind::integer ||
          range.elements[1].type != reply::kind::integer || range.elements[2].elements.size() < 2)
        continue;
      const auto& primary = range.elements[2];
      conf::redis_address owner;
      owner.host = primary.elements[0].str;
      // An empty or "?" host means "the node you asked" (cluster-preferred-endpoint-type).
      if (owner.host.empty() || owner.host == "?") owner.host = address.host;
      if (primary.elements[1].type != reply::kind::integer || primary.elements[1].integer < 1 ||
          primary.elements[1].integer > 65535)
        continue;
      owner.port = static_cast<std::uint16_t>(primary.elements[1].integer);
      const auto first = std::clamp<long long>(range.elements[0].integer, 0, slot_count - 1);
      const auto last = std::clamp<long long>(range.elements[1].integer, 0, slot_count - 1);
      const auto index = node_for(owner);
      for (long long slot = first; slot <= last; ++slot) owners[slot] = index;
    }
    std::copy(owners.begin(), owners.end(), slot_owner_.begin());
    slots_loaded_ = true;
    loaded = true;
    break;
  }
  if (!loaded) {
    stats_.errors.fetch_add(1, std::memory_order_relaxed);
    spdlog::warn(
        "redis cluster: no node answered CLUSTER SLOTS (reason=redis_cluster_unreachable)");
  }
  publish_health_view();
  refreshing_ = false;
  co_return loaded;
}

void cluster::publish_health_view() {
  std::vector<std::shared_ptr<connection>> owners;
  bool complete = slots_loaded_;
  for (const auto owner : slot_owner_) {
    if (owner == no_node) {
      complete = false;
      continue;
    }
    const auto& link = nodes_[owner];
    if (std::find(owners.begin(), owners.end(), link) == owners.end()) owners.push_back(link);
  }
  const std::scoped_lock lock(health_mutex_);
  owners_view_ = std::move(owners);
  complete_view_ = complete;
}

bool cluster::healthy() const noexcept {
  const std::scoped_lock lock(health_mutex_);
  if (!complete_view_) return false;
  return std::all_of(owners_view_.begin(), owners_view_.end(),
                     [](const auto& link) { return link->healthy(); });
}

asio::awaitable<void> cluster::send_group(node_index node,
                                          const std::vector<std::vector<std::string>>& commands,
                                          const std::vector<std::size_t>& indices,
                                          std::vector<result<reply>>& results) {
  std::vector<std::vector<std::string>> batch;
  batch.reserve(indices.size());
  for (const auto i : indices) batch.push_back(commands[i]);
  const std::shared_ptr<connection> link = nodes_[node];
  auto replies = co_await link->pipeline(std::move(batch));
  for (std::size_t k = 0; k < indices.size(); ++k) results[indices[k]] = std::move(replies[k]);
}

asio::awaitable<std::vector<result<reply>>> cluster::pipeline(
    std::vector<std::vector<std::string>> commands) {
  const std::size_t n = commands.size();
  stats_.commands.fetch_add(n, std::memory_order_relaxed);
  std::vector<result<reply>> results(n, result<reply>(store_errc::unavailable));
  if (!slots_loaded_) co_await refresh_slots();
  if (!slots_loaded_) {
    stats_.errors.fetch_add(n, std::memory_order_relaxed);
    co_return results;
  }

  // The slot of each command: its key's, a MULTI…EXEC block's first key's, else a neighbour's.
  std::vector<int> slot(n, -1);
  std::vector<bool> in_block(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    if (const auto k = key_position(commands[i]); k != 0 && k < commands[i].size())
      slot[i] = key_slot(commands[i][k]);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_named(commands[i], "MULTI")) continue;
    std::size_t end = i + 1;
    while (end < n && !is_named(commands[end], "EXEC") && !is_named(commands[end], "DISCARD"))
      ++end;
    int block_slot = -1;
    for (std::size_t j = i; j <= end && j < n; ++j) {
      if (slot[j] >= 0 && block_slot < 0) block_slot = slot[j];
    }
    for (std::size_t j = i; j <= end && j < n; ++j) {
      slot[j] = block_slot;
      in_block[j] = true;
    }
    i = end;
  }
  int last_slot = -1;
  for (std::size_t i = 0; i < n; ++i) {
    if (slot[i] >= 0) {
      last_slot = slot[i];
    } else if (last_slot >= 0) {
      slot[i] = last_slot;
    }
  }
  for (std::size_t i = n; i-- > 0;) {
    if (slot[i] >= 0) {
      last_slot = slot[i];
    } else {
      slot[i] = last_slot >= 0 ? last_slot : 0;
    }
  }

  // One pipeline per node, in the order the nodes first appear; commands on one key always go to
  // one node, so their order is kept.
  std::vector<std::pair<node_index, std::vector<std::size_t>>> groups;
  for (std::size_t i = 0; i < n; ++i) {
    const node_index owner = slot_owner_[static_cast<std::size_t>(slot[i])];
    if (owner == no_node) continue;  // stays unavailable: the slot has no owner right now
    auto group = std::find_if(groups.begin(), groups.end(),
                              [owner](const auto& g) { return g.first == owner; });
    if (group == groups.end()) {
      groups.emplace_back(owner, std::vector<std::size_t>{});
      group = std::prev(groups.end());
    }
    group->second.push_back(i);
  }
  for (const auto& [node, indices] : groups) co_await send_group(node, commands, indices, results);

  // Redirections (resharding, failover): follow them for commands outside MULTI blocks.
  bool stale_map = false;
  for (std::size_t i = 0; i < n; ++i) {
    if (connection_failed(results[i])) stale_map = true;
    for (int hop = 0; hop < max_redirects && !in_block[i]; ++hop) {
      const auto moved = parse_redirect(results[i]);
      if (!moved) break;
      const node_index target = node_for(moved->target);
      const std::shared_ptr<connection> link = nodes_[target];
      if (moved->ask) {
        std::vector<std::vector<std::string>> asking{{"ASKING"}, commands[i]};
        auto replies = co_await link->pipeline(std::move(asking));
        results[i] = std::move(replies[1]);
      } else {
        slot_owner_[moved->slot] = target;
        stale_map = true;
        results[i] = co_await link->command(commands[i]);
      }
    }
  }
  for (const auto& r : results) {
    if (!r) stats_.errors.fetch_add(1, std::memory_order_relaxed);
  }
  if (stale_map) refresh_in_background();
  co_return results;
}

}  // namespace varco::redis
