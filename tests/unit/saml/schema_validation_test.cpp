// The SP metadata and the AuthnRequests validate against the OASIS SAML 2.0 schemas shipped in
// saml/schemas/ (plus the SPID extension schema), in-process with libxml2 and with
// `xmllint --nonet --schema`, never touching the network.
#include "saml/authn_request.hpp"
#include "saml/sp_metadata.hpp"
#include "saml/xml_document.hpp"
#include "sp_test_profile.hpp"
#include "testdata.hpp"

#include <gtest/gtest.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlschemas.h>

#include <memory>
#include <string>
#include <vector>

namespace varco::saml {
namespace {

using test::schemas_dir;
using test::sp_test_profile;

struct schema_deleter {
  void operator()(xmlSchemaParserCtxt* p) const noexcept { xmlSchemaFreeParserCtxt(p); }
  void operator()(xmlSchema* p) const noexcept { xmlSchemaFree(p); }
  void operator()(xmlSchemaValidCtxt* p) const noexcept { xmlSchemaFreeValidCtxt(p); }
};
template <class T>
using schema_ptr = std::unique_ptr<T, schema_deleter>;

// xml_library refuses every external entity, which is also how xs:import is loaded. For the
// duration of a schema parse, allow exactly the files of saml/schemas/ and nothing else: an
// import that still pointed at http://www.w3.org would fail here instead of being fetched.
class schemas_only_loader {
 public:
  schemas_only_loader() : previous_(xmlGetExternalEntityLoader()) {
    xmlSetExternalEntityLoader(&load);
  }
  ~schemas_only_loader() { xmlSetExternalEntityLoader(previous_); }
  schemas_only_loader(const schemas_only_loader&) = delete;
  schemas_only_loader& operator=(const schemas_only_loader&) = delete;

 private:
  static xmlParserInputPtr load(const char* url, const char*, xmlParserCtxtPtr ctxt) {
    if (url == nullptr) return nullptr;
    std::string path(url);
    if (path.rfind("file://", 0) == 0) path.erase(0, 7);
    const auto dir = schemas_dir().string() + "/";
    const auto canonical = std::filesystem::weakly_canonical(path).string();
    if (canonical.rfind(dir, 0) != 0) {
      ADD_FAILURE() << "schema tried to load " << url;
      return nullptr;
    }
    return xmlNewInputFromFile(ctxt, canonical.c_str());
  }

