#include "tests/support/saml/response_knobs.hpp"

#include <chrono>
#include <cstdio>

namespace varco::saml::test {
namespace {

using namespace std::chrono_literals;

// ` name="value"`, or nothing when the knob omits it.
std::string attr(std::string_view name, const std::optional<std::string>& value) {
  if (!value) return {};
  return " " + std::string(name) + "=\"" + *value + "\"";
}

std::string issuer_xml(const std::optional<std::string>& issuer,
                       const std::optional<std::string>& format) {
  if (!issuer) return {};
  return "<saml:Issuer" + attr("Format", format) + ">" + *issuer + "</saml:Issuer>";
}

std::string status_xml(const response_knobs& k) {
  std::string out = "<samlp:Status><samlp:StatusCode" + attr("Value", k.status_code);
  if (k.status_sub_code) {
    out += "><samlp:StatusCode" + attr("Value", k.status_sub_code) + "/></samlp:StatusCode>";
  } else {
    out += "/>";
  }
  if (k.status_message)
    out += "<samlp:StatusMessage>" + *k.status_message + "</samlp:StatusMessage>";
  return out + "</samlp:Status>";
}

std::string subject_xml(const response_knobs& k) {
  if (!k.include_subject) return {};
  std::string out = "<saml:Subject>";
  if (k.name_id) {
    out += "<saml:NameID" + attr("Format", k.name_id_format) +
           attr("NameQualifier", k.name_qualifier) + ">" + *k.name_id + "</saml:NameID>";
  }
  if (k.include_subject_confirmation) {
    out += "<saml:SubjectConfirmation" + attr("Method", k.confirmation_method) + ">";
    if (k.include_confirmation_data) {
      out += "<saml:SubjectConfirmationData" + attr("InResponseTo", k.subject_in_response_to) +
             attr("NotOnOrAfter", k.subject_not_on_or_after) + attr("Recipient", k.recipient) +
             "/>";
    }
    out += "</saml:SubjectConfirmation>";
  }
  return out + "</saml:Subject>";
}

std::string conditions_xml(const response_knobs& k) {
  if (!k.include_conditions) return {};
  std::string out = "<saml:Conditions" + attr("NotBefore", k.not_before) +
                    attr("NotOnOrAfter", k.not_on_or_after) + ">";
  if (k.include_audience_restriction) {
    out += "<saml:AudienceRestriction>";
    if (k.audience) out += "<saml:Audience>" + *k.audience + "</saml:Audience>";
    out += "</saml:AudienceRestriction>";
  }
  return out + "</saml:Conditions>";
}

std::string authn_statement_xml(const response_knobs& k) {
  if (!k.include_authn_statement) return {};
  std::string out = "<saml:AuthnStatement" + attr("AuthnInstant", k.authn_instant) +
                    attr("SessionIndex", k.session_index) + "><saml:AuthnContext>";
  if (k.authn_context_class_ref) {
    out +=
        "<saml:AuthnContextClassRef>" + *k.authn_context_class_ref + "</saml:AuthnContextClassRef>";
  }
  return out + "</saml:AuthnContext></saml:AuthnStatement>";
}

std::string attribute_statement_xml(const response_knobs& k) {
  if (!k.include_attribute_statement) return {};
  std::string out = "<saml:AttributeStatement>";
  for (const auto& [name, value] : k.attributes) {
    out += "<saml:Attribute Name=\"";
    out += name;
    out +=
        "\" NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:basic\">"
        "<saml:AttributeValue xsi:type=\"xs:string\">";
    out += value;
    out += "</saml:AttributeValue></saml:Attribute>";
  }
  return out + "</saml:AttributeStatement>";
}

std::string assertion_xml(const response_knobs& k) {
  if (!k.include_assertion) return {};
  return "<saml:Assertion xmlns:xs=\"http://www.w3.org/2001/XMLSchema\""
         " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"" +
         attr("ID", k.assertion_id) + attr("Version", k.assertion_version) +
         attr("IssueInstant", k.assertion_issue_instant) + ">" +
         issuer_xml(k.assertion_issuer, k.assertion_issuer_format) + subject_xml(k) +
         conditions_xml(k) + authn_statement_xml(k) + attribute_statement_xml(k) +
         "</saml:Assertion>";
}

const char* encrypted_assertion_xml =
    "<saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\""
    " Type=\"http://www.w3.org/2001/04/xmlenc#Element\"><xenc:CipherData><xenc:CipherValue>"
    "AAAA</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData></saml:EncryptedAssertion>";

}  // namespace

sys_millis test_now() {
  return std::chrono::sys_days{std::chrono::year{2024} / 5 / 6} + std::chrono::hours{10};
}

sys_millis test_request_instant() { return test_now() - 10s; }

std::string utc(sys_millis instant, bool millis) {
  const auto days = std::chrono::floor<std::chrono::days>(instant);
  const std::chrono::year_month_day date{days};
  const std::chrono::hh_mm_ss time{instant - days};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  std::string out = text;
  if (millis) {
    std::snprintf(text, sizeof text, ".%03d", static_cast<int>(time.subseconds().count()));
    out += text;
  }
  return out + "Z";
}

std::string utc_from_now(std::chrono::milliseconds offset) { return utc(test_now() + offset); }

std::string response_xml(const response_knobs& k) {
  std::string out;
  if (k.xml_declaration) out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out +=
      "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\""
      " xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\"" +
      attr("ID", k.response_id) + attr("Version", k.response_version) +
      attr("IssueInstant", k.response_issue_instant) + attr("Destination", k.destination) +
      attr("InResponseTo", k.in_response_to) + ">";
  out += issuer_xml(k.response_issuer, k.response_issuer_format);
  out += status_xml(k);
  out += assertion_xml(k);
  if (k.encrypted_assertion) out += encrypted_assertion_xml;
  return out + "</samlp:Response>";
}

}  // namespace varco::saml::test
