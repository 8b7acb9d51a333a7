#include "session/session_service.hpp"

#include "base/clock.hpp"
#include "session/session_id.hpp"
#include "tests/unit/session/store_fixtures.hpp"

#include <gtest/gtest.h>

namespace varco::session::testing {
namespace {

// Counts what reaches the real store underneath.
class counting_store final : public session_store {
 public:
  explicit counting_store(std::shared_ptr<session_store> inner) : inner_(std::move(inner)) {}

  boost::asio::awaitable<result<std::optional<stored_session>>> load(std::string key) override {
    ++loads;
    co_return co_await inner_->load(std::move(key));
  }
  boost::asio::awaitable<result<void>> save(session s, std::chrono::milliseconds ttl) override {
    ++saves;
    co_return co_await inner_->save(std::move(s), ttl);
  }
  boost::asio::awaitable<result<void>> insert(session s, std::chrono::milliseconds ttl) override {
    ++inserts;
    co_return co_await inner_->insert(std::move(s), ttl);
  }
  boost::asio::awaitable<result<void>> touch(std::string key,
                                             std::chrono::milliseconds ttl) override {
    ++touches;
    co_return co_await inner_->touch(std::move(key), ttl);
  }
  boost::asio::awaitable<result<void>> remove(std::string key) override {
    ++removes;
    co_return co_await inner_->remove(std::move(key));
  }
  bool healthy() const override { return inner_->healthy(); }

  int loads = 0, saves = 0, inserts = 0, touches = 0, removes = 0;

 private:
  std::shared_ptr<session_store> inner_;
};

template <class Backend>
class service_test : public ::testing::Test {
 protected:
  service_test() { config_.cache_ttl = 0ms; }

  session_service& service() {
    if (!service_) {
      service_ = std::make_unique<session_service>(counter_, config_, [this] { return now_; });
    }
    return *service_;
  }
  std::optional<session> find(std::string_view id) {
    auto r = run(backend_.io, service().find(id));
    EXPECT_TRUE(r) << r.error().message();
    return r ? *r : std::nullopt;
  }
  std::string create() {
    session s;
    s.attributes["fiscalNumber"] = "RSSMRA80A01H501U";
    s.provider = "spid";
    s.level = 2;
    auto r = run(backend_.io, service().create(s));
    EXPECT_TRUE(r);
    return r ? *r : std::string{};
  }

