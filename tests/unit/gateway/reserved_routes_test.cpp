// The reserved-route table: every path varco answers, found by its own path, with its methods.
#include "gateway/routing/reserved_routes.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace varco::gateway {
namespace {

TEST(reserved_routes, every_entry_is_found_by_its_own_path_and_named_once) {
  std::set<std::pair<std::string_view, path_match>> seen;
  for (const auto& route : reserved_routes()) {
    EXPECT_TRUE(seen.emplace(route.path, route.match).second) << route.path << " twice";
    const reserved_route* found = find_reserved_route(route.path);
    ASSERT_NE(found, nullptr) << route.path;
    if (route.match == path_match::exact) {
      EXPECT_EQ(found, &route) << route.path;
    }
  }
}

TEST(reserved_routes, a_namespace_holds_what_no_entry_names) {
  const auto* unknown_area = find_reserved_route("/area/nothing");
  ASSERT_NE(unknown_area, nullptr);
  EXPECT_EQ(unknown_area->endpoint, reserved_endpoint::area_unknown);
  const auto* unknown_saml = find_reserved_route("/saml/nothing");
  ASSERT_NE(unknown_saml, nullptr);
  EXPECT_EQ(unknown_saml->endpoint, reserved_endpoint::not_found);
  EXPECT_EQ(unknown_saml->kind, route_class::saml);
  const auto* asset = find_reserved_route("/static/varco/varco.css");
  ASSERT_NE(asset, nullptr);
  EXPECT_EQ(asset->owner, endpoint_owner::files);
  const auto* script = find_reserved_route("/static/varco/autopost.js");
  ASSERT_NE(script, nullptr);
  EXPECT_EQ(script->owner, endpoint_owner::login) << "an exact entry wins over its namespace";
}

TEST(reserved_routes, product_paths_are_not_varcos) {
  for (auto p : {"/", "/pagopa", "/pagopa/area", "/areas", "/x/saml/acs", "/login.html"})
    EXPECT_EQ(find_reserved_route(p), nullptr) << p;
}

TEST(reserved_routes, only_routes_that_take_a_form_read_a_body) {
  for (const auto& route : reserved_routes()) {
    const bool takes_post =
        (static_cast<unsigned>(route.methods) & static_cast<unsigned>(method_set::post)) != 0 &&
        route.methods != method_set::any;
    EXPECT_EQ(route.max_body_bytes != 0, takes_post) << route.path;
  }
  EXPECT_EQ(reserved_body_limit("/saml/acs"), saml_form_bytes);
  EXPECT_EQ(reserved_body_limit("/area/support"), support_form_bytes);
  EXPECT_EQ(reserved_body_limit("/area"), 0U);
  EXPECT_EQ(reserved_body_limit("/pagopa/upload"), 0U);
}

TEST(reserved_routes, methods_and_the_allow_field_agree) {
  EXPECT_TRUE(method_allowed(method_set::get, true, false));
  EXPECT_FALSE(method_allowed(method_set::get, false, true));
  EXPECT_TRUE(method_allowed(method_set::post, false, true));
  EXPECT_FALSE(method_allowed(method_set::post, true, false));
  EXPECT_TRUE(method_allowed(method_set::get_post, true, false));
  EXPECT_TRUE(method_allowed(method_set::get_post, false, true));
  EXPECT_FALSE(method_allowed(method_set::get_post, false, false)) << "PUT, DELETE, ...";
  EXPECT_TRUE(method_allowed(method_set::any, false, false));
  EXPECT_EQ(allow_field(method_set::get), "GET, HEAD");
  EXPECT_EQ(allow_field(method_set::post), "POST");
  EXPECT_EQ(allow_field(method_set::get_post), "GET, HEAD, POST");
}

}  // namespace
}  // namespace varco::gateway
