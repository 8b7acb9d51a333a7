// libFuzzer target: arbitrary bytes as the query string of a SAML HTTP-Redirect binding message
// (what an IdP's logout request or response arrives as), through decode_redirect_query and
// verify_redirect_query with the test IdP's certificate as the only trusted one.
//
// Invariants: nothing verifies unless it also decodes to the same message; nothing inflates past
// the bound. (A forged signature that verifies would be caught as a crash here only with the
// test key, which is not in the corpus: mutations cannot produce a valid signature.)
#include "saml/credentials.hpp"
#include "saml/redirect_binding.hpp"
#include "saml/xml_library.hpp"
#include "tests/fuzz/fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace {

using namespace varco::saml;

struct fuzz_fixture {
  xml_library library;
  std::vector<certificate> trusted;

  fuzz_fixture() {
    auto cert = certificate::from_pem(varco::fuzz::read_file(VARCO_FUZZ_IDP_CERT));
    if (!cert) varco::fuzz::invariant_broken("the IdP test certificate does not load");
    trusted.push_back(std::move(*cert));
  }
};

fuzz_fixture& fixture() {
  static auto* f = new fuzz_fixture;  // leaked on purpose: no teardown order to get wrong
  return *f;
}

constexpr std::size_t max_inflated = 64 * 1024;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz_fixture& f = fixture();
  const std::string_view query(reinterpret_cast<const char*>(data), size);
  const auto decoded = decode_redirect_query(query, max_inflated);
  if (decoded) {
    VARCO_FUZZ_CHECK(decoded->xml.size() <= max_inflated);
    VARCO_FUZZ_CHECK(decoded->param == "SAMLRequest" || decoded->param == "SAMLResponse");
  }
  const auto verified = verify_redirect_query(query, f.trusted, max_inflated);
  if (verified) {
    VARCO_FUZZ_CHECK(decoded.has_value());
    VARCO_FUZZ_CHECK(verified->xml == decoded->xml);
    VARCO_FUZZ_CHECK(verified->param == decoded->param);
  }
  (void)percent_decode(query);
  return 0;
}