  xmlExternalEntityLoader previous_;
};

void collect(void* user, xmlErrorPtr error) {
  auto* messages = static_cast<std::vector<std::string>*>(user);
  if (error != nullptr && error->message != nullptr) {
    messages->push_back("line " + std::to_string(error->line) + ": " + error->message);
  }
}

// Parsed once per process: the metadata schema pulls in four more files.
const xmlSchema* load_schema(const std::string& file) {
  static std::map<std::string, schema_ptr<xmlSchema>> cache;
  if (auto it = cache.find(file); it != cache.end()) return it->second.get();
  schemas_only_loader loader;
  const std::string path = (schemas_dir() / file).string();
  schema_ptr<xmlSchemaParserCtxt> ctxt(xmlSchemaNewParserCtxt(path.c_str()));
  if (!ctxt) return nullptr;
  std::vector<std::string> messages;
  xmlSchemaSetParserStructuredErrors(ctxt.get(), collect, &messages);
  schema_ptr<xmlSchema> schema(xmlSchemaParse(ctxt.get()));
  EXPECT_NE(schema, nullptr) << path << ": " << ::testing::PrintToString(messages);
  return (cache[file] = std::move(schema)).get();
}

// Empty when valid, else libxml2's messages.
std::vector<std::string> validate(const std::string& xml, const std::string& schema_file) {
  const xmlSchema* schema = load_schema(schema_file);
  if (schema == nullptr) return {"schema " + schema_file + " did not load"};
  auto doc = parse_trusted_xml(xml);
  if (!doc) return {to_string(doc.error())};
  schema_ptr<xmlSchemaValidCtxt> ctxt(xmlSchemaNewValidCtxt(const_cast<xmlSchema*>(schema)));
  std::vector<std::string> messages;
  xmlSchemaSetValidStructuredErrors(ctxt.get(), collect, &messages);
  const int rc = xmlSchemaValidateDoc(ctxt.get(), doc->get());
  if (rc != 0 && messages.empty())
    messages.push_back("xmlSchemaValidateDoc returned " + std::to_string(rc));
  return messages;
}

// The same with the command line tool, as an operator would run it:
//   xmllint --nonet --noout --schema saml/schemas/<schema> <file>
int xmllint(const std::string& xml, const std::string& schema_file, std::string& output) {
  test::temp_dir dir;
  const auto file = dir.path() / "document.xml";
  test::write_file(file, xml);
  return test::run("xmllint --nonet --noout --schema " + (schemas_dir() / schema_file).string() +
                       " " + file.string(),
                   &output);
}

bool has_xmllint() { return test::run("xmllint --version") == 0; }

std::string metadata(bool public_sp, provider_kind kind) {
  auto xml = build_sp_metadata(sp_test_profile(public_sp), kind);
  EXPECT_TRUE(xml) << xml.error();
  return xml ? *xml : std::string();
}

std::string authn_request_xml(std::string_view binding, provider_kind kind, int level) {
  const idp_descriptor idp = test::test_idp(kind);
  authn_request_params params;
  params.idp = &idp;
  params.kind = kind;
  params.level = level;
  params.comparison = "minimum";
  params.attribute_service_index = kind == provider_kind::cie ? 1 : 0;
  params.now = sys_millis{std::chrono::milliseconds{1714552200123}};
  params.binding = std::string(binding);
  params.relay_state = "relay";
  auto built = build_authn_request(sp_test_profile(), params);
  EXPECT_TRUE(built) << built.error();
  return built ? built->xml : std::string();
}

constexpr const char* metadata_schema = "saml-schema-metadata-2.0.xsd";
constexpr const char* spid_metadata_schema = "saml-metadata-spid.xsd";
constexpr const char* protocol_schema = "saml-schema-protocol-2.0.xsd";

struct metadata_case {
  bool public_sp;
  provider_kind kind;
};

class metadata_schema_validation : public ::testing::TestWithParam<metadata_case> {};

TEST_P(metadata_schema_validation, validates_in_process_and_with_xmllint) {
  const std::string xml = metadata(GetParam().public_sp, GetParam().kind);
  EXPECT_EQ(validate(xml, metadata_schema), std::vector<std::string>{});
  EXPECT_EQ(validate(xml, spid_metadata_schema), std::vector<std::string>{});
  ASSERT_TRUE(has_xmllint()) << "xmllint is missing (scripts/test installs libxml2-utils)";
  std::string output;
  EXPECT_EQ(xmllint(xml, spid_metadata_schema, output), 0) << output;
  EXPECT_NE(output.find("validates"), std::string::npos) << output;
}

INSTANTIATE_TEST_SUITE_P(variants, metadata_schema_validation,
                         ::testing::Values(metadata_case{true, provider_kind::spid},
                                           metadata_case{false, provider_kind::spid},
                                           metadata_case{true, provider_kind::cie},
                                           metadata_case{false, provider_kind::cie}));

struct request_case {
  std::string_view binding;
  provider_kind kind;
  int level;
};

class authn_request_schema_validation : public ::testing::TestWithParam<request_case> {};

TEST_P(authn_request_schema_validation, validates_in_process_and_with_xmllint) {
  const std::string xml = authn_request_xml(GetParam().binding, GetParam().kind, GetParam().level);
  EXPECT_EQ(validate(xml, protocol_schema), std::vector<std::string>{});
  ASSERT_TRUE(has_xmllint()) << "xmllint is missing (scripts/test installs libxml2-utils)";
  std::string output;
  EXPECT_EQ(xmllint(xml, protocol_schema, output), 0) << output;
}

INSTANTIATE_TEST_SUITE_P(bindings, authn_request_schema_validation,
                         ::testing::Values(request_case{binding_redirect, provider_kind::spid, 1},
                                           request_case{binding_redirect, provider_kind::spid, 3},
                                           request_case{binding_post, provider_kind::spid, 2},
                                           request_case{binding_post, provider_kind::cie, 1}));

// Controls: the validators do reject what the schemas forbid, so a pass above means something.
TEST(schema_validation, rejects_misordered_or_invalid_documents) {
  std::string request = authn_request_xml(binding_post, provider_kind::spid, 2);
  const auto policy = request.find("<samlp:NameIDPolicy");
  ASSERT_NE(policy, std::string::npos);
  request.insert(policy, "<samlp:Bogus/>");
  EXPECT_NE(validate(request, protocol_schema), std::vector<std::string>{});

  std::string md = metadata(true, provider_kind::spid);
  const auto index = md.find("index=\"0\" isDefault=\"true\"");
  ASSERT_NE(index, std::string::npos);
  md.replace(index, 9, "index=\"x\"");
  EXPECT_NE(validate(md, metadata_schema), std::vector<std::string>{});

  // The SPID wrapper checks the extensions: a VAT number without its country prefix is refused.
  std::string vat = metadata(false, provider_kind::spid);
  const auto number = vat.find(">IT01234567890<");
  ASSERT_NE(number, std::string::npos);
  vat.replace(number + 1, 2, "");
  EXPECT_EQ(validate(vat, metadata_schema), std::vector<std::string>{});
  EXPECT_NE(validate(vat, spid_metadata_schema), std::vector<std::string>{});
}

}  // namespace
}  // namespace varco::saml
