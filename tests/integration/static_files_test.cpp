// /static served by the real varco from the real npm install (web/node_modules, put there by
// scripts/test through ensure_web_assets), and the security headers on varco's own pages: over
// plain HTTP and over the TLS listener.
#include "tests/integration/integration_stack.hpp"
#include "tests/support/test_files.hpp"

#include <boost/asio/ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <filesystem>
#include <zlib.h>

namespace varco::integration {
namespace {

namespace http = boost::beast::http;

const std::string web_modules = VARCO_WEB_MODULES;
const std::string bootstrap_css = "/static/bootstrap-italia/css/bootstrap-italia.min.css";

std::string portal_section() {
  return "portal: {static_root: " + web_modules + ", assets_dir: " + VARCO_PORTAL_ASSETS + "}";
}

std::string file_text(const std::filesystem::path& path) { return read_file(path); }

class static_files : public ::testing::Test {
 protected:
  void SetUp() override {
    // Not a skip: a missing install must turn the suite red, not quietly pass.
    ASSERT_TRUE(std::filesystem::is_regular_file(
        web_modules + "/bootstrap-italia/dist/css/bootstrap-italia.min.css"))
        << "the npm assets are missing in " << web_modules
        << ": run ensure_web_assets (source scripts/lib.sh; ensure_web_assets), which "
           "scripts/test does before ctest";
  }
};

// gunzip of a whole gzip member (zlib's inflate with the gzip wrapper).
std::string gunzip(const std::string& compressed) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 16 + MAX_WBITS), Z_OK);
  std::string out;
  std::string chunk(64 * 1024, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
    stream.avail_out = static_cast<uInt>(chunk.size());
    rc = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk.data(), chunk.size() - stream.avail_out);
  }
  EXPECT_EQ(rc, Z_STREAM_END);
  inflateEnd(&stream);
  return out;
}

