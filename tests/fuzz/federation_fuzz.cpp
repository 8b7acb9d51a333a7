// libFuzzer target: arbitrary bytes as what a federation hands varco — an entity statement, a
// trust chain (statements one per line), a metadata policy and the metadata it applies to.
//
// Invariants: no statement made of these bytes verifies with the anchor's key and no chain made
// of them resolves (either would be a forgery); policies merge or apply, or are refused, without
// crashing.
#include "federation/entity_statement.hpp"
#include "federation/metadata_policy.hpp"
#include "federation/trust_chain.hpp"
#include "tests/fuzz/fuzz_support.hpp"

#include <boost/json/parse.hpp>
#include <openssl/pem.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using namespace varco;

std::vector<federation::trust_anchor> anchor() {
  base::openssl_ptr<BIO> bio(BIO_new_file(VARCO_FUZZ_EC_KEY, "r"));
  base::openssl_ptr<EVP_PKEY> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  std::vector<federation::trust_anchor> out(1);
  out[0].entity_id = "https://ta.fed.test";
  if (auto json = jose::public_jwk_json(key.get(), "ta", "sig", ""))
    out[0].keys.add(jose::parse_public_jwk(*json).value());
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<federation::trust_anchor> anchors = anchor();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto now = std::chrono::system_clock::now();
  VARCO_FUZZ_CHECK(!federation::verify_statement(input, anchors[0].keys, now));
  (void)federation::read_statement(input);

  std::vector<std::string> chain;
  for (std::size_t start = 0; start <= input.size();) {
    const std::size_t end = std::min(input.find('\n', start), input.size());
    chain.emplace_back(input.substr(start, end - start));
    start = end + 1;
  }
  federation::chain_request request;
  request.entity_type = "openid_provider";
  request.now = now;
  VARCO_FUZZ_CHECK(!federation::validate_chain(chain, anchors, request));

  // The first line as a policy, the second as metadata.
  boost::system::error_code ec;
  auto policy = boost::json::parse(chain[0], ec);
  if (ec || !policy.is_object()) return 0;
  boost::json::object merged;
  if (!federation::merge_policy(merged, policy.get_object(), {})) return 0;
  auto metadata = chain.size() > 1 ? boost::json::parse(chain[1], ec) : boost::json::value{};
  if (!ec && metadata.is_object()) (void)federation::apply_policy(metadata.get_object(), merged);
  return 0;
}
