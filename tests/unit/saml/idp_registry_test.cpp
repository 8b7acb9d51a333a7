// idp_registry: loading every configured source, display overrides, and refresh keeping the last
// good copy of each source (RULES.md §6).
#include "saml/idp_registry.hpp"

#include "tests/unit/saml/idp_metadata_fixture.hpp"
#include "tests/unit/saml/testdata.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace varco::saml::test {
namespace {

using namespace std::chrono_literals;

class idp_registry_test : public ::testing::Test {
 protected:
  idp_registry_test() {
    write("agid.xml", sign_root(aggregate_xml({entity_xml(idp_spec("https://idp1.example.it")),
                                               entity_xml(idp_spec("https://idp2.example.it")),
                                               entity_xml(idp_spec("https://idp3.example.it"))}),
                                credentials("idp")));
    write("local.xml", entity_document(idp_spec("https://local.example.it")));
    write("cie.xml", entity_document(idp_spec("https://cie.example.it")));

    config_.spid.configured = true;
    config_.spid.sources = {{path("agid.xml"), testdata_path("idp.crt").string()},
                            {path("local.xml"), ""}};
    config_.spid.display = {{"https://idp2.example.it", "Secondo IdP", "/static/idp2.svg"}};
    config_.cie.configured = true;
    config_.cie.sources = {{path("cie.xml"), ""}};
    config_.cie.display = {{"https://cie.example.it", "CIE ID", ""}};
  }

  std::string path(const std::string& name) const { return (dir_.path() / name).string(); }
  void write(const std::string& name, const std::string& content) const {
    write_file(dir_.path() / name, content);
  }

  std::shared_ptr<idp_registry> load() {
    auto registry = idp_registry::load(config_, [this] { return now_.load(); });
    EXPECT_TRUE(registry) << registry.error();
    return registry ? *registry : nullptr;
  }

  temp_dir dir_;
  conf::saml config_;
  std::atomic<sys_millis> now_{
      sys_millis{std::chrono::sys_days{std::chrono::year{2030} / 1 / 1}.time_since_epoch()}};
};

TEST_F(idp_registry_test, loads_every_source_with_kinds_and_display_overrides) {
  auto registry = load();
  ASSERT_TRUE(registry);
  auto set = registry->current();
  ASSERT_EQ(set->size(), 5u);
  EXPECT_EQ(set->of_kind(provider_kind::spid).size(), 4u);
  ASSERT_EQ(set->of_kind(provider_kind::cie).size(), 1u);

  const idp_descriptor* second = set->find("https://idp2.example.it");
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->display_name, "Secondo IdP");
  EXPECT_EQ(second->logo, "/static/idp2.svg");
  EXPECT_EQ(set->find("https://idp1.example.it")->display_name, "https://idp1.example.it");
  const idp_descriptor* cie = set->find("https://cie.example.it");
  ASSERT_NE(cie, nullptr);
  EXPECT_EQ(cie->kind, provider_kind::cie);
  EXPECT_EQ(cie->display_name, "CIE ID");
  EXPECT_TRUE(cie->logo.empty());

  const auto& report = registry->load_report();
  EXPECT_TRUE(report.failures.empty());
  EXPECT_EQ(report.idp_count, 5u);
  // The two sources without a trust certificate are worth a warning.
  EXPECT_EQ(report.notices.size(), 2u);
}

TEST_F(idp_registry_test, fails_at_start_up_when_nothing_loads) {
  write("agid.xml", "garbage");
  write("local.xml", "garbage");
  config_.cie.sources = {{path("missing.xml"), ""}};
  auto registry = idp_registry::load(config_);
  ASSERT_FALSE(registry);
  EXPECT_EQ(registry.error().code, reason::metadata_unreadable);
  EXPECT_NE(registry.error().detail.find("missing.xml"), std::string::npos) << registry.error();

  conf::saml nothing;
  EXPECT_FALSE(idp_registry::load(nothing));
}

TEST_F(idp_registry_test, starts_with_the_sources_that_load_and_reports_the_others) {
  write("agid.xml", aggregate_xml({entity_xml(idp_spec("https://idp1.example.it"))}));  // unsigned
  auto registry = load();
  ASSERT_TRUE(registry);
  EXPECT_EQ(registry->current()->size(), 2u);
  const auto& report = registry->load_report();
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_EQ(report.failures[0].file, path("agid.xml"));
  EXPECT_EQ(report.failures[0].why.code, reason::signature_missing);
  EXPECT_FALSE(report.failures[0].kept_last_good);
}

