#include "saml/redirect_binding.hpp"

#include "base/base64.hpp"
#include "base/openssl_handles.hpp"
#include "saml/xml_names.hpp"
#include "testdata.hpp"

#include <gtest/gtest.h>
#include <openssl/ecdsa.h>
#include <openssl/pem.h>

#include <map>
#include <string>
#include <zlib.h>

namespace varco::saml {
namespace {

constexpr std::string_view request_xml =
    "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_r1\" "
    "Version=\"2.0\" IssueInstant=\"2026-01-01T00:00:00Z\"/>";

std::vector<certificate> trusted(std::initializer_list<const char*> names) {
  std::vector<certificate> out;
  for (const char* name : names) out.push_back(test::cert(name));
  return out;
}

// name -> raw value of a query string.
std::map<std::string, std::string> split(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    auto eq = pair.find('=');
    out[std::string(pair.substr(0, eq))] = std::string(pair.substr(eq + 1));
    query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
  }
  return out;
}

// Signs `text` the way an IdP would, with any key and digest (the library only signs rsa-sha256).
std::string sign_as(std::string_view key_name, const EVP_MD* md, std::string_view text) {
  const std::string pem = test::read_file(test::testdata_path(std::string(key_name) + ".key"));
  base::openssl_ptr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  base::openssl_ptr<EVP_PKEY> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  EXPECT_TRUE(key);
  base::openssl_ptr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  std::size_t size = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(text.data());
  EXPECT_EQ(EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key.get()), 1);
  EXPECT_EQ(EVP_DigestSign(ctx.get(), nullptr, &size, data, text.size()), 1);
  std::string sig(size, '\0');
  EXPECT_EQ(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &size, data,
                           text.size()),
            1);
  sig.resize(size);
  if (EVP_PKEY_get_base_id(key.get()) == EVP_PKEY_EC) {  // DER -> r||s as XML Signature wants
    const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
    base::openssl_ptr<ECDSA_SIG> ecdsa(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size())));
    EXPECT_TRUE(ecdsa);
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(ecdsa.get()), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(ecdsa.get()), reinterpret_cast<unsigned char*>(raw.data()) + 32,
                 32);
    return raw;
  }
  return sig;
}

TEST(deflate_base64, round_trips_through_raw_deflate) {
  const std::string encoded = deflate_base64(request_xml);
  auto xml = inflate_base64(encoded);
  ASSERT_TRUE(xml) << xml.error();
  EXPECT_EQ(*xml, request_xml);
  // Raw DEFLATE: a zlib-wrapped stream (header 0x78..) is not what the binding uses.
  const std::string compressed = decode_base64(encoded, 4096).value();
  EXPECT_NE(static_cast<unsigned char>(compressed[0]), 0x78);
}

TEST(inflate_base64, refuses_a_zlib_wrapped_stream_truncation_and_trailing_bytes) {
  std::string zlib(compressBound(request_xml.size()), '\0');
  uLongf size = zlib.size();
  ASSERT_EQ(compress(reinterpret_cast<Bytef*>(zlib.data()), &size,
                     reinterpret_cast<const Bytef*>(request_xml.data()), request_xml.size()),
            Z_OK);
  zlib.resize(size);
  EXPECT_EQ(inflate_base64(base::base64_encode(zlib)).error().code, reason::bad_encoding);

  const std::string raw = decode_base64(deflate_base64(request_xml), 4096).value();
  EXPECT_EQ(inflate_base64(base::base64_encode(raw.substr(0, raw.size() / 2))).error().code,
            reason::bad_encoding);
  EXPECT_EQ(inflate_base64(base::base64_encode(raw + "junk")).error().code, reason::bad_encoding);
  EXPECT_EQ(inflate_base64("%%%").error().code, reason::bad_encoding);
}

TEST(inflate_base64, stops_a_deflate_bomb_at_the_cap) {
  const std::string bomb = deflate_base64(std::string(1024 * 1024, '\0'));
  EXPECT_LT(bomb.size(), 4096u);
  auto xml = inflate_base64(bomb);
  ASSERT_FALSE(xml);
  EXPECT_EQ(xml.error().code, reason::message_too_large);
  EXPECT_TRUE(inflate_base64(bomb, 1024 * 1024));  // exactly at a larger cap: fine
}

TEST(percent_encode, keeps_only_unreserved_characters) {
  EXPECT_EQ(percent_encode("AZaz09_.-~"), "AZaz09_.-~");
  EXPECT_EQ(percent_encode(" "), "+");
  EXPECT_EQ(percent_encode("*"), "%2A");
  EXPECT_EQ(percent_encode("/"), "%2F");
  EXPECT_EQ(percent_encode("+"), "%2B");
  EXPECT_EQ(percent_encode("="), "%3D");
  EXPECT_EQ(percent_encode("\xC3\xA9"), "%C3%A9");  // é
  EXPECT_EQ(percent_encode("&?#%:"), "%26%3F%23%25%3A");
}