  Backend backend_;
  std::shared_ptr<counting_store> counter_ = std::make_shared<counting_store>(backend_.store);
  conf::sessions config_;
  time_point now_ = base::system_now();
  std::unique_ptr<session_service> service_;
};

using backends = ::testing::Types<memory_backend, redis_backend>;
TYPED_TEST_SUITE(service_test, backends);

TYPED_TEST(service_test, create_then_find) {
  const std::string id = this->create();
  ASSERT_TRUE(looks_like_session_id(id));
  auto s = this->find(id);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->key, session_key(id));
  EXPECT_EQ(s->fiscal_number(), "RSSMRA80A01H501U");
  EXPECT_EQ(s->created_at, this->now_);
  EXPECT_EQ(s->csrf_token.size(), 43u);
  EXPECT_FALSE(this->find(new_session_id()));  // well-formed but unknown
}

TYPED_TEST(service_test, cache_hit_skips_the_store) {
  this->config_.cache_ttl = 5s;
  const std::string id = this->create();
  this->now_ += 5s;  // the copy cached at creation is too old now
  ASSERT_TRUE(this->find(id));
  ASSERT_TRUE(this->find(id));
  ASSERT_TRUE(this->find(id));
  EXPECT_EQ(this->counter_->loads, 1);
  EXPECT_EQ(this->service().cache().hits(), 2u);
  this->now_ += 5s;
  ASSERT_TRUE(this->find(id));
  EXPECT_EQ(this->counter_->loads, 2);
}

// The first page after a login is asked for right away, on the worker that made the session.
TYPED_TEST(service_test, a_created_session_is_found_without_reading_it_back) {
  this->config_.cache_ttl = 5s;
  const std::string id = this->create();
  auto cached = this->find(id);
  ASSERT_TRUE(cached);
  EXPECT_EQ(this->counter_->loads, 0);
  EXPECT_EQ(this->service().cache().hits(), 1u);
  // The same session the store holds.
  auto stored = run(this->backend_.io, this->backend_.store->load(session_key(id)));
  ASSERT_TRUE(stored);
  ASSERT_TRUE(*stored);
  EXPECT_EQ((*stored)->value.key, cached->key);
  EXPECT_EQ((*stored)->value.csrf_token, cached->csrf_token);
  EXPECT_EQ((*stored)->value.created_at, cached->created_at);
  EXPECT_EQ((*stored)->value.fiscal_number(), cached->fiscal_number());
}

TYPED_TEST(service_test, revocation_evicts_from_cache) {
  this->config_.cache_ttl = 1h;
  const std::string id = this->create();
  ASSERT_TRUE(this->find(id));
  auto feed = this->backend_.subscribe(this->service().revocation_listener());
  // Deleted behind this worker's back (another instance): the feed evicts the cached copy.
  ASSERT_TRUE(run(this->backend_.io, this->backend_.store->remove(session_key(id))));
  ASSERT_TRUE(run_until(this->backend_.io, [&] { return this->service().cache().size() == 0; }));
  EXPECT_FALSE(this->find(id));
}

TYPED_TEST(service_test, garbage_cookies_never_reach_the_store) {
  const std::string good = new_session_id();
  for (const std::string& bad : {std::string{}, std::string("x"), good + "A", good.substr(1),
                                 std::string(43, '!'), std::string(10000, 'A')}) {
    EXPECT_FALSE(this->find(bad));
  }
  EXPECT_EQ(this->counter_->loads, 0);
}

TYPED_TEST(service_test, idle_timeout_is_the_store_expiry) {
  this->config_.idle_timeout = 100ms;
  this->config_.touch_interval = 1h;  // no refresh: let it lapse
  const std::string id = this->create();
  ASSERT_TRUE(this->find(id));
  auto& io = this->backend_.io;
  auto& svc = this->service();
  EXPECT_TRUE(poll_until(
      io,
      [&]() -> boost::asio::awaitable<bool> {
        auto r = co_await svc.find(id);
        co_return r && !*r;
      },
      3s));
}

TYPED_TEST(service_test, absolute_timeout_ends_the_session_and_removes_it) {
  this->config_.cache_ttl = 1h;  // even a cached copy must not outlive the absolute timeout
  this->config_.absolute_timeout = 8h;
  const std::string id = this->create();
  ASSERT_TRUE(this->find(id));
  this->now_ += 8h - 1ms;
  ASSERT_TRUE(this->find(id));
  this->now_ += 1ms;
  EXPECT_FALSE(this->find(id));
  EXPECT_EQ(this->counter_->removes, 1);
  auto stored = run(this->backend_.io, this->backend_.store->load(session_key(id)));
  ASSERT_TRUE(stored);
  EXPECT_FALSE(*stored);
}

TYPED_TEST(service_test, idle_refresh_happens_at_most_once_per_interval) {
  this->config_.idle_timeout = 30min;
  this->config_.touch_interval = 1min;
  const std::string id = this->create();
  const std::string key = session_key(id);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(this->find(id));
  EXPECT_EQ(this->counter_->touches, 0);  // just created: nothing to refresh

  // As if last refreshed two minutes ago.
  ASSERT_TRUE(run(this->backend_.io, this->backend_.store->touch(key, 28min)));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(this->find(id));
  EXPECT_EQ(this->counter_->touches, 1);
  auto stored = run(this->backend_.io, this->backend_.store->load(key));
  ASSERT_TRUE(stored && *stored);
  EXPECT_GT((*stored)->ttl, 29min);
}

TYPED_TEST(service_test, refresh_never_extends_past_the_absolute_deadline) {
  this->config_.idle_timeout = 30min;
  this->config_.absolute_timeout = 1h;
  this->config_.touch_interval = 1min;
  const std::string id = this->create();
  const std::string key = session_key(id);
  ASSERT_TRUE(run(this->backend_.io, this->backend_.store->touch(key, 20min)));
  this->now_ += 35min;  // 25 minutes of absolute time left, less than the idle timeout
  ASSERT_TRUE(this->find(id));
  EXPECT_EQ(this->counter_->touches, 1);
  auto stored = run(this->backend_.io, this->backend_.store->load(key));
  ASSERT_TRUE(stored && *stored);
  EXPECT_LE((*stored)->ttl, 25min);
  EXPECT_GT((*stored)->ttl, 24min);
  // Now the store's expiry is the deadline: nothing left to extend, so no more refreshes.
  this->now_ += 5min;
  ASSERT_TRUE(this->find(id));
  EXPECT_EQ(this->counter_->touches, 1);
}

TYPED_TEST(service_test, update_and_destroy) {
  const std::string id = this->create();
  auto s = this->find(id);
  ASSERT_TRUE(s);
  s->selected_party = "party-7";
  s->environments["prod-io"] = "produzione";
  ASSERT_TRUE(run(this->backend_.io, this->service().update(*s)));
  auto again = this->find(id);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *s);
  ASSERT_TRUE(run(this->backend_.io, this->service().destroy(s->key)));
  EXPECT_FALSE(this->find(id));
}

}  // namespace
}  // namespace varco::session::testing
