// Redis high availability under varco: a Sentinel failover followed without restart, and a Redis
// Cluster holding sessions, login state and revocations. Real redis-server processes (primary,
// replica, three sentinels; three cluster nodes), the real varco binary, real HTTP on loopback.
#include "redis/connection.hpp"
#include "redis/slot.hpp"
#include "session/redis_login_state.hpp"
#include "tests/support/echoed.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/gateway_stack.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/ports.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/test_sessions.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <array>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <functional>
#include <future>
#include <map>
#include <set>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace varco::faults {

using namespace varco::test;
using namespace varco::test::gateway_directory;
using namespace std::chrono_literals;

namespace {

namespace http = boost::beast::http;

// A redis-server (or sentinel) process of this test, killed with the test.
class redis_process {
 public:
  explicit redis_process(std::vector<std::string> args) : args_(std::move(args)) { start(); }
  ~redis_process() { kill(); }
  redis_process(const redis_process&) = delete;
  redis_process& operator=(const redis_process&) = delete;

  void start() {
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork() failed");
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>("/usr/bin/redis-server"));
      for (auto& a : args_) argv.push_back(a.data());
      argv.push_back(nullptr);
      const int devnull = ::open("/dev/null", O_WRONLY);
      ::dup2(devnull, 1);
      ::execv("/usr/bin/redis-server", argv.data());
      ::_exit(127);
    }
  }
  void kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  std::vector<std::string> args_;
  pid_t pid_ = -1;
};

