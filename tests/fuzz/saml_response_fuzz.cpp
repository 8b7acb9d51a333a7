// libFuzzer target: arbitrary bytes as a base64-decoded SAMLResponse, through peek_response and
// validate_response. The expectations match tests/unit/saml/response_builder (IdP, SP, request,
// clock), so the seed corpus' valid Responses reach every check and mutations explore from there.
//
// A crash, a sanitizer report or a broken invariant of an accepted Response fails the run.
#include "saml/credentials.hpp"
#include "saml/idp.hpp"
#include "saml/response_validator.hpp"
#include "saml/xml_library.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

namespace {

using namespace varco::saml;

// Initialised once per process, like main() does; never destroyed (libFuzzer exits the process).
struct fuzz_fixture {
  xml_library library;
  idp_descriptor idp;
  response_expectations expect;

  fuzz_fixture() {
    std::ifstream in(VARCO_FUZZ_IDP_CERT, std::ios::binary);
    const std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto cert = certificate::from_pem(pem);
    if (!cert) std::abort();  // the fuzz build is broken, not the code under test
    idp.entity_id = "https://idp.example.it/";
    idp.signing_certificates.push_back(std::move(*cert));

    const sys_millis now =
        std::chrono::sys_days{std::chrono::year{2024} / 5 / 6} + std::chrono::hours{10};
    expect.request_id = "_req-4f1c9e";
    expect.request_instant = now - std::chrono::seconds(10);
    expect.idp = &idp;
    expect.kind = provider_kind::spid;
    expect.requested_level = 2;
    expect.comparison = "minimum";
    expect.acs_url = "https://sp.example.it/saml/acs";
    expect.sp_entity_id = "https://sp.example.it/";
    expect.now = now;
    expect.clock_skew = std::chrono::seconds(30);
  }
};

fuzz_fixture& fixture() {
  static auto* f = new fuzz_fixture;  // leaked on purpose: no teardown order to get wrong
  return *f;
}

// What an accepted Response must always satisfy, whatever the input.
void check_invariants(const authenticated_user& user, const response_expectations& expect) {
  const bool ok = !user.assertion_id.empty() && !user.response_id.empty() &&
                  !user.name_id.empty() && !user.name_qualifier.empty() && user.level >= 1 &&
                  user.level <= 3 && user.issuer == expect.idp->entity_id &&
                  user.assertion_not_on_or_after > expect.now && !user.attributes.empty();
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz_fixture& f = fixture();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)peek_response(input);
  if (auto user = validate_response(input, f.expect)) check_invariants(*user, f.expect);
  return 0;
}