TEST_F(idp_registry_test, refresh_without_changes_publishes_nothing) {
  auto registry = load();
  ASSERT_TRUE(registry);
  auto before = registry->current();
  auto report = registry->refresh();
  EXPECT_FALSE(report.changed);
  EXPECT_TRUE(report.failures.empty());
  EXPECT_EQ(report.idp_count, 5u);
  EXPECT_EQ(registry->current(), before);  // the very same snapshot
}

TEST_F(idp_registry_test, refresh_keeps_the_last_good_copy_of_a_broken_source_and_the_others) {
  auto registry = load();
  ASSERT_TRUE(registry);
  auto before = registry->current();

  write("agid.xml", "<md:EntitiesDescriptor");  // truncated download
  auto report = registry->refresh();
  EXPECT_FALSE(report.changed);
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_EQ(report.failures[0].file, path("agid.xml"));
  EXPECT_EQ(report.failures[0].why.code, reason::malformed_xml);
  EXPECT_TRUE(report.failures[0].kept_last_good);
  EXPECT_EQ(registry->current()->size(), 5u);
  EXPECT_NE(registry->current()->find("https://idp3.example.it"), nullptr);

  // Another source changes meanwhile: picked up, the broken one still served from its last copy.
  write("local.xml", entity_document(idp_spec("https://local2.example.it")));
  report = registry->refresh();
  EXPECT_TRUE(report.changed);
  ASSERT_EQ(report.failures.size(), 1u);
  auto set = registry->current();
  EXPECT_EQ(set->size(), 5u);
  EXPECT_EQ(set->find("https://local.example.it"), nullptr);
  EXPECT_NE(set->find("https://local2.example.it"), nullptr);
  EXPECT_NE(set->find("https://idp1.example.it"), nullptr);
  EXPECT_EQ(set->find("https://idp2.example.it")->display_name, "Secondo IdP");
  // A reader's snapshot taken before stays whole.
  EXPECT_NE(before->find("https://local.example.it"), nullptr);
}

TEST_F(idp_registry_test, refresh_picks_up_a_changed_aggregate) {
  auto registry = load();
  ASSERT_TRUE(registry);
  write("agid.xml", sign_root(aggregate_xml({entity_xml(idp_spec("https://idp1.example.it")),
                                             entity_xml(idp_spec("https://idp4.example.it"))}),
                              credentials("idp")));
  auto report = registry->refresh();
  EXPECT_TRUE(report.changed);
  EXPECT_TRUE(report.failures.empty());
  auto set = registry->current();
  EXPECT_EQ(set->size(), 4u);
  EXPECT_EQ(set->find("https://idp2.example.it"), nullptr);
  EXPECT_NE(set->find("https://idp4.example.it"), nullptr);
  // The display override of an IdP that left the list is reported, not fatal.
  ASSERT_EQ(report.notices.size(), 3u);
  EXPECT_NE(report.notices[2].find("https://idp2.example.it"), std::string::npos);
}

TEST_F(idp_registry_test, refresh_refuses_an_aggregate_signed_by_another_key) {
  auto registry = load();
  ASSERT_TRUE(registry);
  write("agid.xml", sign_root(aggregate_xml({entity_xml(idp_spec("https://evil.example.it"))}),
                              credentials("attacker")));
  auto report = registry->refresh();
  EXPECT_FALSE(report.changed);
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_EQ(report.failures[0].why.code, reason::key_not_trusted);
  EXPECT_EQ(registry->current()->find("https://evil.example.it"), nullptr);
}

TEST_F(idp_registry_test, metadata_that_expires_is_reported_and_its_last_copy_kept) {
  write("cie.xml",
        aggregate_xml({entity_xml(idp_spec("https://cie.example.it"))}, "2030-02-01T00:00:00Z"));
  auto registry = load();
  ASSERT_TRUE(registry);
  now_ = now_.load() + std::chrono::days{40};
  auto report = registry->refresh();
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_EQ(report.failures[0].why.code, reason::metadata_expired);
  EXPECT_TRUE(report.failures[0].kept_last_good);
  EXPECT_NE(registry->current()->find("https://cie.example.it"), nullptr);
}