// One redis-cli call; its output without the trailing newline ("" when it failed).
std::string redis_cli(std::uint16_t port, const std::string& args) {
  const std::string command =
      "/usr/bin/redis-cli -h 127.0.0.1 -p " + std::to_string(port) + " " + args + " 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  if (!pipe) return "";
  std::string out;
  std::array<char, 4096> chunk{};
  while (std::fgets(chunk.data(), static_cast<int>(chunk.size()), pipe.get()) != nullptr)
    out += chunk.data();
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::uint16_t free_port() { return pick_free_port(); }

// A data node on loopback with nothing on disk, plus `extra`.
std::vector<std::string> data_node_args(std::uint16_t port, const temp_dir& dir,
                                        std::vector<std::string> extra) {
  std::vector<std::string> args{
      "--port", std::to_string(port), "--bind", "127.0.0.1", "--save",
      "",       "--appendonly",       "no",     "--dir",     dir.path().string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

struct started_redis {
  std::unique_ptr<redis_process> process;
  std::uint16_t port = 0;
};

// A redis-server (or sentinel) whose arguments depend on its port, on a free port, once it answers
// PING. A port free when chosen can be taken as an ephemeral port before the server binds it (the
// fault tests beside this one open thousands of connections), so another port is tried then.
started_redis start_answering(const std::function<std::vector<std::string>(std::uint16_t)>& args) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    const std::uint16_t port = free_port();
    auto process = std::make_unique<redis_process>(args(port));
    if (eventually([&] { return redis_cli(port, "PING") == "PONG"; }, 5s, 20ms))
      return {std::move(process), port};
  }
  throw std::runtime_error("redis-server did not answer on any of 5 ports");
}

std::string address(std::uint16_t port) { return "127.0.0.1:" + std::to_string(port); }

template <class Awaitable>
auto run(boost::asio::io_context& io, Awaitable awaitable) {
  auto future = boost::asio::co_spawn(io, std::move(awaitable), boost::asio::use_future);
  while (future.wait_for(0s) != std::future_status::ready) io.run_one();
  return future.get();
}

constexpr const char* product_path = "/pagopa/x";  // prod-pagopa, environment from the session

// --- Sentinel ---------------------------------------------------------------------------------

TEST(redis_sentinel, failover_is_followed_without_restart) {
  temp_dir dir;
  auto [primary, primary_port] =
      start_answering([&](std::uint16_t port) { return data_node_args(port, dir, {}); });
  auto [replica,
        replica_port] = start_answering([&, primary_port = primary_port](std::uint16_t port) {
    return data_node_args(port, dir, {"--replicaof", "127.0.0.1", std::to_string(primary_port)});
  });
  std::vector<std::uint16_t> sentinel_ports;
  std::vector<std::unique_ptr<redis_process>> sentinels;
  for (int i = 0; i < 3; ++i) {
    auto sentinel = start_answering([&, primary_port = primary_port](std::uint16_t port) {
      const auto conf = dir / ("sentinel-" + std::to_string(port) + ".conf");
      // Sentinels rewrite their file, so each has its own. Quorum 2 of 3.
      write_file(conf, "port " + std::to_string(port) +
                           "\nbind 127.0.0.1\n"
                           "sentinel monitor varco 127.0.0.1 " +
                           std::to_string(primary_port) +
                           " 2\n"
                           "sentinel down-after-milliseconds varco 1000\n"
                           "sentinel failover-timeout varco 5000\n"
                           "sentinel parallel-syncs varco 1\n");
      return std::vector<std::string>{conf.string(), "--sentinel"};
    });
    sentinels.push_back(std::move(sentinel.process));
    sentinel_ports.push_back(sentinel.port);
  }
  // Ready: every sentinel knows the replica and its peers.
  ASSERT_TRUE(eventually(
      [&] {
        for (const auto port : sentinel_ports) {
          const auto master = redis_cli(port, "SENTINEL master varco");
          if (master.find("num-slaves\n1") == std::string::npos ||
              master.find("num-other-sentinels\n2") == std::string::npos)
            return false;
        }
        return redis_cli(replica_port, "INFO replication").find("master_link_status:up") !=
               std::string::npos;
      },
      30s, 50ms))
      << redis_cli(sentinel_ports[0], "SENTINEL master varco");

  std::string sentinel_list;
  conf::redis topology;
  topology.sentinel.master_name = "varco";
  for (const auto port : sentinel_ports) {
    sentinel_list += (sentinel_list.empty() ? "" : ", ") + std::string("'") + address(port) + "'";
    topology.sentinel.addresses.push_back({"127.0.0.1", port});
  }
  gateway_options options;
  options.cache_ttl = "0s";  // every request reads Redis: the failover is what is measured
  options.redis_yaml =
      "{sentinel: {master_name: varco, addresses: [" + sentinel_list + "]}, reconnect_max: 500ms}";
  gateway_stack stack(options);
  ASSERT_TRUE(eventually([&] { return http_get(stack.gateway->port(), "/readyz").status == 200; },
                         10s, 20ms))
      << stack.gateway->output();

  session_spec spec;
  spec.party = institution;
  spec.environments = {{"prod-pagopa", "collaudo"}};
  const std::string before = create_session(topology, spec);
  // Replicated before the primary dies, so the promoted replica has it.
  ASSERT_EQ(redis_cli(primary_port, "WAIT 1 5000"), "1");
  ASSERT_EQ(http_get(stack.gateway->port(), product_path, with_cookie(before)).status, 200u)
      << stack.gateway->output();

  primary->kill();
  std::map<unsigned, int> statuses;
  const bool recovered = eventually(
      [&] {
        const auto status =
            http_get(stack.gateway->port(), product_path, with_cookie(before)).status;
        ++statuses[status];
        return status == 200;
      },
      60s, 50ms);
  ASSERT_TRUE(recovered) << stack.gateway->output();
  // That was one worker; each follows on its own connection, and /readyz is green once all have.
  ASSERT_TRUE(eventually([&] { return http_get(stack.gateway->port(), "/readyz").status == 200; },
                         30s, 20ms))
      << stack.gateway->output();
  for (const auto& [status, count] : statuses) {
    EXPECT_TRUE(status == 200 || status == 503) << status << " × " << count;
  }
  // The replica is the primary now, and varco writes to it: a new session, read back.
  EXPECT_NE(redis_cli(replica_port, "ROLE").find("master"), std::string::npos);
  const std::string after = create_session(topology, spec);
  const auto answer = http_get(stack.gateway->port(), product_path, with_cookie(after));
  EXPECT_EQ(answer.status, 200u);
  EXPECT_EQ(echoed(answer).value("X-Varco-User-Fiscal-Number"), spec.fiscal_number);
  EXPECT_EQ(http_get(stack.gateway->port(), "/readyz").status, 200u);
  EXPECT_NE(stack.gateway->output().find("as the primary of varco"), std::string::npos);
  std::printf("[ sentinel ] during the failover: %d × 200, %d × 503\n", statuses[200],
              statuses[503]);
}

// --- Cluster ----------------------------------------------------------------------------------

class redis_cluster_test : public ::testing::Test {
 protected:
  redis_cluster_test() {
    std::string create;
    for (int i = 0; i < 3; ++i) {
      auto node = start_answering([&](std::uint16_t port) {
        return data_node_args(port, dir,
                              {"--cluster-enabled", "yes", "--cluster-config-file",
                               (dir / ("nodes-" + std::to_string(port) + ".conf")).string()});
      });
      ports.push_back(node.port);
      nodes.push_back(std::move(node.process));
      create += " " + address(node.port);
    }
    redis_cli(ports[0], "--cluster create" + create + " --cluster-replicas 0 --cluster-yes");
    const bool ok = eventually(
        [&] {
          for (const auto port : ports) {
            if (redis_cli(port, "CLUSTER INFO").find("cluster_state:ok") == std::string::npos)
              return false;
          }
          return true;
        },
        30s, 50ms);
    if (!ok)
      throw std::runtime_error("cluster did not form: " + redis_cli(ports[0], "CLUSTER INFO"));
    topology.cluster.push_back({"127.0.0.1", ports[0]});  // one seed: the rest is discovered
  }

  temp_dir dir;
  std::vector<std::uint16_t> ports;
  std::vector<std::unique_ptr<redis_process>> nodes;
  conf::redis topology;
};

TEST_F(redis_cluster_test, sessions_proxying_and_revocation) {
  gateway_options options;
  options.cache_ttl = "10m";  // only a revocation can make a cached session go
  options.redis_yaml = "{cluster: {addresses: ['" + address(ports[0]) + "']}}";
  gateway_stack stack(options);
  ASSERT_TRUE(eventually([&] { return http_get(stack.gateway->port(), "/readyz").status == 200; },
                         10s, 20ms))
      << stack.gateway->output();

  session_spec spec;
  spec.party = institution;
  spec.environments = {{"prod-pagopa", "collaudo"}};
  std::vector<std::string> cookies;
  for (int i = 0; i < 24; ++i) cookies.push_back(create_session(topology, spec));
  // The sessions are spread over the nodes (24 random keys on 3 nodes: all on one is ~1e-11).
  int nodes_with_keys = 0;
  for (const auto port : ports) nodes_with_keys += redis_cli(port, "DBSIZE") != "0" ? 1 : 0;
  EXPECT_GE(nodes_with_keys, 2);

  for (const auto& cookie : cookies) {
    const auto answer = http_get(stack.gateway->port(), product_path, with_cookie(cookie));
    ASSERT_EQ(answer.status, 200u) << stack.gateway->output();
    EXPECT_EQ(echoed(answer).value("X-Varco-User-Fiscal-Number"), spec.fiscal_number);
  }
  // Revocation through the cluster's pub/sub: varco's cached sessions go at once.
  for (std::size_t i = 0; i < cookies.size(); i += 3) delete_session(topology, cookies[i]);
  for (std::size_t i = 0; i < cookies.size(); ++i) {
    const bool revoked = i % 3 == 0;
    EXPECT_TRUE(eventually(
        [&] {
          const auto status =
              http_get(stack.gateway->port(), product_path, with_cookie(cookies[i])).status;
          return revoked ? status != 200 : status == 200;
        },
        10s, 20ms))
        << "session " << i << (revoked ? " still served after logout" : " lost");
  }
  // An unknown session is refused, never passed.
  const auto forged =
      http_get(stack.gateway->port(), product_path, as_api(with_cookie(std::string(43, 'A'))));
  EXPECT_EQ(forged.status, 401u);
}

TEST_F(redis_cluster_test, login_state_on_every_node) {
  boost::asio::io_context io;
  auto connection = std::make_shared<redis::connection>(io.get_executor(), topology);
  session::redis_login_state state(connection, topology.key_prefix);
  // Enough keys that every node owns some of them.
  std::set<std::uint16_t> slots_seen;
  for (int i = 0; i < 60; ++i) {
    const std::string relay = "a:relay-" + std::to_string(i);
    slots_seen.insert(redis::key_slot(topology.key_prefix + relay));
    ASSERT_TRUE(run(io, state.put(relay, "pending-" + std::to_string(i), 60s)));
    // Pending requests: taken once.
    auto taken = run(io, state.take(relay));
    ASSERT_TRUE(taken);
    ASSERT_TRUE(taken->has_value());
    EXPECT_EQ(**taken, "pending-" + std::to_string(i));
    auto again = run(io, state.take(relay));
    ASSERT_TRUE(again);
    EXPECT_FALSE(again->has_value());
    // Replay cache: the second claim of one assertion ID is refused.
    const std::string assertion = "r:_assertion-" + std::to_string(i);
    EXPECT_EQ(run(io, state.claim_once(assertion, 60s)), true);
    EXPECT_EQ(run(io, state.claim_once(assertion, 60s)), false);
    // SLO index and rate counters.
    const std::string index = "slo:idp|name-" + std::to_string(i);
    ASSERT_TRUE(run(io, state.index_add(index, "s1", 60s)));
    ASSERT_TRUE(run(io, state.index_add(index, "s2", 60s)));
    auto members = run(io, state.index_take(index));
    ASSERT_TRUE(members);
    EXPECT_EQ(members->size(), 2u);
    EXPECT_EQ(run(io, state.count_hit("rl:" + std::to_string(i), 60s)).value(), 1u);
    EXPECT_EQ(run(io, state.count_hit("rl:" + std::to_string(i), 60s)).value(), 2u);
  }
  int nodes_with_keys = 0;
  for (const auto port : ports) nodes_with_keys += redis_cli(port, "DBSIZE") != "0" ? 1 : 0;
  EXPECT_EQ(nodes_with_keys, 3);
}

TEST_F(redis_cluster_test, a_moved_slot_is_followed) {
  boost::asio::io_context io;
  auto connection = std::make_shared<redis::connection>(io.get_executor(), topology);
  const std::string key = topology.key_prefix + "moving";
  ASSERT_TRUE(run(io, connection->command({"SET", key, "v1"})));
  // Move the key's slot to another node behind varco's back (as a resharding does).
  const auto slot = std::to_string(redis::key_slot(key));
  std::uint16_t owner = 0;
  std::uint16_t other = 0;
  std::map<std::uint16_t, std::string> ids;
  for (const auto port : ports) {
    ids[port] = redis_cli(port, "CLUSTER MYID");
    if (redis_cli(port, "CLUSTER COUNTKEYSINSLOT " + slot) == "1") owner = port;
  }
  ASSERT_NE(owner, 0);
  other = owner == ports[0] ? ports[1] : ports[0];
  ASSERT_EQ(redis_cli(other, "CLUSTER SETSLOT " + slot + " IMPORTING " + ids[owner]), "OK");
  ASSERT_EQ(redis_cli(owner, "CLUSTER SETSLOT " + slot + " MIGRATING " + ids[other]), "OK");
  ASSERT_EQ(redis_cli(owner, "MIGRATE 127.0.0.1 " + std::to_string(other) + " " + key + " 0 5000"),
            "OK");
  // Mid-migration: the old owner answers ASK for the moved key.
  auto during = run(io, connection->command({"GET", key}));
  ASSERT_TRUE(during);
  EXPECT_EQ(during->str, "v1");
  for (const auto port : ports)
    ASSERT_EQ(redis_cli(port, "CLUSTER SETSLOT " + slot + " NODE " + ids[other]), "OK");
  // After: MOVED, then the refreshed map.
  auto after = run(io, connection->command({"GET", key}));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->str, "v1");
  ASSERT_TRUE(run(io, connection->command({"SET", key, "v2"})));
  EXPECT_EQ(redis_cli(other, "GET " + key), "v2");
}

}  // namespace
}  // namespace varco::faults
