// IdP metadata loaded by URL over real HTTP on loopback: the fetch before the service exists, the
// conditional GET and its 304, every refusal (signature, validUntil, size, status, network) with
// its reason while the last good copy keeps serving, the cache file, a reload that carries the
// copy over, and the counters of /metrics.
#include "idp_url_fixture.hpp"

#include <filesystem>

namespace varco::gateway::testing {
namespace {

std::uint64_t count(const saml_service& service, idp_fetch_outcome outcome) {
  return service.url_sources.front()->count_of(outcome);
}

TEST_F(idp_url_fixture, a_signed_aggregate_is_fetched_before_the_service_is_built) {
  auto service = build();
  ASSERT_TRUE(service);
  EXPECT_EQ(service->idps->current()->size(), 2u);
  EXPECT_NE(service->idps->current()->find("https://idp2.example.it"), nullptr);

  const auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target(), "/agid.xml");
  EXPECT_NE(requests[0]["Accept"].find("application/samlmetadata+xml"), std::string::npos);
  // Nothing to revalidate yet: a plain GET.
  EXPECT_EQ(requests[0].count("If-None-Match"), 0u);

  ASSERT_EQ(service->url_sources.size(), 1u);
  const auto& source = *service->url_sources.front();
  EXPECT_EQ(source.label(), server_.url("/agid.xml"));
  EXPECT_EQ(count(*service, idp_fetch_outcome::loaded), 1u);
  EXPECT_GT(source.last_success(), 1.7e9);
  EXPECT_EQ(source.etag, etag_v1);
  // No cacheDuration, no Cache-Control: the next fetch after idp_refresh (1 h).
  EXPECT_EQ(minutes_from_now(source.next_due), 60);
}

TEST_F(idp_url_fixture, a_304_keeps_the_copy_in_service) {
  auto service = build();
  ASSERT_TRUE(service);
  const auto before = service->idps->current();
  refresh(*service);
  const auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1]["If-None-Match"], etag_v1);
  EXPECT_EQ(requests[1]["If-Modified-Since"], modified_v1);
  EXPECT_EQ(service->idps->current(), before);  // the very same snapshot
  EXPECT_EQ(count(*service, idp_fetch_outcome::not_modified), 1u);
  EXPECT_EQ(service->url_sources.front()->failures_in_a_row, 0u);
}

TEST_F(idp_url_fixture, a_changed_document_replaces_the_copy) {
  auto service = build();
  ASSERT_TRUE(service);
  server_.answer_with([](const metadata_request&) {
    return metadata_answer{200, aggregate({"https://idp3.example.it"}), {{"ETag", "\"v2\""}}};
  });
  refresh(*service);
  auto set = service->idps->current();
  EXPECT_EQ(set->size(), 1u);
  EXPECT_NE(set->find("https://idp3.example.it"), nullptr);
  EXPECT_EQ(service->url_sources.front()->etag, "\"v2\"");
  EXPECT_EQ(count(*service, idp_fetch_outcome::loaded), 2u);
}