TEST_F(idp_registry_test, an_entity_listed_twice_is_loaded_once) {
  config_.spid.sources.push_back({path("local.xml"), ""});
  auto registry = load();
  ASSERT_TRUE(registry);
  EXPECT_EQ(registry->current()->size(), 5u);
  bool noticed = false;
  for (const auto& n : registry->load_report().notices) {
    noticed = noticed || n.find("already loaded") != std::string::npos;
  }
  EXPECT_TRUE(noticed);
}

// A URL source's documents come from the caller (the gateway fetches them) and are checked as a
// file's bytes are, with the source's trust certificate.
TEST_F(idp_registry_test, url_sources_take_the_documents_handed_over) {
  conf::idp_source remote;
  remote.url = "https://registry.example.it/entities-idp?output=xml";
  remote.trust_certificate_file = testdata_path("idp.crt").string();
  config_.spid.sources = {remote, {path("local.xml"), ""}};
  auto registry = idp_registry::create(config_, [this] { return now_.load(); });
  ASSERT_EQ(registry->source_count(), 3u);
  EXPECT_TRUE(registry->source(0).is_url());
  EXPECT_EQ(registry->kind(2), provider_kind::cie);

  // The files load; the URL source has no document yet, which is no failure.
  auto report = registry->refresh();
  EXPECT_TRUE(report.changed);
  EXPECT_TRUE(report.failures.empty());
  EXPECT_EQ(registry->current()->size(), 2u);

  const std::string agid = read_file(dir_.path() / "agid.xml");
  report = registry->offer({{0, agid}});
  EXPECT_TRUE(report.changed);
  ASSERT_EQ(report.accepted.size(), 1u);
  EXPECT_EQ(report.accepted[0].source, 0u);
  EXPECT_EQ(registry->current()->size(), 5u);

  // The same bytes again (a 304): checked again, nothing new published.
  auto before = registry->current();
  report = registry->offer({{0, agid}});
  EXPECT_FALSE(report.changed);
  EXPECT_EQ(report.accepted.size(), 1u);
  EXPECT_EQ(registry->current(), before);

  // Signed by another key: refused, named by the URL without its query, the copy kept.
  report = registry->offer(
      {{0, sign_root(aggregate_xml({entity_xml(idp_spec("https://evil.example.it"))}),
                     credentials("attacker"))}});
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_EQ(report.failures[0].why.code, reason::key_not_trusted);
  EXPECT_EQ(report.failures[0].file, "https://registry.example.it/entities-idp");
  EXPECT_EQ(report.failures[0].source, 0u);
  EXPECT_TRUE(report.failures[0].kept_last_good);
  EXPECT_TRUE(report.accepted.empty());
  EXPECT_EQ(registry->current(), before);

  // A document for a file source is ignored: files are read, never handed over.
  report = registry->offer({{1, agid}});
  EXPECT_FALSE(report.changed);
  EXPECT_TRUE(report.accepted.empty());
}

TEST_F(idp_registry_test, a_url_source_without_a_trust_certificate_takes_nothing) {
  conf::idp_source remote;
  remote.url = "https://registry.example.it/agid.xml";
  config_.spid.sources = {remote};
  auto registry = idp_registry::create(config_, [this] { return now_.load(); });
  auto report =
      registry->offer({{0, aggregate_xml({entity_xml(idp_spec("https://idp1.example.it"))})}});
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_EQ(report.failures[0].why.code, reason::signature_missing);
  EXPECT_EQ(registry->current()->find("https://idp1.example.it"), nullptr);
}

TEST_F(idp_registry_test, readers_see_whole_snapshots_while_refreshes_swap_them) {
  auto registry = load();
  ASSERT_TRUE(registry);
  std::atomic<bool> stop{false};
  std::atomic<int> torn{0};
  std::thread reader([&] {
    while (!stop.load()) {
      auto set = registry->current();
      if (set->size() != 5u) ++torn;
    }
  });
  for (int i = 0; i < 20; ++i) {
    write("local.xml",
          entity_document(idp_spec("https://local" + std::to_string(i) + ".example.it")));
    EXPECT_TRUE(registry->refresh().changed);
  }
  stop = true;
  reader.join();
  EXPECT_EQ(torn.load(), 0);
}

}  // namespace
}  // namespace varco::saml::test
