// IdP metadata loaded by URL end to end: the real varco fetches the demo IdP's signed metadata
// from the IdP's own /metadata over HTTP (verified with the certificate the IdP signs with), a
// login goes through that IdP, a reload keeps the copy without fetching again, and a URL that
// cannot be fetched stops the start with a message naming it.
#include "tests/integration/saml_flows.hpp"
#include "tests/integration/saml_stack.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/ports.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <stdexcept>

namespace varco::integration {
namespace {

constexpr const char* by_url =
    "[{url: '{idp_metadata_url}', trust_certificate: '{idp_certificate}', "
    "cache_file: idp-cache.xml}]";

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(saml_metadata_url, login_through_an_idp_whose_metadata_varco_fetched) {
  saml_stack stack({.spid_metadata = by_url});
  const std::string url = "http://127.0.0.1:" + std::to_string(stack.idp->port()) + "/metadata";
  test::browser b;
  auto acs = stack.login(b, mario_cf);
  ASSERT_EQ(acs.status, 303u) << acs.body << stack.varco->output();
  EXPECT_EQ(b.get(stack.url("/area")).status, 200u);

  const auto metrics = http_get(stack.port(), "/metrics").body;
  EXPECT_NE(metrics.find("varco_idp_metadata_fetches_total{source=\"" + url +
                         "\",outcome=\"loaded\"} 1\n"),
            std::string::npos)
      << metrics;
  // The verified copy is kept on disk for a start while the IdP is unreachable.
  EXPECT_NE(read_file(stack.varco->dir() / "idp-cache.xml").find(stack.idp->entity_id()),
            std::string::npos);

  // A reload keeps the copy, its validators and its schedule: no second fetch.
  stack.varco->signal(SIGHUP);
  ASSERT_TRUE(eventually([&] {
    return stack.varco->output().find("configuration reloaded") != std::string::npos;
  })) << stack.varco->output();
  EXPECT_EQ(occurrences(stack.varco->output(), "IdP metadata: " + url + ": loaded"), 1u)
      << stack.varco->output();
  test::browser again;
  EXPECT_EQ(stack.login(again, mario_cf).status, 303u) << stack.varco->output();
}

TEST(saml_metadata_url, a_url_that_cannot_be_fetched_stops_the_start_with_its_reason) {
  const std::string closed = "http://127.0.0.1:" + std::to_string(pick_free_port()) + "/metadata";
  try {
    saml_stack stack(
        {.spid_metadata = "[{url: '" + closed + "', trust_certificate: '{idp_certificate}'}]"});
    FAIL() << "varco started without any IdP";
  } catch (const std::runtime_error& e) {
    const std::string output = e.what();
    EXPECT_NE(output.find("no IdP could be loaded; " + closed +
                          ": fetch_connect_failed (reason=metadata_fetch_failed)"),
              std::string::npos)
        << output;
    EXPECT_NE(output.find("reason=config_invalid"), std::string::npos) << output;
  }
}

}  // namespace
}  // namespace varco::integration
