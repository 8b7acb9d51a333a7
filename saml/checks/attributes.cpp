// saml:AttributeStatement: the user's SPID attributes, each a single text value.
#include "saml/response_checks.hpp"
#include "saml/xml_names.hpp"

#include <map>
#include <string>

namespace varco::saml::checks {
namespace {

// "TINIT-RSSMRA80A01H501U" → "RSSMRA80A01H501U". SPID and CIE both send the TINIT- form; a bare
// code means an IdP that does not follow the rules, and a fiscal number is the key the directory
// maps users by, so guessing is not an option.
outcome<std::string> fiscal_number(std::string_view value) {
  if (!value.starts_with(fiscal_number_prefix)) {
    return failure{reason::fiscal_number_format, "no TINIT- prefix: " + log_safe(value)};
  }
  const std::string_view code = value.substr(fiscal_number_prefix.size());
  if (code.empty()) return failure{reason::fiscal_number_format, "empty after TINIT-"};
  for (const char c : code) {
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) return failure{reason::fiscal_number_format, log_safe(value)};
  }
  return std::string(code);
}

}  // namespace

outcome<void> check_attributes(validation_state& s) {
  auto statement = single_child(s.assertion, ns::saml, "AttributeStatement");
  if (!statement) return statement.error();
  if (*statement == nullptr) return failure{reason::attribute_statement_missing, ""};
  const auto attributes = children(*statement, ns::saml, "Attribute");
  if (attributes.empty()) return failure{reason::attribute_statement_empty, ""};

  std::map<std::string, std::string, std::less<>> values;
  for (xmlNodePtr attribute_element : attributes) {
    auto name = attribute(attribute_element, "Name");
    if (!name || name->empty())
      return failure{reason::attribute_malformed, "Attribute without Name"};
    // SPID attributes are single-valued; with two values (or two Attributes of one name) which
    // one is the user's would be our guess.
    const auto value_elements = children(attribute_element, ns::saml, "AttributeValue");
    if (value_elements.size() != 1) {
      return failure{reason::attribute_malformed,
                     log_safe(*name) + " has " + std::to_string(value_elements.size()) + " values"};
    }
    auto value = strict_text(value_elements.front());
    if (!value) return value.error();
    if (*name == "fiscalNumber") {
      auto code = fiscal_number(*value);
      if (!code) return code.error();
      *value = std::move(*code);
    }
    if (!values.emplace(*name, std::move(*value)).second) {
      return failure{reason::attribute_malformed, log_safe(*name) + " twice"};
    }
  }
  s.user.attributes = std::move(values);
  return {};
}

}  // namespace varco::saml::checks
