// libxml2/xmlsec are initialised once per test process, as main() does in varco.
#include "saml/xml_library.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace {

class xml_environment final : public ::testing::Environment {
 public:
  // Kept until the environment is destroyed at exit: libxml2 cannot be initialised twice, and
  // --gtest_repeat calls SetUp/TearDown once per repetition.
  void SetUp() override {
    if (!library_) library_ = std::make_unique<varco::saml::xml_library>();
  }

 private:
  std::unique_ptr<varco::saml::xml_library> library_;
};

[[maybe_unused]] auto* const environment = ::testing::AddGlobalTestEnvironment(new xml_environment);

}  // namespace
