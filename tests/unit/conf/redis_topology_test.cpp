// sessions.redis.sentinel and sessions.redis.cluster: values, and mistakes reported with their
// line.
#include "tests/unit/conf/conf_fixture.hpp"

#include <gtest/gtest.h>

namespace varco::conf::testing {
namespace {

class redis_topology_config : public conf_fixture {
 protected:
  redis_topology_config() { write_ec_key("jwt.pem"); }
  // The sessions section starts on line 11.
  static std::string config(const std::string& redis) {
    return std::string(minimal_jwt) + minimal_products + "sessions:\n  store: redis\n  redis:\n" +
           redis;
  }
};

TEST_F(redis_topology_config, standalone_by_default) {
  auto loaded = load(config("    host: 10.0.0.5\n"));
  ASSERT_TRUE(loaded.value) << loaded.errors.front().to_string();
  const auto& r = loaded.value->sessions.redis;
  EXPECT_TRUE(r.sentinel.master_name.empty());
  EXPECT_TRUE(r.cluster.empty());
  EXPECT_EQ(r.host, "10.0.0.5");
}

TEST_F(redis_topology_config, sentinel) {
  auto loaded =
      load(config("    sentinel:\n"
                  "      master_name: varco\n"
                  "      addresses: [\"10.0.0.1:26379\", \"[fd00::2]:26380\"]\n"
                  "      password: s3cret\n"));
  ASSERT_TRUE(loaded.value) << loaded.errors.front().to_string();
  const auto& s = loaded.value->sessions.redis.sentinel;
  EXPECT_EQ(s.master_name, "varco");
  ASSERT_EQ(s.addresses.size(), 2u);
  EXPECT_EQ(s.addresses[0], (redis_address{"10.0.0.1", 26379}));
  EXPECT_EQ(s.addresses[1], (redis_address{"fd00::2", 26380}));
  EXPECT_EQ(s.password, "s3cret");
}

TEST_F(redis_topology_config, cluster) {
  auto loaded =
      load(config("    cluster:\n"
                  "      addresses: [\"10.0.0.1:7000\", \"10.0.0.2:7000\"]\n"));
  ASSERT_TRUE(loaded.value) << loaded.errors.front().to_string();
  const auto& c = loaded.value->sessions.redis.cluster;
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[1], (redis_address{"10.0.0.2", 7000}));
}

TEST_F(redis_topology_config, sentinel_mistakes) {
  const auto errors =
      errors_of(config("    sentinel:\n"
                       "      addresses: [\"10.0.0.1\", \"h:0\", \"h:99999\"]\n"));
  // master_name missing; three bad addresses; and then none left.
  ASSERT_EQ(errors.size(), 5u) << errors.front();
  EXPECT_NE(errors[0].find("master_name"), std::string::npos) << errors[0];
  EXPECT_NE(errors[1].find(":15:"), std::string::npos) << errors[1];
  EXPECT_NE(errors[1].find("not host:port"), std::string::npos) << errors[1];
  EXPECT_NE(errors[4].find("at least one sentinel"), std::string::npos) << errors[4];
}

TEST_F(redis_topology_config, cluster_conflicts) {
  const auto errors =
      errors_of(config("    database: 2\n"
                       "    key_prefix: \"{varco}:\"\n"
                       "    sentinel: {master_name: m, addresses: [\"h:1\"]}\n"
                       "    cluster: {addresses: [\"h:2\"]}\n"));
  ASSERT_EQ(errors.size(), 3u) << errors.front();
  std::string all;
  for (const auto& e : errors) all += e + "\n";
  EXPECT_NE(all.find("either sentinel or cluster"), std::string::npos) << all;
  EXPECT_NE(all.find("only database 0"), std::string::npos) << all;
  EXPECT_NE(all.find("must not contain { or }"), std::string::npos) << all;
}

}  // namespace
}  // namespace varco::conf::testing