// Every way a fetch can fail leaves the last good copy serving, counted under its own outcome.
TEST_F(idp_url_fixture, each_refusal_keeps_the_last_good_copy_with_its_reason) {
  auto service = build();
  ASSERT_TRUE(service);
  const auto good = service->idps->current();
  const auto& source = *service->url_sources.front();

  struct refusal {
    const char* what;
    std::function<void()> arrange;
    idp_fetch_outcome outcome;
  };
  const std::vector<refusal> refusals{
      {"signed by another key",
       [&] {
         server_.answer_with([](const metadata_request&) {
           return metadata_answer{200, aggregate({"https://evil.example.it"}, "", "attacker"), {}};
         });
       },
       idp_fetch_outcome::signature_invalid},
      {"unsigned",
       [&] {
         server_.answer_with([](const metadata_request&) {
           return metadata_answer{200,
                                  saml::test::aggregate_xml({saml::test::entity_xml(
                                      saml::test::idp_spec("https://evil.example.it"))}),
                                  {}};
         });
       },
       idp_fetch_outcome::signature_invalid},
      {"validUntil passed",
       [&] {
         server_.answer_with([](const metadata_request&) {
           return metadata_answer{
               200, aggregate({"https://idp9.example.it"}, "", "idp", "2020-01-01T00:00:00Z"), {}};
         });
       },
       idp_fetch_outcome::expired},
      {"over max_bytes",
       [&] {
         server_.answer_with([](const metadata_request&) {
           return metadata_answer{200, std::string(128 * 1024, 'x'), {}};
         });
       },
       idp_fetch_outcome::too_large},
      {"not metadata",
       [&] {
         server_.answer_with([](const metadata_request&) {
           return metadata_answer{200, "<html>hello</html>", {}};
         });
       },
       idp_fetch_outcome::invalid},
      {"HTTP 500", [&] { serve_status(500); }, idp_fetch_outcome::http_error},
      {"a redirect, not followed",
       [&] {
         server_.answer_with([](const metadata_request&) {
           return metadata_answer{302, "", {{"Location", "https://elsewhere.example.it/md"}}};
         });
       },
       idp_fetch_outcome::http_error},
      {"the server is gone", [&] { server_.stop(); }, idp_fetch_outcome::fetch_failed},
  };
  unsigned failures = 0;
  for (const auto& r : refusals) {
    SCOPED_TRACE(r.what);
    const auto before = source.count_of(r.outcome);
    r.arrange();
    const auto next = refresh(*service);
    ++failures;
    EXPECT_EQ(source.count_of(r.outcome), before + 1);
    EXPECT_EQ(service->idps->current(), good);
    EXPECT_EQ(source.failures_in_a_row, failures);
    // Retried sooner than idp_refresh: a minute, doubling with each failure in a row.
    EXPECT_EQ(minutes_from_now(next), std::min(60L, 1L << (failures - 1)));
  }
  EXPECT_EQ(count(*service, idp_fetch_outcome::loaded), 1u);
}

TEST_F(idp_url_fixture, start_up_fails_naming_the_url_and_the_reason_when_nothing_loads) {
  serve_status(503);
  EXPECT_EQ(build_error(), "saml: IdP metadata: no IdP could be loaded; " +
                               server_.url("/agid.xml") +
                               ": HTTP 503 (reason=metadata_http_error)");
  server_.answer_with([](const metadata_request&) {
    return metadata_answer{200, aggregate({"https://evil.example.it"}, "", "attacker"), {}};
  });
  EXPECT_NE(build_error().find("key_not_trusted"), std::string::npos);
  server_.stop();
  EXPECT_EQ(build_error(), "saml: IdP metadata: no IdP could be loaded; " +
                               server_.url("/agid.xml") +
                               ": fetch_connect_failed (reason=metadata_fetch_failed)");
}

TEST_F(idp_url_fixture, another_source_lets_start_up_go_on_without_the_url) {
  const auto local = files_.path() / "local.xml";
  saml::test::write_file(
      local, saml::test::entity_document(saml::test::idp_spec("https://local.example.it")));
  config_.spid.sources.push_back({local.string(), ""});
  serve_status(500);
  auto service = build();
  ASSERT_TRUE(service);
  EXPECT_EQ(service->idps->current()->size(), 1u);
  EXPECT_EQ(count(*service, idp_fetch_outcome::http_error), 1u);
  // Fetched again within a minute, and then it joins the file's IdP.
  EXPECT_EQ(minutes_from_now(service->url_sources.front()->next_due), 1);
  serve(aggregate({"https://idp1.example.it"}));
  refresh(*service);
  EXPECT_EQ(service->idps->current()->size(), 2u);
}

TEST_F(idp_url_fixture, the_cache_file_serves_when_the_url_is_down_at_start_up) {
  const auto cache = files_.path() / "agid-cache.xml";
  config_.spid.sources[0].cache_file = cache.string();
  ASSERT_TRUE(build());
  // Every new document that verified is kept on disk.
  ASSERT_TRUE(std::filesystem::exists(cache));
  EXPECT_NE(saml::test::read_file(cache).find("https://idp2.example.it"), std::string::npos);

  serve_status(503);
  auto service = build();
  ASSERT_TRUE(service);
  EXPECT_EQ(service->idps->current()->size(), 2u);
  const auto& source = *service->url_sources.front();
  EXPECT_EQ(source.count_of(idp_fetch_outcome::http_error), 1u);
  EXPECT_TRUE(source.etag.empty());  // the copy's validators are unknown: the next GET is plain

  // A cache file that does not verify is no fallback.
  saml::test::write_file(cache, aggregate({"https://evil.example.it"}, "", "attacker"));
  EXPECT_NE(build_error().find("HTTP 503"), std::string::npos);
}

