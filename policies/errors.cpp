#include "policies/errors.hpp"

#include <string>

namespace varco::policies {
namespace {

class key_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "varco.policies.key"; }
  std::string message(int ev) const override {
    switch (static_cast<key_errc>(ev)) {
      case key_errc::unreadable:
        return "the key file cannot be opened";
      case key_errc::not_a_key:
        return "the file holds no PEM key";
      case key_errc::not_p256:
        return "the key is not an EC P-256 key (ES256)";
      case key_errc::signing_failed:
        return "signing failed";
    }
    return "unknown key error";
  }
};

}  // namespace

const boost::system::error_category& key_category() noexcept {
  static const key_category_impl instance;
  return instance;
}

}  // namespace varco::policies
