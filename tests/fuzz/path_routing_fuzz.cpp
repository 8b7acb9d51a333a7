// libFuzzer target: arbitrary bytes as "Host\nrequest-target", through split_target,
// normalize_path and the route table of a fixed configuration (products by host, by path prefix,
// environments pinned by prefix) — the steps that decide which upstream a request reaches.
//
// Invariants of a normalised path: it starts with '/', has no empty, "." or ".." segment, and
// normalising it again changes nothing. A route match lies on a segment boundary of its prefix,
// and its path_in_product starts with '/'.
#include "conf/loader.hpp"
#include "gateway/http/path_normalizer.hpp"
#include "gateway/routing/route_table.hpp"
#include "tests/fuzz/fuzz_support.hpp"

#include <cstddef>
#include <cstdint>

namespace {

using namespace varco;

constexpr std::string_view config_yaml = R"(server:
  listeners: [{address: 127.0.0.1, port: 8080}]
  public_base_url: http://127.0.0.1:8080
  plain_http: true
jwt: {key_file: jwt.pem, kid: fuzz}
directory: {file: directory.yaml}
products:
  - id: pagopa
    title: pagoPA
    path_prefix: /pagopa
    environments:
      - {id: collaudo, label: Collaudo, upstreams: [http://127.0.0.1:9101]}
      - {id: produzione, label: Produzione, upstreams: [http://127.0.0.1:9102], path_prefix: /pagopa/prod}
  - id: io
    title: IO
    host: io.example.it
    environments:
      - {id: collaudo, label: Collaudo, upstreams: [http://127.0.0.1:9103]}
  - id: io-api
    title: IO API
    host: io.example.it
    path_prefix: /api/v1
    environments:
      - {id: collaudo, label: Collaudo, upstreams: [http://127.0.0.1:9104]}
)";

struct fuzz_fixture {
  std::shared_ptr<const conf::config> config;
  gateway::route_table routes;

  fuzz_fixture() {
    const auto& dir = fuzz::scratch_dir();
    fuzz::write_file(dir / "jwt.pem", fuzz::read_file(VARCO_FUZZ_EC_KEY));
    fuzz::write_file(dir / "directory.yaml", "parties: []\nmemberships: []\ndelegations: []\n");
    fuzz::write_file(dir / "varco.yaml", config_yaml);
    auto loaded = conf::load_config((dir / "varco.yaml").string());
    if (!loaded.value) {
      for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
      fuzz::invariant_broken("the routing fixture's config does not load");
    }
    config = loaded.value;
    std::vector<std::string> problems;
    routes = gateway::route_table::compile(*config, problems);
    if (!problems.empty() || routes.size() == 0)
      fuzz::invariant_broken("the routing fixture's routes do not compile");
  }
};

fuzz_fixture& fixture() {
  static auto* f = new fuzz_fixture;  // leaked on purpose: no teardown order to get wrong
  return *f;
}

void check_normalized(std::string_view path) {
  VARCO_FUZZ_CHECK(!path.empty() && path.front() == '/');
  VARCO_FUZZ_CHECK(path.find("//") == std::string_view::npos);
  VARCO_FUZZ_CHECK(path.find("/./") == std::string_view::npos && !path.ends_with("/."));
  VARCO_FUZZ_CHECK(path.find("/../") == std::string_view::npos && !path.ends_with("/.."));
  const auto again = gateway::normalize_path(path);
  // Percent-decoding is not idempotent by design ("%2541" → "%41"): only when nothing was left
  // encoded must a second pass be a no-op.
  if (path.find('%') == std::string_view::npos) VARCO_FUZZ_CHECK(again && *again == path);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz_fixture& f = fixture();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  const std::string_view host = newline == std::string_view::npos ? "" : input.substr(0, newline);
  const std::string_view target =
      newline == std::string_view::npos ? input : input.substr(newline + 1);

  const auto parts = gateway::split_target(target);
  const auto normalized = gateway::normalize_path(parts.path);
  if (!normalized) return 0;
  check_normalized(*normalized);
  const auto route = f.routes.match(host, *normalized);
  if (!route) return 0;
  VARCO_FUZZ_CHECK(route->product != nullptr);
  VARCO_FUZZ_CHECK(!route->path_in_product.empty() && route->path_in_product.front() == '/');
  if (!route->prefix.empty()) {
    VARCO_FUZZ_CHECK(normalized->starts_with(route->prefix));
    VARCO_FUZZ_CHECK(normalized->size() == route->prefix.size() ||
                     (*normalized)[route->prefix.size()] == '/');
  }
  return 0;
}