TEST_F(idp_url_fixture, a_reload_carries_the_copy_over_without_fetching_again) {
  auto first = build();
  ASSERT_TRUE(first);
  server_.stop();  // the registry is down during the reload: nothing is fetched anyway
  auto second = build(first.get());
  ASSERT_TRUE(second);
  EXPECT_EQ(server_.requests().size(), 1u);
  EXPECT_EQ(second->idps->current()->size(), 2u);
  const auto& source = *second->url_sources.front();
  EXPECT_EQ(source.count_of(idp_fetch_outcome::loaded), 1u);
  EXPECT_EQ(source.etag, etag_v1);
  EXPECT_EQ(source.next_due, first->url_sources.front()->next_due);

  // A source the previous service did not have is fetched.
  config_.spid.sources[0] = url_source("/other.xml");
  EXPECT_NE(build_error().find("/other.xml: fetch_connect_failed"), std::string::npos);
}

TEST_F(idp_url_fixture, a_reload_with_another_trust_certificate_checks_the_copy_again) {
  auto first = build();
  ASSERT_TRUE(first);
  config_.spid.sources[0].trust_certificate_file =
      saml::test::testdata_path("attacker.crt").string();
  // The copy no longer verifies; the fetch brings the same document, refused too.
  EXPECT_NE(build_error().find("key_not_trusted"), std::string::npos);
  EXPECT_EQ(server_.requests().size(), 2u);
  EXPECT_EQ(server_.requests()[1].count("If-None-Match"), 0u);
}

TEST_F(idp_url_fixture, metrics_count_each_outcome_per_source) {
  auto service = build();
  ASSERT_TRUE(service);
  refresh(*service);  // 304
  serve_status(500);
  refresh(*service);
  std::string text;
  metrics_writer out(text);
  write_idp_metadata_metrics(*service, out);
  const std::string source = "source=\"" + server_.url("/agid.xml") + "\"";
  for (const auto& [outcome, value] : std::vector<std::pair<std::string, int>>{
           {"loaded", 1}, {"not_modified", 1}, {"http_error", 1}, {"fetch_failed", 0}}) {
    std::string sample = "varco_idp_metadata_fetches_total{" + source;
    sample += ",outcome=\"" + outcome + "\"} ";
    sample += std::to_string(value) + "\n";
    EXPECT_NE(text.find(sample), std::string::npos) << sample << text;
  }
  EXPECT_NE(text.find("# TYPE varco_idp_metadata_last_success_timestamp_seconds gauge"),
            std::string::npos);
  const std::string gauge = "varco_idp_metadata_last_success_timestamp_seconds{" + source + "} ";
  const auto at = text.find(gauge);
  ASSERT_NE(at, std::string::npos) << text;
  EXPECT_GT(std::stod(text.substr(at + gauge.size())), 1.7e9);  // a recent Unix time
}

// Two URLs that differ only in their query would name the same series: the second gets its
// source's number.
TEST_F(idp_url_fixture, sources_that_look_alike_have_labels_of_their_own) {
  auto other = url_source("/agid.xml?output=xml");
  config_.spid.sources.push_back(other);
  auto service = build();
  ASSERT_TRUE(service);
  ASSERT_EQ(service->url_sources.size(), 2u);
  EXPECT_EQ(service->url_sources[0]->label(), server_.url("/agid.xml"));
  EXPECT_EQ(service->url_sources[1]->label(), server_.url("/agid.xml") + " #1");
  // The same IdPs from both: the first source wins, the set holds each once.
  EXPECT_EQ(service->idps->current()->size(), 2u);
}

}  // namespace
}  // namespace varco::gateway::testing