void expect_security_headers(const http_response& r, const std::string& what) {
  EXPECT_NE(r.header("Content-Security-Policy").find("default-src 'self'"), std::string::npos)
      << what;
  EXPECT_NE(r.header("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos)
      << what;
  EXPECT_EQ(r.header("X-Frame-Options"), "DENY") << what;
  EXPECT_EQ(r.header("Referrer-Policy"), "no-referrer") << what;
  EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff") << what;
  EXPECT_EQ(r.count("Strict-Transport-Security"), 0u) << what << " (plain HTTP)";
}

TEST_F(static_files, text_assets_go_precompressed_to_clients_that_accept_it) {
  settings config;
  config.portal = portal_section();
  stack s(config);
  const auto plain_css =
      file_text(web_modules + "/bootstrap-italia/dist/css/bootstrap-italia.min.css");
  for (const std::string& target :
       {bootstrap_css, std::string("/static/bootstrap-italia/js/bootstrap-italia.bundle.min.js"),
        std::string("/static/varco/varco.css")}) {
    SCOPED_TRACE(target);
    const auto identity = http_get(s.port(), target, as_browser());
    ASSERT_EQ(identity.status, 200u);
    EXPECT_EQ(identity.header("Content-Encoding"), "");
    EXPECT_EQ(identity.header("Vary"), "Accept-Encoding");
    // Brotli first when both are accepted (scripts/compress-static made both at build time).
    header_list accepts = as_browser();
    accepts.emplace_back("Accept-Encoding", "gzip, deflate, br");
    const auto br = http_get(s.port(), target, accepts);
    ASSERT_EQ(br.status, 200u);
    EXPECT_EQ(br.header("Content-Encoding"), "br");
    EXPECT_EQ(br.header("Vary"), "Accept-Encoding");
    EXPECT_LT(br.body.size(), identity.body.size() / 2);
    EXPECT_NE(br.header("ETag"), identity.header("ETag"));
    header_list gzip_only = as_browser();
    gzip_only.emplace_back("Accept-Encoding", "gzip");
    const auto gz = http_get(s.port(), target, gzip_only);
    ASSERT_EQ(gz.status, 200u);
    EXPECT_EQ(gz.header("Content-Encoding"), "gzip");
    EXPECT_EQ(gunzip(gz.body), identity.body);
    // A revalidation of the compressed form is a 304 of that form.
    header_list again = gzip_only;
    again.emplace_back("If-None-Match", gz.header("ETag"));
    EXPECT_EQ(http_get(s.port(), target, again).status, 304u);
  }
  EXPECT_EQ(http_get(s.port(), bootstrap_css, as_browser()).body, plain_css);
}

TEST_F(static_files, varcos_own_pages_go_gzipped_to_browsers_that_accept_it) {
  settings config;
  config.portal = portal_section();
  stack s(config);
  const auto plain = http_get(s.port(), "/login", as_browser());
  ASSERT_EQ(plain.status, 200u);
  EXPECT_EQ(plain.header("Content-Encoding"), "");
  header_list accepts = as_browser();
  accepts.emplace_back("Accept-Encoding", "gzip, deflate, br");
  const auto gz = http_get(s.port(), "/login", accepts);
  ASSERT_EQ(gz.status, 200u);
  EXPECT_EQ(gz.header("Content-Encoding"), "gzip");
  EXPECT_EQ(gz.header("Vary"), "Accept-Encoding");
  EXPECT_LT(gz.body.size(), plain.body.size() / 2);
  EXPECT_EQ(gunzip(gz.body), plain.body);
  // An error page too; a proxied product's answer never (it is the product's to encode).
  const auto missing = http_get(s.port(), "/nothing-here", accepts);
  EXPECT_EQ(missing.status, 404u);
  const auto id = s.session_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  header_list product_headers = with_cookie(id);
  product_headers.emplace_back("Accept-Encoding", "gzip");
  const auto product = http_get(s.port(), "/pagopa/x", product_headers);
  ASSERT_EQ(product.status, 200u);
  EXPECT_EQ(product.header("Content-Encoding"), "");
}

TEST_F(static_files, the_site_icon_is_varcos_where_no_product_claims_it) {
  settings config;
  config.portal = portal_section();
  stack s(config);
  const auto icon = http_get(s.port(), "/favicon.ico", as_browser());
  ASSERT_EQ(icon.status, 200u) << icon.body.substr(0, 300);
  EXPECT_EQ(icon.header("Content-Type"), "image/x-icon");
  EXPECT_EQ(icon.body, file_text(std::string(VARCO_PORTAL_ASSETS) + "/favicon.ico"));
  EXPECT_FALSE(icon.header("ETag").empty());
  const auto svg = http_get(s.port(), "/static/varco/favicon.svg", as_browser());
  ASSERT_EQ(svg.status, 200u);
  EXPECT_EQ(svg.header("Content-Type").rfind("image/svg+xml", 0), 0u);
  EXPECT_EQ(http_request(s.port(), http::verb::post, "/favicon.ico").status, 405u);
}

TEST_F(static_files, bootstrap_italia_is_served_with_type_caching_headers_and_304) {
  settings config;
  config.portal = portal_section();
  stack s(config);
  const auto expected =
      file_text(web_modules + "/bootstrap-italia/dist/css/bootstrap-italia.min.css");
  ASSERT_FALSE(expected.empty());

  const auto css = http_get(s.port(), bootstrap_css, as_browser());
  ASSERT_EQ(css.status, 200u) << css.body.substr(0, 300);
  EXPECT_EQ(css.header("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(css.header("Cache-Control"), "public, max-age=86400");
  EXPECT_EQ(css.body.size(), expected.size());
  EXPECT_TRUE(css.body == expected);
  expect_security_headers(css, "stylesheet");
  const std::string etag = css.header("ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(etag.front(), '"');

  const auto again = http_get(s.port(), bootstrap_css, as_browser({{"If-None-Match", etag}}));
  EXPECT_EQ(again.status, 304u);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.header("ETag"), etag);
  const auto other = http_get(s.port(), bootstrap_css, as_browser({{"If-None-Match", "\"x-1\""}}));
  EXPECT_EQ(other.status, 200u);

  const auto head = http_request(s.port(), http::verb::head, bootstrap_css);
  EXPECT_EQ(head.status, 200u);
  EXPECT_EQ(head.header("Content-Length"), std::to_string(expected.size()));
  EXPECT_EQ(head.header("ETag"), etag);
  EXPECT_TRUE(head.body.empty());

  const auto post = http_request(s.port(), http::verb::post, bootstrap_css, as_browser(), "x");
  EXPECT_EQ(post.status, 405u);
  EXPECT_EQ(post.header("Allow"), "GET, HEAD");

  const auto js = http_get(s.port(), "/static/bootstrap-italia/js/bootstrap-italia.bundle.min.js");
  EXPECT_EQ(js.status, 200u);
  EXPECT_EQ(js.header("Content-Type"), "text/javascript; charset=utf-8");
  const auto sprites = http_get(s.port(), "/static/bootstrap-italia/svg/sprites.svg");
  EXPECT_EQ(sprites.status, 200u);
  EXPECT_EQ(sprites.header("Content-Type"), "image/svg+xml");
  const auto font = http_get(s.port(),
                             "/static/bootstrap-italia/fonts/Titillium_Web/"
                             "titillium-web-v10-latin-ext_latin-regular.woff2");
  EXPECT_EQ(font.status, 200u) << "font path changed in bootstrap-italia?";
  EXPECT_EQ(font.header("Content-Type"), "font/woff2");
}

TEST_F(static_files, varco_assets_the_generated_theme_and_the_spid_graphics) {
  settings config;
  config.portal = portal_section();
  config.extra_products =
      "  - {id: prod-colour, title: Colore, logo_bg_color: \"#0b3d91\", path_prefix: /colour,\n"
      "     environments: [{id: collaudo, upstreams: [\"http://127.0.0.1:9\"]}]}\n";
  stack s(config);
  const auto own = http_get(s.port(), "/static/varco/varco.css");
  ASSERT_EQ(own.status, 200u);
  EXPECT_EQ(own.header("Cache-Control"), "public, max-age=3600");
  EXPECT_EQ(own.body, file_text(std::string(VARCO_PORTAL_ASSETS) + "/varco.css"));
  // Answered by the login endpoints (compiled in), not from the assets directory.
  const auto autopost = http_get(s.port(), "/static/varco/autopost.js");
  EXPECT_EQ(autopost.status, 200u);
  // The configuration's logo colours, as a stylesheet (no page carries an inline style).
  const auto theme = http_get(s.port(), "/static/varco/theme.css");
  ASSERT_EQ(theme.status, 200u);
  EXPECT_EQ(theme.header("Content-Type"), "text/css; charset=utf-8");
  EXPECT_NE(theme.body.find("[data-logo-bg=\"prod-colour\"]{background-color:#0b3d91}"),
            std::string::npos)
      << theme.body;
  // AgID's SPID button graphics, from npm spid-smart-button.
  const auto spid = http_get(s.port(), "/static/spid/spid-ico-circle-bb.svg");
  ASSERT_EQ(spid.status, 200u);
  EXPECT_EQ(spid.header("Content-Type").rfind("image/svg+xml", 0), 0u);
}

TEST_F(static_files, logos_come_from_the_logos_directory_when_there_is_one) {
  const temp_dir logos;
  write_file(logos.path() / "comune.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
  settings config;
  config.portal = "portal: {static_root: " + web_modules + ", assets_dir: " + VARCO_PORTAL_ASSETS +
                  ", logos_dir: " + logos.path().string() + "}";
  stack s(config);
  const auto logo = http_get(s.port(), "/static/logos/comune.svg");
  ASSERT_EQ(logo.status, 200u);
  EXPECT_EQ(logo.header("Content-Type").rfind("image/svg+xml", 0), 0u);
  EXPECT_EQ(logo.header("Cache-Control"), "public, max-age=3600");
  EXPECT_EQ(logo.body, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
  EXPECT_EQ(http_get(s.port(), "/static/logos/missing.svg").status, 404u);
  // The same path checks as every mount: no way out of the logos directory, nothing hidden.
  for (const char* bad : {"/static/logos/%2e%2e/%2e%2e/etc/passwd", "/static/logos/.hidden.svg"}) {
    const auto r = http_get(s.port(), bad);
    EXPECT_TRUE(r.status == 400u || r.status == 404u) << bad << " → " << r.status;
  }

  settings without;
  without.portal = portal_section();
  stack no_logos(without);
  EXPECT_EQ(http_get(no_logos.port(), "/static/logos/comune.svg").status, 404u);
}

TEST_F(static_files, traversal_hidden_and_unknown_files_are_refused) {
  settings config;
  config.portal = portal_section();
  stack s(config);
  const std::string package_json = file_text(web_modules + "/bootstrap-italia/package.json");
  ASSERT_FALSE(package_json.empty());
  for (const char* bad : {
           "/static/bootstrap-italia/../bootstrap-italia/package.json",
           "/static/bootstrap-italia/%2e%2e/package.json",
           "/static/bootstrap-italia/css/%2E%2E/%2E%2E/package.json",
           "/static/bootstrap-italia/..%2fpackage.json",
           "/static/bootstrap-italia/..%5cpackage.json",
           "/static/bootstrap-italia/%2e%2e%2f%2e%2e%2fetc/passwd",
           "/static/bootstrap-italia/../../../../../../etc/passwd",
           "/static/varco/../../conf/config.hpp",
           "/static/varco/.gitkeep",
           "/static/bootstrap-italia/.bin/x.js",
           "/static/bootstrap-italia/css/bootstrap-italia.min.css%00.js",
           "/static/bootstrap-italia/version.js.map/",
           "/static/bootstrap-italia/css",
           "/static/bootstrap-italia/css/missing.css",
           "/static/other/x.css",
       }) {
    const auto r = http_get(s.port(), bad, as_browser());
    EXPECT_TRUE(r.status == 400u || r.status == 404u) << bad << " → " << r.status;
    EXPECT_EQ(r.body.find("root:x:"), std::string::npos) << bad;
    EXPECT_EQ(r.body.find("\"name\": \"bootstrap-italia\""), std::string::npos) << bad;
    EXPECT_EQ(r.body.find("#pragma once"), std::string::npos) << bad;
  }
  // A hidden segment names nothing servable: refused before the file system is asked.
  EXPECT_EQ(http_get(s.port(), "/static/varco/.git/config").status, 400u);
}

TEST_F(static_files, without_a_portal_section_only_compiled_in_assets_are_served) {
  stack s;
  EXPECT_EQ(http_get(s.port(), bootstrap_css).status, 404u);
  EXPECT_EQ(http_get(s.port(), "/static/varco/varco.css").status, 404u);
  EXPECT_EQ(http_get(s.port(), "/static/varco/autopost.js").status, 200u);
}

TEST_F(static_files, security_headers_on_login_redirects_and_error_pages_not_on_products) {
  settings config;
  config.portal = portal_section();
  stack s(config);
  const auto login = http_get(s.port(), "/login", as_browser());
  ASSERT_EQ(login.status, 200u);
  expect_security_headers(login, "/login");
  EXPECT_NE(
      login.header("Content-Security-Policy").find("form-action 'self' https: http://127.0.0.1:*"),
      std::string::npos);

  const auto area = http_get(s.port(), "/area", as_browser());
  ASSERT_EQ(area.status, 302u);
  expect_security_headers(area, "/area redirect");

  const auto missing = http_get(s.port(), "/nothing-here", as_browser());
  ASSERT_EQ(missing.status, 404u);
  expect_security_headers(missing, "404 page");
  // The error page's style is the pages' stylesheets, which the CSP allows, never inline.
  EXPECT_EQ(missing.body.find("<style"), std::string::npos);
  EXPECT_EQ(missing.body.find("style=\""), std::string::npos);
  EXPECT_NE(missing.body.find("/static/varco/varco.css"), std::string::npos);

  // A proxied product response keeps the product's headers: varco adds none of its own.
  const auto id = s.session_for(manager_cf, institution, {{"prod-pagopa", "collaudo"}});
  const auto product = http_get(s.port(), "/pagopa/x", with_cookie(id));
  ASSERT_EQ(product.status, 200u);
  EXPECT_EQ(product.count("Content-Security-Policy"), 0u);
  EXPECT_EQ(product.count("X-Frame-Options"), 0u);
}

// GET over TLS; the status and the named headers ("" when absent).
std::map<std::string, std::string> tls_get(std::uint16_t port, const std::string& target) {
  namespace ssl = boost::asio::ssl;
  boost::asio::io_context io;
  ssl::context context(ssl::context::tls_client);
  context.set_verify_mode(ssl::verify_none);  // self-signed test certificate
  boost::beast::ssl_stream<boost::beast::tcp_stream> stream(io, context);
  boost::beast::get_lowest_layer(stream).connect(
      {boost::asio::ip::make_address("127.0.0.1"), port});
  boost::beast::get_lowest_layer(stream).expires_after(10s);
  stream.handshake(ssl::stream_base::client);
  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, "localhost");
  request.set(http::field::accept, "text/html");
  http::write(stream, request);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  std::map<std::string, std::string> out;
  out["status"] = std::to_string(response.result_int());
  for (const char* name : {"Strict-Transport-Security", "Content-Security-Policy"})
    out[name] = std::string(response[name]);
  return out;
}

TEST_F(static_files, hsts_only_over_tls) {
  temp_dir certificates;
  write_self_signed_certificate(certificates / "cert.pem", certificates / "key.pem");
  settings config;
  config.portal = portal_section();
  config.listener_tls = ", tls: {certificate: " + (certificates / "cert.pem").string() +
                        ", key: " + (certificates / "key.pem").string() + "}";
  stack s(config);
  for (const std::string& target :
       std::vector<std::string>{"/login", bootstrap_css, "/nothing-here"}) {
    const auto r = tls_get(s.port(), target);
    EXPECT_NE(r.at("status"), "0") << target;
    EXPECT_EQ(r.at("Strict-Transport-Security"), "max-age=31536000") << target;
    EXPECT_FALSE(r.at("Content-Security-Policy").empty()) << target;
  }
}

}  // namespace
}  // namespace varco::integration