TEST(percent_decode, inverts_percent_encode_and_accepts_lower_case_hex) {
  const std::string all = "a b+c/d=e\xC3\xA9~*&%";
  EXPECT_EQ(percent_decode(percent_encode(all)).value(), all);
  EXPECT_EQ(percent_decode("%2f%2A+x").value(), "/* x");
  EXPECT_EQ(percent_decode("%zz").error().code, reason::bad_encoding);
  EXPECT_EQ(percent_decode("%2").error().code, reason::bad_encoding);
  EXPECT_EQ(percent_decode("abc%").error().code, reason::bad_encoding);
}

TEST(signed_redirect_query, is_ordered_encoded_and_verifies) {
  const std::string query =
      signed_redirect_query("SAMLRequest", request_xml, "r/1 x", test::credentials("idp"));
  EXPECT_EQ(query.rfind("SAMLRequest=", 0), 0u) << query;
  const auto relay = query.find("&RelayState=r%2F1+x&SigAlg=");
  ASSERT_NE(relay, std::string::npos) << query;
  EXPECT_NE(query.find("&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256"
                       "&Signature="),
            std::string::npos)
      << query;

  auto message = verify_redirect_query(query, trusted({"sp", "idp"}));
  ASSERT_TRUE(message) << message.error();
  EXPECT_EQ(message->param, "SAMLRequest");
  EXPECT_EQ(message->xml, request_xml);
  EXPECT_EQ(message->relay_state, "r/1 x");
  EXPECT_EQ(message->sig_alg, algorithm::rsa_sha256);
}

TEST(signed_redirect_query, omits_an_empty_relay_state) {
  const std::string query =
      signed_redirect_query("SAMLResponse", request_xml, "", test::credentials("idp"));
  EXPECT_EQ(query.find("RelayState"), std::string::npos);
  auto message = verify_redirect_query(query, trusted({"idp"}));
  ASSERT_TRUE(message) << message.error();
  EXPECT_EQ(message->param, "SAMLResponse");
  EXPECT_EQ(message->relay_state, "");
}

TEST(verify_redirect_query, rebuilds_the_signed_string_in_binding_order) {
  auto p =
      split(signed_redirect_query("SAMLRequest", request_xml, "abc", test::credentials("idp")));
  const std::string reordered = "Signature=" + p["Signature"] + "&foo=bar&SigAlg=" + p["SigAlg"] +
                                "&RelayState=" + p["RelayState"] +
                                "&SAMLRequest=" + p["SAMLRequest"];
  auto message = verify_redirect_query(reordered, trusted({"idp"}));
  ASSERT_TRUE(message) << message.error();
  EXPECT_EQ(message->relay_state, "abc");
}

TEST(verify_redirect_query, uses_the_values_as_encoded_on_the_wire) {
  // An IdP that writes lower-case hex signs its own bytes; re-encoding would break them.
  const std::string signed_text = "SAMLResponse=" + percent_encode(deflate_base64(request_xml)) +
                                  "&RelayState=a%2fb&SigAlg=http%3a%2f%2fwww.w3.org%2f2001%2f04%2f"
                                  "xmldsig-more%23rsa-sha256";
  const std::string query =
      signed_text + "&Signature=" +
      percent_encode(base::base64_encode(sign_as("idp", EVP_sha256(), signed_text)));
  auto message = verify_redirect_query(query, trusted({"idp"}));
  ASSERT_TRUE(message) << message.error();
  EXPECT_EQ(message->relay_state, "a/b");
}

TEST(verify_redirect_query, accepts_ecdsa_sha256) {
  const std::string signed_text = "SAMLResponse=" + percent_encode(deflate_base64(request_xml)) +
                                  "&SigAlg=" + percent_encode(algorithm::ecdsa_sha256);
  const std::string query =
      signed_text +
      "&Signature=" + percent_encode(base::base64_encode(sign_as("ec", EVP_sha256(), signed_text)));
  auto message = verify_redirect_query(query, trusted({"idp", "ec"}));
  ASSERT_TRUE(message) << message.error();
  EXPECT_EQ(verify_redirect_query(query, trusted({"idp"})).error().code,
            reason::redirect_signature_invalid);
}

TEST(verify_redirect_query, refuses_a_tampered_relay_state) {
  std::string query =
      signed_redirect_query("SAMLRequest", request_xml, "abc", test::credentials("idp"));
  query.replace(query.find("RelayState=abc"), 14, "RelayState=abd");
  EXPECT_EQ(verify_redirect_query(query, trusted({"idp"})).error().code,
            reason::redirect_signature_invalid);
}

TEST(verify_redirect_query, refuses_an_untrusted_signer) {
  const std::string query =
      signed_redirect_query("SAMLRequest", request_xml, "abc", test::credentials("attacker"));
  EXPECT_EQ(verify_redirect_query(query, trusted({"idp", "sp"})).error().code,
            reason::redirect_signature_invalid);
  EXPECT_EQ(verify_redirect_query(query, {}).error().code, reason::redirect_signature_invalid);
}

