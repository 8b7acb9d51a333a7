// When a URL source is fetched again: the earliest of the document's cacheDuration and validUntil,
// the response's Cache-Control and idp_refresh, with a floor; retries after failures; and the
// refresh loop of the server's control thread fetching on that schedule.
#include "gateway/endpoint/runtime.hpp"
#include "idp_url_fixture.hpp"

namespace varco::gateway::testing {
namespace {

using std::chrono::milliseconds;

TEST(idp_url_schedule, the_next_fetch_is_the_earliest_bound_with_a_floor) {
  const std::chrono::system_clock::time_point now =
      std::chrono::time_point_cast<milliseconds>(std::chrono::system_clock::now());
  const milliseconds day = 24h;
  saml::metadata_timing none;
  EXPECT_EQ(next_fetch_after_success(none, "", day, now), day);
  EXPECT_EQ(next_fetch_after_success(none, "public", day, now), day);  // says nothing of freshness
  EXPECT_EQ(next_fetch_after_success(none, "max-age=600", day, now), 10min);
  EXPECT_EQ(next_fetch_after_success(none, "public, max-age=600000", day, now), day);
  EXPECT_EQ(next_fetch_after_success(none, "no-cache", day, now), 1min);  // the floor

  saml::metadata_timing cached{std::chrono::seconds(2h), std::nullopt};
  EXPECT_EQ(next_fetch_after_success(cached, "", day, now), 2h);
  EXPECT_EQ(next_fetch_after_success(cached, "max-age=600", day, now), 10min);
  EXPECT_EQ(next_fetch_after_success(cached, "", 1h, now), 1h);
  cached.cache_duration = std::chrono::seconds(1);
  EXPECT_EQ(next_fetch_after_success(cached, "", day, now), 1min);  // the floor
  EXPECT_EQ(next_fetch_after_success(cached, "", 10s, now), 10s);   // idp_refresh under a minute

  saml::metadata_timing expiring{std::nullopt,
                                 std::chrono::time_point_cast<milliseconds>(now + 3h)};
  EXPECT_EQ(next_fetch_after_success(expiring, "", day, now), 3h);
}

TEST(idp_url_schedule, retries_double_from_a_minute_up_to_idp_refresh) {
  EXPECT_EQ(next_fetch_after_failure(1, 24h), 1min);
  EXPECT_EQ(next_fetch_after_failure(2, 24h), 2min);
  EXPECT_EQ(next_fetch_after_failure(5, 24h), 16min);
  EXPECT_EQ(next_fetch_after_failure(8, 24h), 128min);
  EXPECT_EQ(next_fetch_after_failure(1000, 24h), 128min);
  EXPECT_EQ(next_fetch_after_failure(5, 10min), 10min);
  EXPECT_EQ(next_fetch_after_failure(1, 5s), 5s);
}

// Over HTTP: the document's cacheDuration and the response's Cache-Control set the next fetch.
TEST_F(idp_url_fixture, the_refresh_interval_follows_cache_duration_and_cache_control) {
  config_.idp_refresh = 24h;
  serve(aggregate({"https://idp1.example.it"}, "cacheDuration=\"PT2H\""));
  auto service = build();
  ASSERT_TRUE(service);
  const auto& source = *service->url_sources.front();
  EXPECT_EQ(minutes_from_now(source.next_due), 120);
  // A 304 reads the copy's cacheDuration again.
  EXPECT_EQ(minutes_from_now(refresh(*service)), 120);

  serve(aggregate({"https://idp1.example.it"}, "cacheDuration=\"PT2H\""), "max-age=900");
  EXPECT_EQ(minutes_from_now(refresh(*service)), 15);

  serve(aggregate({"https://idp1.example.it"}), "", "\"v2\"");  // a new document
  EXPECT_EQ(minutes_from_now(refresh(*service)), 24 * 60);
}

// The loop the server runs on its control thread: with idp_refresh at 200 ms it fetches again
// and again (304s), and stops when told.
TEST_F(idp_url_fixture, the_refresher_fetches_each_source_as_it_falls_due) {
  config_.idp_refresh = 200ms;
  auto service = build();
  ASSERT_TRUE(service);
  auto current = std::make_shared<runtime>();
  current->saml = service;
  asio::io_context control;
  idp_url_refresher refresher(control, [current] { return current; });
  refresher.start();
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (server_.requests().size() < 4 && std::chrono::steady_clock::now() < deadline)
    control.run_for(50ms);
  EXPECT_GE(server_.requests().size(), 4u);
  EXPECT_GE(service->url_sources.front()->count_of(idp_fetch_outcome::not_modified), 2u);
  refresher.stop();
  control.run_for(300ms);
  const auto after_stop = server_.requests().size();
  control.run_for(500ms);
  EXPECT_EQ(server_.requests().size(), after_stop);
}

}  // namespace
}  // namespace varco::gateway::testing
