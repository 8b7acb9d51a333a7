// What the tests of IdP metadata loaded by URL share: a SAML config whose SPID source is a URL of
// a real HTTP server on loopback (metadata_server.hpp) serving aggregates signed with the saml
// tests' "idp" key, the service built from it, and a refresh run to its end.
#pragma once

#include "gateway/login/idp_url_refresh.hpp"
#include "gateway/login/saml_service.hpp"
#include "metadata_server.hpp"
#include "tests/unit/saml/idp_metadata_fixture.hpp"
#include "tests/unit/saml/sp_test_profile.hpp"
#include "tests/unit/saml/testdata.hpp"

#include <boost/asio/co_spawn.hpp>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace varco::gateway::testing {

using namespace std::chrono_literals;

inline constexpr const char* etag_v1 = "\"v1\"";
inline constexpr const char* modified_v1 = "Tue, 01 Dec 2026 10:00:00 GMT";

class idp_url_fixture : public ::testing::Test {
 protected:
  idp_url_fixture() {
    config_ = saml::test::sp_config();
    config_.spid.configured = true;
    config_.spid.sources = {url_source("/agid.xml")};
    serve(aggregate({"https://idp1.example.it", "https://idp2.example.it"}));
  }

  conf::idp_source url_source(const std::string& path) const {
    conf::idp_source source;
    source.url = server_.url(path);
    source.trust_certificate_file = saml::test::testdata_path("idp.crt").string();
    source.max_bytes = 64 * 1024;
    source.timeout = 5s;
    return source;
  }

  // An EntitiesDescriptor of these IdPs signed by `signer`; `root_attributes` (e.g.
  // cacheDuration="PT2H") are written on its root.
  static std::string aggregate(const std::vector<std::string>& entity_ids,
                               const std::string& root_attributes = "",
                               std::string_view signer = "idp", std::string_view valid_until = "") {
    std::vector<std::string> entities;
    entities.reserve(entity_ids.size());
    for (const auto& id : entity_ids)
      entities.push_back(saml::test::entity_xml(saml::test::idp_spec(id)));
    std::string xml = saml::test::aggregate_xml(entities, valid_until);
    if (!root_attributes.empty())
      xml.replace(xml.find(" ID=\"_aggregate\""), 0, " " + root_attributes);
    return saml::test::sign_root(xml, saml::test::credentials(signer));
  }

  // `body` at every path, with `etag` and Last-Modified modified_v1; a request that names that
  // ETag in If-None-Match gets 304.
  void serve(std::string body, const std::string& cache_control = "",
             const std::string& etag = etag_v1) {
    server_.answer_with(
        [body = std::move(body), cache_control, etag](const metadata_request& request) {
          std::vector<std::pair<std::string, std::string>> fields{{"ETag", etag},
                                                                  {"Last-Modified", modified_v1}};
          if (!cache_control.empty()) fields.emplace_back("Cache-Control", cache_control);
          if (request["If-None-Match"] == etag) return metadata_answer{304, "", fields};
          return metadata_answer{200, body, fields};
        });
  }
  void serve_status(unsigned status) {
    server_.answer_with([status](const metadata_request&) {
      return metadata_answer{status, "<html>down for maintenance</html>", {}};
    });
  }

  std::shared_ptr<const saml_service> build(const saml_service* previous = nullptr) {
    std::vector<std::string> errors;
    auto service = build_saml_service(config_, errors, previous);
    EXPECT_TRUE(service) << (errors.empty() ? "no service" : errors.front());
    return service;
  }
  std::string build_error() {
    std::vector<std::string> errors;
    auto service = build_saml_service(config_, errors);
    EXPECT_FALSE(service);
    return errors.empty() ? "no error" : errors.front();
  }

  // Every URL source made due, then refresh_due_url_sources run to its end: when the next is due.
  idp_url_source::clock::time_point refresh(const saml_service& service) {
    for (const auto& source : service.url_sources) source->next_due = {};
    asio::io_context io;
    std::optional<idp_url_source::clock::time_point> next;
    asio::co_spawn(io, refresh_due_url_sources(service),
                   [&next](const std::exception_ptr& thrown, idp_url_source::clock::time_point at) {
                     if (thrown) std::rethrow_exception(thrown);
                     next = at;
                   });
    io.run();
    return next.value_or(idp_url_source::clock::time_point{});
  }

  // How far `at` is from now, in whole minutes.
  static long minutes_from_now(idp_url_source::clock::time_point at) {
    const auto left = at - idp_url_source::clock::now();
    return std::chrono::duration_cast<std::chrono::minutes>(left + 30s).count();
  }

  saml::test::temp_dir files_;
  metadata_server server_;
  conf::saml config_;
};

}  // namespace varco::gateway::testing
