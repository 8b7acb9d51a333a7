// Two varco instances sharing one Redis, under load. A real SPID login (the demo pysaml2 IdP)
// makes the session; the other instance serves it to the upstream with the identity; a logout
// on either instance ends it on both, although both have it in their local cache for ten minutes:
// the revocation travels over Redis pub/sub, not by cache expiry.
#include "tests/faults/store_load.hpp"
#include "tests/faults/store_stack.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/test_sessions.hpp"

#include <gtest/gtest.h>

#include <iostream>
#include <memory>
#include <vector>

namespace varco::faults {
namespace {

std::string url(std::uint16_t port, const std::string& target) {
  return "http://127.0.0.1:" + std::to_string(port) + target;
}

std::string logout_csrf(browser& b, std::uint16_t port) {
  const auto area = b.get(url(port, "/area"));
  for (const auto& form : parse_forms(area.body))
    if (form.action == "/logout") return form.field("csrf");
  return {};
}

// Proxied requests with `cookie` to both instances until stopped. Each thread remembers whether
// it was refused (401): after that, the session is gone from the store and from the cache of the
// worker that answered, so any later 200 on that thread would be a session revived by a cache.
class session_users {
 public:
  session_users(std::uint16_t port, const std::string& cookie, const std::atomic<int>& phase)
      : refused_(std::max(2u, load_threads() / 2)) {
    for (auto& r : refused_) r = false;
    load_ = std::make_unique<client_load>(
        port, static_cast<unsigned>(refused_.size()),
        [this, cookie](unsigned thread, std::uint64_t) -> planned_request {
          return {"proxied", "/pagopa-collaudo/x", api_cookie(cookie),
                  [this, thread](const http_response& r) {
                    if (r.status == 401) refused_[thread] = true;
                    if (r.status == 200)
                      return !refused_[thread] &&
                             echoed_header(r, "X-Varco-User-Fiscal-Number") == mario_cf;
                    return r.status == 401;
                  }};
        },
        phase);
  }
  bool all_refused() const {
    for (const auto& r : refused_)
      if (!r) return false;
    return true;
  }
  client_load& load() { return *load_; }

 private:
  std::vector<std::atomic<bool>> refused_;
  std::unique_ptr<client_load> load_;
};

// Logs in, uses the session on both instances under load, logs out on `logout_port`; checks
// the other instance refuses it too.
void logout_on_one_ends_it_on_both(store_stack& stack, std::uint16_t a, std::uint16_t b,
                                   std::uint16_t logout_port) {
  browser user;
  const auto acs = stack.login(user, a);
  ASSERT_EQ(acs.status, 303u) << acs.body << stack.varco->output();
  const auto cookie = user.cookie(session_cookie);
  ASSERT_TRUE(cookie);

  // Served on both instances, identity included; every worker of each caches it (fresh
  // connections spread over the workers).
  for (const auto port : {a, b})
    for (int i = 0; i < 6; ++i) {
      const auto answer = http_get(port, "/pagopa-collaudo/x", api_cookie(*cookie));
      ASSERT_EQ(answer.status, 200u) << answer.body;
      EXPECT_EQ(echoed_header(answer, "X-Varco-User-Fiscal-Number"), mario_cf);
      EXPECT_EQ(echoed_header(answer, "X-Varco-Party-Role"), "MANAGER");
      EXPECT_FALSE(echoed_header(answer, "X-Varco-Identity-Token").empty());
    }

  std::atomic<int> phase{0};
  session_users on_a(a, *cookie, phase);
  session_users on_b(b, *cookie, phase);
  const auto loading_since = std::chrono::steady_clock::now();
  ASSERT_TRUE(eventually(
      [&] {
        return on_a.load().answered() > 30 && on_b.load().answered() > 30 &&
               std::chrono::steady_clock::now() - loading_since >= load_phase();
      },
      load_phase() + std::chrono::seconds(60), std::chrono::milliseconds(20)));

  const std::string csrf = logout_csrf(user, logout_port);
  ASSERT_FALSE(csrf.empty());
  phase = 1;  // from here on the session may be gone: 200 or 401
  const auto logout = user.post_form(url(logout_port, "/logout"), {{"csrf", csrf}});
  // Local logout, then on to the IdP for Single Logout (302), or done here (200).
  EXPECT_TRUE(logout.status == 302 || logout.status == 200) << logout.status << logout.body;
  EXPECT_FALSE(test::session_exists(stack.redis->port(), *cookie));

  // Every load thread on both instances gets refused, far within the 10-minute cache TTL.
  EXPECT_TRUE(eventually([&] { return on_a.all_refused() && on_b.all_refused(); },
                         std::chrono::seconds(30), std::chrono::milliseconds(10)));
  for (const auto port : {a, b})
    for (int i = 0; i < 6; ++i)
      EXPECT_EQ(http_get(port, "/pagopa-collaudo/x", api_cookie(*cookie)).status, 401u);
  on_a.load().stop();
  on_b.load().stop();
  std::cout << "[ outcomes on " << a << " ]\n"
            << on_a.load().report() << "[ outcomes on " << b << " ]\n"
            << on_b.load().report();

  for (auto* users : {&on_a, &on_b}) {
    const auto& outcomes = users->load().outcomes();
    const auto before = outcomes.find({"proxied", 0});
    ASSERT_NE(before, outcomes.end());
    EXPECT_EQ(before->second.count(200), before->second.answered()) << users->load().report();
    const auto total = users->load().total("proxied");
    EXPECT_EQ(total.count(200) + total.count(401), total.answered()) << users->load().report();
    EXPECT_EQ(total.invalid, 0u) << users->load().report();
    EXPECT_EQ(total.broken + total.refused, 0u) << users->load().report();
  }
}

TEST(two_instances, a_spid_session_made_on_one_serves_on_the_other_and_logout_anywhere_ends_it) {
  store_stack stack;  // cache_ttl 10m
  auto second = stack.another_instance();
  const auto a = stack.varco->port();
  const auto b = second->port();
  ASSERT_TRUE(store_stack::store_up_everywhere(a));
  ASSERT_TRUE(store_stack::store_up_everywhere(b));

  logout_on_one_ends_it_on_both(stack, a, b, b);  // logout on B ends it on A
  logout_on_one_ends_it_on_both(stack, a, b, a);  // and the other way round
  EXPECT_TRUE(stack.varco->running());
  EXPECT_TRUE(second->running());
}

}  // namespace
}  // namespace varco::faults