TEST(verify_redirect_query, refuses_rsa_sha1) {
  const std::string signed_text = "SAMLRequest=" + percent_encode(deflate_base64(request_xml)) +
                                  "&SigAlg=" + percent_encode(algorithm::rsa_sha1);
  const std::string query =
      signed_text +
      "&Signature=" + percent_encode(base::base64_encode(sign_as("idp", EVP_sha1(), signed_text)));
  EXPECT_EQ(verify_redirect_query(query, trusted({"idp"})).error().code,
            reason::redirect_sigalg_forbidden);
}

TEST(verify_redirect_query, refuses_a_missing_signature_or_sigalg) {
  auto p =
      split(signed_redirect_query("SAMLRequest", request_xml, "abc", test::credentials("idp")));
  const std::string base = "SAMLRequest=" + p["SAMLRequest"] + "&RelayState=" + p["RelayState"];
  EXPECT_EQ(verify_redirect_query(base + "&SigAlg=" + p["SigAlg"], trusted({"idp"})).error().code,
            reason::redirect_signature_missing);
  EXPECT_EQ(
      verify_redirect_query(base + "&Signature=" + p["Signature"], trusted({"idp"})).error().code,
      reason::redirect_signature_missing);
  EXPECT_EQ(verify_redirect_query(base, trusted({"idp"})).error().code,
            reason::redirect_signature_missing);
}

TEST(verify_redirect_query, refuses_duplicated_or_ambiguous_parameters) {
  const std::string query =
      signed_redirect_query("SAMLRequest", request_xml, "abc", test::credentials("idp"));
  EXPECT_EQ(verify_redirect_query(query + "&RelayState=evil", trusted({"idp"})).error().code,
            reason::bad_encoding);
  auto p = split(query);
  EXPECT_EQ(verify_redirect_query(query + "&SAMLResponse=" + p["SAMLRequest"], trusted({"idp"}))
                .error()
                .code,
            reason::bad_encoding);
  EXPECT_EQ(decode_redirect_query("RelayState=x").error().code, reason::bad_encoding);
}

TEST(verify_redirect_query, refuses_a_signed_deflate_bomb) {
  const std::string query = signed_redirect_query("SAMLRequest", std::string(1024 * 1024, ' '),
                                                  "abc", test::credentials("idp"));
  EXPECT_EQ(verify_redirect_query(query, trusted({"idp"})).error().code, reason::message_too_large);
}

TEST(decode_redirect_query, decodes_without_verifying) {
  const std::string query =
      signed_redirect_query("SAMLRequest", request_xml, "x y", test::credentials("attacker"));
  auto message = decode_redirect_query(query);
  ASSERT_TRUE(message) << message.error();
  EXPECT_EQ(message->xml, request_xml);
  EXPECT_EQ(message->relay_state, "x y");
  EXPECT_EQ(message->sig_alg, algorithm::rsa_sha256);
  auto unsigned_message =
      decode_redirect_query("SAMLResponse=" + percent_encode(deflate_base64(request_xml)));
  ASSERT_TRUE(unsigned_message) << unsigned_message.error();
  EXPECT_EQ(unsigned_message->sig_alg, "");
}

// Independent check with the openssl CLI: the signature covers exactly
// "SAMLRequest=...&RelayState=...&SigAlg=..." as sent, with rsa-sha256.
TEST(interop, openssl_cli_verifies_the_query_signature) {
  const std::string query =
      signed_redirect_query("SAMLRequest", request_xml, "abc", test::credentials("idp"));
  const auto sig_at = query.find("&Signature=");
  ASSERT_NE(sig_at, std::string::npos);
  const std::string signed_text = query.substr(0, sig_at);
  const std::string signature =
      decode_base64(percent_decode(query.substr(sig_at + 11)).value(), 1024).value();

  test::temp_dir dir;
  test::write_file(dir.path() / "data.txt", signed_text);
  test::write_file(dir.path() / "sig.bin", signature);
  std::string output;
  ASSERT_EQ(test::run("openssl x509 -pubkey -noout -in " + test::testdata_path("idp.crt").string() +
                          " > " + (dir.path() / "pub.pem").string(),
                      &output),
            0)
      << output;
  const std::string verify = "openssl dgst -sha256 -verify " + (dir.path() / "pub.pem").string() +
                             " -signature " + (dir.path() / "sig.bin").string() + " ";
  EXPECT_EQ(test::run(verify + (dir.path() / "data.txt").string(), &output), 0) << output;
  EXPECT_NE(output.find("Verified OK"), std::string::npos) << output;

  test::write_file(dir.path() / "data.txt", signed_text + "x");
  EXPECT_NE(test::run(verify + (dir.path() / "data.txt").string(), &output), 0) << output;
}

}  // namespace
}  // namespace varco::saml
