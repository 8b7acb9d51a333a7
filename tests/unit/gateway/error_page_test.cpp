#include "gateway/http/error_page.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace varco::gateway {
namespace {

TEST(error_page, json_fields) {
  auto e = upstream_timeout_error("Piattaforma pagoPA", "Collaudo");
  e.request_id = "r-1";
  const auto v = boost::json::parse(render_json(e)).as_object();
  EXPECT_EQ(v.at("status").as_int64(), 504);
  EXPECT_EQ(v.at("error").as_string(), "upstream_timeout");
  EXPECT_EQ(v.at("message").as_string(), e.detail_en);
  EXPECT_EQ(v.at("messaggio").as_string(), e.detail_it);
  EXPECT_EQ(v.at("product").as_string(), "Piattaforma pagoPA");
  EXPECT_EQ(v.at("environment").as_string(), "Collaudo");
  EXPECT_EQ(v.at("request_id").as_string(), "r-1");

  const auto n = boost::json::parse(render_json(login_required_error())).as_object();
  EXPECT_TRUE(n.at("product").is_null());
  EXPECT_TRUE(n.at("request_id").is_null());
}

TEST(error_page, json_escapes) {
  auto e = forbidden_error("role_required", "Serve \"admin\".", "Needs \"admin\"\n.");
  const auto s = render_json(e);
  EXPECT_EQ(s.find('\n'), std::string::npos);
  const auto v = boost::json::parse(s).as_object();
  EXPECT_EQ(v.at("message").as_string(),
            "You are not allowed to access this resource. Needs \"admin\"\n.");
}

TEST(error_page, canned_statuses_and_codes) {
  const std::vector<std::pair<error_info, std::pair<unsigned, std::string_view>>> cases{
      {bad_request_error(), {400, "bad_request"}},
      {bad_request_error("path_bad_escape"), {400, "path_bad_escape"}},
      {login_required_error(), {401, "login_required"}},
      {forbidden_error("party_not_member", "a", "b"), {403, "party_not_member"}},
      {no_route_error(), {404, "no_route"}},
      {environment_not_chosen_error("p"), {409, "environment_not_chosen"}},
      {payload_too_large_error(), {413, "payload_too_large"}},
      {header_too_large_error(), {431, "header_too_large"}},
      {upstream_unavailable_error("p", "e"), {502, "upstream_unavailable"}},
      {store_unavailable_error(), {503, "store_unavailable"}},
      {upstream_timeout_error("p", "e"), {504, "upstream_timeout"}}};
  for (const auto& [e, expected] : cases) {
    EXPECT_EQ(e.status, expected.first);
    EXPECT_EQ(e.reason_code, expected.second);
    EXPECT_FALSE(e.title_it.empty());
    EXPECT_FALSE(e.title_en.empty());
    EXPECT_FALSE(e.detail_it.empty());
    EXPECT_FALSE(e.detail_en.empty());
  }
  EXPECT_NE(forbidden_error("x", "Motivo.", "Reason.").detail_it.find("Motivo."),
            std::string::npos);
}

struct accept_case {
  std::string_view accept;
  bool json;
};

TEST(wants_json, rule) {
  const accept_case cases[] = {
      // Browsers.
      {"text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8", false},
      {"text/html, */*", false},
      {"application/xhtml+xml", false},
      // API clients.
      {"application/json", true},
      {"application/json, text/plain, */*", true},
      {"*/*", true},
      {"", true},
      {"application/problem+json", true},
      {"text/plain", true},
      // q-values decide between the two.
      {"text/html;q=0.5, application/json", true},
      {"application/json;q=0.5, text/html", false},
      {"application/json, text/html", false},
      {"text/html;q=0, */*", true},
      {"TEXT/HTML;Q=0.9, Application/JSON;q=1.0", true},
      {"text/html;level=1;q=0.2, application/json;q=0.3", true},
      {"text/html;q=bogus, application/json", true},
  };
  for (const auto& c : cases) EXPECT_EQ(wants_json(c.accept), c.json) << c.accept;
}

}  // namespace
}  // namespace varco::gateway
