// Known attacks on SAML SPs, each built from a validly signed Response by rearranging its DOM (or
// by signing it the wrong way) and each refused with the exact reason that stops it.
//
// Signature wrapping follows "On Breaking SAML: Be Whoever You Want to Be" (Somorovsky et al.,
// USENIX Security 2012) and SAML Raider's XSW1–XSW8: an "evil" assertion (new ID, the attacker's
// NameID and fiscalNumber) is put where a careless SP reads, while the signed original is moved
// somewhere its signature still verifies.
#include "response_builder.hpp"
#include "saml/response_validator.hpp"
#include "saml/xml_names.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>

namespace varco::saml {
namespace {

using namespace std::chrono_literals;
using test::response_knobs;

const xmlChar* xml(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

xmlNodePtr child(xmlNodePtr parent, std::string_view local) {
  for (xmlNodePtr c = parent->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && local == reinterpret_cast<const char*>(c->name)) return c;
  }
  ADD_FAILURE() << "no " << local;
  return nullptr;
}

xmlNodePtr clone(xmlNodePtr node) { return xmlDocCopyNode(node, node->doc, 1); }

void remove(xmlNodePtr node) {
  xmlUnlinkNode(node);
  xml_ptr<xmlNode> gone(node);
}

xmlNodePtr new_element(xmlNodePtr ns_from, const char* local) {
  return xmlNewDocNode(ns_from->doc, ns_from->ns, xml(local), nullptr);
}

// A copy of the signed assertion rewritten by the attacker: another ID, another user. With
// `keep_signature` the copied ds:Signature (whose Reference still names the original) stays in it.
xmlNodePtr evil_assertion(xmlNodePtr original, bool keep_signature) {
  xmlNodePtr evil = clone(original);
  xmlSetProp(evil, xml("ID"), xml("_evil-assertion"));
  if (!keep_signature) remove(child(evil, "Signature"));
  xmlNodeSetContent(child(child(evil, "Subject"), "NameID"), xml("_attacker"));
  xmlNodePtr statement = child(evil, "AttributeStatement");
  for (xmlNodePtr a = statement->children; a != nullptr; a = a->next) {
    if (attribute(a, "Name") == "fiscalNumber") {
      xmlNodeSetContent(child(a, "AttributeValue"), xml("TINIT-VRDGPP80A01H501X"));
    }
  }
  return evil;
}

struct attack {
  std::string name;
  reason expected;
  std::function<std::string()> make;  // the XML that reaches validate_response
};

void PrintTo(const attack& a, std::ostream* os) { *os << a.name; }

class attack_corpus : public ::testing::TestWithParam<attack> {};

TEST_P(attack_corpus, is_refused_with_its_reason) {
  const std::string message = GetParam().make();
  auto user = validate_response(message, test::test_expectations());
  ASSERT_FALSE(user) << "accepted: " << message;
  EXPECT_EQ(reason_code(user.error().code), reason_code(GetParam().expected)) << user.error();
}

// A signed Response rearranged by `rearrange`. XSW3–XSW8 target the Assertion signature, so they
// start from a Response signed only there (SPID allows it); a Response signature would refuse
// every rearrangement already (response_signature_covers_every_wrapping below).
std::function<std::string()> wrapped(std::function<void(xml_document&)> rearrange,
                                     bool response_signature = false) {
  return [rearrange = std::move(rearrange), response_signature] {
    xml_document doc =
        test::build_response_document(response_knobs{.sign_response = response_signature});
    rearrange(doc);
    xmlReconciliateNs(doc.get(), doc.root());
    return test::serialize(doc);
  };
}

std::function<std::string()> built(std::function<void(response_knobs&)> change) {
  return [change = std::move(change)] {
    response_knobs knobs;
    change(knobs);
    return test::build_response(knobs);
  };
}

std::function<std::string()> text(std::string xml_text) {
  return [xml_text = std::move(xml_text)] { return xml_text; };
}

// XSW1: a new Response (new ID, evil assertion) whose copied Signature carries the original
// signed Response inside it.
void xsw1(xml_document& doc) {
  xmlNodePtr original = doc.root();
  xmlNodePtr evil = clone(original);
  xmlSetProp(evil, xml("ID"), xml("_evil-response"));
  xmlNodePtr assertion = child(evil, "Assertion");
  xmlReplaceNode(assertion, evil_assertion(assertion, false));
  remove(assertion);
  xmlDocSetRootElement(doc.get(), evil);
  xmlAddChild(child(evil, "Signature"), original);
}

// XSW2: the same, with the original Response as a sibling before the Signature (detached).
void xsw2(xml_document& doc) {
  xmlNodePtr original = doc.root();
  xmlNodePtr evil = clone(original);
  xmlSetProp(evil, xml("ID"), xml("_evil-response"));
  xmlNodePtr assertion = child(evil, "Assertion");
  xmlReplaceNode(assertion, evil_assertion(assertion, false));
  remove(assertion);
  xmlDocSetRootElement(doc.get(), evil);
  xmlAddPrevSibling(child(evil, "Signature"), original);
}

// XSW3: the evil assertion (unsigned) before the signed one.
void xsw3(xml_document& doc) {
  xmlNodePtr original = child(doc.root(), "Assertion");
  xmlAddPrevSibling(original, evil_assertion(original, false));
}

// XSW4: the signed assertion moved inside the evil one.
void xsw4(xml_document& doc) {
  xmlNodePtr original = child(doc.root(), "Assertion");
  xmlNodePtr evil = evil_assertion(original, false);
  xmlReplaceNode(original, evil);
  xmlAddChild(evil, original);
}

// XSW5: the evil assertion keeps the copied Signature; the original, unsigned, at the end.
void xsw5(xml_document& doc) {
  xmlNodePtr original = child(doc.root(), "Assertion");
  xmlNodePtr evil = evil_assertion(original, true);
  xmlReplaceNode(original, evil);
  remove(child(original, "Signature"));
  xmlAddChild(doc.root(), original);
}

// XSW6: the evil assertion keeps the copied Signature, which carries the original inside it.
void xsw6(xml_document& doc) {
  xmlNodePtr original = child(doc.root(), "Assertion");
  xmlNodePtr evil = evil_assertion(original, true);
  xmlReplaceNode(original, evil);
  remove(child(original, "Signature"));
  xmlAddChild(child(evil, "Signature"), original);
}

// XSW7: the signed assertion hidden in samlp:Extensions, the evil one (unsigned) in its place.
void xsw7(xml_document& doc) {
  xmlNodePtr original = child(doc.root(), "Assertion");
  xmlNodePtr extensions = new_element(doc.root(), "Extensions");
  xmlReplaceNode(original, evil_assertion(original, false));
  xmlAddNextSibling(child(doc.root(), "Issuer"), extensions);
  xmlAddChild(extensions, original);
}

// XSW8: the evil assertion keeps the copied Signature; the original, unsigned, in a ds:Object
// of that Signature.
void xsw8(xml_document& doc) {
  xmlNodePtr original = child(doc.root(), "Assertion");
  xmlNodePtr evil = evil_assertion(original, true);
  xmlReplaceNode(original, evil);
  remove(child(original, "Signature"));
  xmlNodePtr signature = child(evil, "Signature");
  xmlNodePtr object = new_element(signature, "Object");
  xmlAddChild(signature, object);
  xmlAddChild(object, original);
}

// The signed assertion in the saml:Advice of the evil one, whose copied Signature names it.
void wrapped_in_advice(xml_document& doc) {
  xmlNodePtr original = child(doc.root(), "Assertion");
  xmlNodePtr evil = evil_assertion(original, true);
  xmlReplaceNode(original, evil);
  xmlNodePtr advice = new_element(evil, "Advice");
  xmlAddPrevSibling(child(evil, "AuthnStatement"), advice);
  xmlAddChild(advice, original);
}

// The evil assertion takes the original's ID too, hoping the reference resolves to it.
void same_id(xml_document& doc) {
  xmlNodePtr original = child(doc.root(), "Assertion");
  xmlNodePtr evil = evil_assertion(original, true);
  xmlSetProp(evil, xml("ID"), xml(std::string(test::test_assertion_id).c_str()));
  xmlReplaceNode(original, evil);
  xmlNodePtr extensions = new_element(doc.root(), "Extensions");
  xmlAddNextSibling(child(doc.root(), "Issuer"), extensions);
  xmlAddChild(extensions, original);
}

// Two assertions, each validly signed by the IdP.
void two_signed_assertions(xml_document& doc) {
  xmlNodePtr first = child(doc.root(), "Assertion");
  xmlNodePtr second = evil_assertion(first, false);
  xmlAddNextSibling(first, second);
  test::sign_element(doc, second, {});
}

// Comment injection: the IdP signed "_victim.evil.example"; a comment splits the text so that a
// reader of the first text node sees "_victim". Exclusive c14n drops comments, so both
// signatures still verify.
void split_by_comment(xmlNodePtr element, const char* head, const char* tail) {
  xmlNodeSetContent(element, nullptr);
  xmlAddChild(element, xmlNewDocText(element->doc, xml(head)));
  xmlAddChild(element, xmlNewDocComment(element->doc, xml("")));
  xmlAddChild(element, xmlNewDocText(element->doc, xml(tail)));
}

std::function<std::string()> comment_injected(bool in_attribute) {
  return [in_attribute] {
    response_knobs knobs;
    knobs.name_id = "_victim.evil.example";
    knobs.attributes[3].second = "TINIT-RSSMRA80A01H501UX";
    xml_document doc = test::build_response_document(knobs);
    xmlNodePtr assertion = child(doc.root(), "Assertion");
    if (in_attribute) {
      xmlNodePtr fiscal = child(child(assertion, "AttributeStatement"), "Attribute");
      while (attribute(fiscal, "Name") != "fiscalNumber") {
        fiscal = xmlNextElementSibling(fiscal);
      }
      split_by_comment(child(fiscal, "AttributeValue"), "TINIT-RSSMRA80A01H501U", "X");
    } else {
      split_by_comment(child(child(assertion, "Subject"), "NameID"), "_victim", ".evil.example");
    }
    return test::serialize(doc);
  };
}

std::string nested(int depth) {
  std::string inner;
  for (int i = 0; i < depth; ++i) inner += "<a>";
  for (int i = 0; i < depth; ++i) inner += "</a>";
  return "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_r\">"
         "<samlp:Extensions>" +
         inner + "</samlp:Extensions></samlp:Response>";
}

std::string billion_laughs() {
  std::string dtd = "<!DOCTYPE samlp:Response [<!ENTITY l0 \"lol\">";
  for (int i = 1; i < 10; ++i) {
    dtd += "<!ENTITY l" + std::to_string(i) + " \"";
    for (int j = 0; j < 10; ++j) dtd += "&l" + std::to_string(i - 1) + ";";
    dtd += "\">";
  }
  return dtd +
         "]><samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"&l9;\"/>";
}

// A valid Response with a DOCTYPE spliced in front of its root (built when the test runs: the
// XML library is initialised by then).
std::function<std::string()> with_doctype(std::string doctype) {
  return [doctype = std::move(doctype)] { return doctype + test::build_response(); };
}

const attack attacks[] = {
    // signature wrapping
    // A ds:Signature holding anything after SignatureValue but KeyInfo (an Object, a wrapped
    // element) is malformed for verify_enveloped_signature: signature_invalid before the
    // Reference is even compared.
    {"xsw1_response_wrapped_in_its_signature", reason::signature_invalid,
     wrapped(xsw1, /*response_signature=*/true)},
    {"xsw2_response_detached_before_signature", reason::reference_mismatch,
     wrapped(xsw2, /*response_signature=*/true)},
    {"xsw3_evil_assertion_before_signed", reason::assertion_count, wrapped(xsw3)},
    {"xsw4_signed_assertion_inside_evil", reason::assertion_unsigned, wrapped(xsw4)},
    {"xsw5_evil_with_signature_original_appended", reason::assertion_count, wrapped(xsw5)},
    {"xsw6_original_inside_copied_signature", reason::signature_invalid, wrapped(xsw6)},
    {"xsw7_original_in_extensions", reason::assertion_unsigned, wrapped(xsw7)},
    {"xsw8_original_in_signature_object", reason::signature_invalid, wrapped(xsw8)},
    {"signed_assertion_in_advice", reason::reference_mismatch, wrapped(wrapped_in_advice)},
    {"evil_assertion_with_the_original_id", reason::duplicate_id, wrapped(same_id)},
    {"two_signed_assertions", reason::assertion_count, wrapped(two_signed_assertions)},
    {"assertion_and_encrypted_assertion", reason::encrypted_assertion_forbidden,
     built([](auto& k) { k.encrypted_assertion = true; })},

    // keys and algorithms
    {"assertion_signed_by_attacker", reason::key_not_trusted, built([](auto& k) {
       k.sign_response = false;
       k.assertion_signature = {.signer = "attacker", .key_info = false};
     })},
    {"assertion_signed_by_attacker_cert_in_key_info", reason::key_not_trusted, built([](auto& k) {
       k.sign_response = false;
       k.assertion_signature.signer = "attacker";
     })},
    {"everything_signed_by_attacker_cert_in_key_info", reason::key_not_trusted, built([](auto& k) {
       k.assertion_signature.signer = "attacker";
       k.response_signature.signer = "attacker";
     })},
    {"rsa_sha1_signature", reason::signature_algorithm_forbidden, built([](auto& k) {
       k.sign_response = false;
       k.assertion_signature.signature_method = algorithm::rsa_sha1;
       k.assertion_signature.digest_method = algorithm::sha1;
     })},
    {"sha1_digest", reason::digest_algorithm_forbidden, built([](auto& k) {
       k.sign_response = false;
       k.assertion_signature.digest_method = algorithm::sha1;
     })},
    {"response_rsa_sha1_signature", reason::signature_algorithm_forbidden,
     built([](auto& k) { k.response_signature.signature_method = algorithm::rsa_sha1; })},
    {"xpath_transform", reason::transform_forbidden, built([](auto& k) {
       k.sign_response = false;
       k.assertion_signature.extra_transform = algorithm::xpath;
     })},
    {"xslt_transform", reason::transform_forbidden, built([](auto& k) {
       k.sign_response = false;
       k.assertion_signature.extra_transform = algorithm::xslt;
     })},
    {"reference_to_the_whole_document", reason::reference_mismatch, wrapped([](xml_document& doc) {
       xmlNodePtr signature = child(child(doc.root(), "Assertion"), "Signature");
       xmlSetProp(child(child(signature, "SignedInfo"), "Reference"), xml("URI"), xml(""));
     })},

    // comment injection (both signatures still verify)
    {"comment_inside_name_id", reason::text_has_markup, comment_injected(false)},
    {"comment_inside_attribute_value", reason::text_has_markup, comment_injected(true)},

    // the parser
    {"doctype", reason::doctype_forbidden, (with_doctype("<!DOCTYPE samlp:Response>"))},
    {"external_entity", reason::doctype_forbidden,
     text("<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
          "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_r\">"
          "<saml:Issuer xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">&x;</saml:Issuer>"
          "</samlp:Response>")},
    {"external_parameter_entity", reason::doctype_forbidden,
     (with_doctype("<!DOCTYPE r [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/x.dtd\"> %p;]>"))},
    {"billion_laughs", reason::doctype_forbidden, text(billion_laughs())},
    {"oversized_65_kib", reason::message_too_large,
     [] {
       std::string message = test::build_response();
       message.append(65 * 1024 - message.size(), ' ');  // trailing white space is well-formed
       return message;
     }},
    {"deeply_nested", reason::too_deep, text(nested(100))},
    {"very_deeply_nested", reason::too_deep, text(nested(5000))},
    {"not_xml", reason::malformed_xml, text("SAMLResponse=PHNhbWxwOlJlc3BvbnNl")},
    {"response_inside_another_root", reason::not_a_response,
     [] { return "<wrapper>" + test::build_response() + "</wrapper>"; }},

    // addressing and time
    {"wrong_destination", reason::destination_mismatch,
     built([](auto& k) { k.destination = "https://attacker.example/acs"; })},
    {"wrong_recipient", reason::recipient_mismatch,
     built([](auto& k) { k.recipient = "https://attacker.example/acs"; })},
    {"wrong_audience", reason::audience_mismatch,
     built([](auto& k) { k.audience = "https://attacker.example/"; })},
    {"expired_subject_confirmation", reason::subject_expired,
     built([](auto& k) { k.subject_not_on_or_after = test::utc_from_now(-1h); })},
    {"expired_conditions", reason::conditions_expired,
     built([](auto& k) { k.not_on_or_after = test::utc_from_now(-1h); })},
    {"future_response", reason::response_issue_instant_future,
     built([](auto& k) { k.response_issue_instant = test::utc_from_now(1h); })},
    {"future_conditions", reason::conditions_not_yet_valid,
     built([](auto& k) { k.not_before = test::utc_from_now(1h); })},
    {"response_older_than_the_request", reason::response_issue_instant_before_request,
     built([](auto& k) { k.response_issue_instant = test::utc_from_now(-1h); })},
    {"in_response_to_another_request", reason::in_response_to_mismatch,
     built([](auto& k) { k.in_response_to = "_req-of-another-browser"; })},
    // An assertion lifted from a login for another request, in a Response made for ours.
    {"assertion_of_another_request", reason::subject_in_response_to_mismatch,
     built([](auto& k) { k.subject_in_response_to = "_req-of-another-browser"; })},
};

INSTANTIATE_TEST_SUITE_P(attacks, attack_corpus, ::testing::ValuesIn(attacks),
                         [](const auto& info) { return info.param.name; });

// With a Response signature, every rearrangement of the Response's content breaks its digest:
// wrapping is refused before the assertion is even looked at.
TEST(attack_corpus_base, response_signature_covers_every_wrapping) {
  for (auto* rearrange : {xsw3, xsw4, xsw5, xsw6, xsw7, xsw8, wrapped_in_advice}) {
    auto user = validate_response(wrapped(rearrange, /*response_signature=*/true)(),
                                  test::test_expectations());
    ASSERT_FALSE(user);
    EXPECT_EQ(user.error().code, reason::signature_invalid) << user.error();
  }
}

// Sanity: the rearranging helpers start from a Response that is accepted as it is.
TEST(attack_corpus_base, untouched_base_is_accepted) {
  for (bool response_signature : {false, true}) {
    auto user = validate_response(wrapped([](xml_document&) {}, response_signature)(),
                                  test::test_expectations());
    ASSERT_TRUE(user) << user.error();
    EXPECT_EQ(user->name_id, "_nameid-5d0e2a");
  }
}

}  // namespace
}  // namespace varco::saml
