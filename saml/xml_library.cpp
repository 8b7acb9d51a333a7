#include "saml/xml_library.hpp"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/io.h>
#include <xmlsec/xmlsec.h>

#include <mutex>
#include <stdexcept>
#include <utility>

namespace varco::saml {
namespace {

std::mutex lifetime_mutex;
int live_instances = 0;
bool cleaned_up = false;

thread_local std::string last_xmlsec_error;

xmlParserInputPtr refuse_external_entity(const char* /*url*/, const char* /*id*/,
                                         xmlParserCtxtPtr /*ctxt*/) {
  return nullptr;
}

void silent_generic_error(void* /*ctx*/, const char* /*msg*/, ...) {}
void silent_structured_error(void* /*ctx*/, xmlErrorPtr /*error*/) {}

void remember_xmlsec_error(const char* /*file*/, int /*line*/, const char* func,
                           const char* error_object, const char* error_subject, int reason,
                           const char* msg) {
  // Bounded: a hostile document can make xmlsec report long messages.
  constexpr std::size_t max_length = 512;
  std::string text;
  if (func != nullptr) text += func;
  if (error_object != nullptr) (text += " object=") += error_object;
  if (error_subject != nullptr) (text += " subject=") += error_subject;
  text += " reason=" + std::to_string(reason);
  if (msg != nullptr) (text += ": ") += msg;
  if (text.size() > max_length) text.resize(max_length);
  last_xmlsec_error = std::move(text);
}

void initialise() {
  xmlInitParser();
  LIBXML_TEST_VERSION;

  // Defaults for this thread and for every thread created later.
  xmlSubstituteEntitiesDefault(0);
  xmlThrDefSubstituteEntitiesDefaultValue(0);
  xmlThrDefLoadExtDtdDefaultValue(0);
  xmlSetGenericErrorFunc(nullptr, silent_generic_error);
  xmlThrDefSetGenericErrorFunc(nullptr, silent_generic_error);
  xmlSetStructuredErrorFunc(nullptr, silent_structured_error);
  xmlThrDefSetStructuredErrorFunc(nullptr, silent_structured_error);

  if (xmlSecInit() < 0) throw std::runtime_error("xmlsec initialisation failed");
  if (xmlSecCheckVersion() != 1) {
    xmlSecShutdown();
    throw std::runtime_error("xmlsec library version mismatch");
  }
  if (xmlSecCryptoAppInit(nullptr) < 0) {
    xmlSecShutdown();
    throw std::runtime_error("xmlsec OpenSSL application initialisation failed");
  }
  if (xmlSecCryptoInit() < 0) {
    xmlSecCryptoAppShutdown();
    xmlSecShutdown();
    throw std::runtime_error("xmlsec OpenSSL initialisation failed");
  }
  xmlSecErrorsSetCallback(remember_xmlsec_error);
  // xmlSecInit installs its own loader wrapping the previous one; ours, installed last, is the
  // only one left and refuses everything.
  xmlSecSetExternalEntityLoader(refuse_external_entity);
  xmlSetExternalEntityLoader(refuse_external_entity);
  xmlSecIOCleanupCallbacks();
}

void clean_up() noexcept {
  xmlSecCryptoShutdown();
  xmlSecCryptoAppShutdown();
  xmlSecShutdown();
  xmlCleanupParser();
}

}  // namespace

xml_library::xml_library() {
  std::lock_guard lock(lifetime_mutex);
  if (cleaned_up) {
    throw std::logic_error("xml_library: libxml2 cannot be initialised again after its cleanup");
  }
  if (live_instances == 0) initialise();
  ++live_instances;
}

xml_library::~xml_library() {
  std::lock_guard lock(lifetime_mutex);
  if (--live_instances == 0) {
    clean_up();
    cleaned_up = true;
  }
}

bool xml_library::active() noexcept {
  std::lock_guard lock(lifetime_mutex);
  return live_instances > 0;
}

std::string take_last_xmlsec_error() { return std::exchange(last_xmlsec_error, std::string()); }

}  // namespace varco::saml
