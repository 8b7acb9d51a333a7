#include "redis/errors.hpp"

#include <string>

namespace varco::redis {
namespace {

class store_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "varco.session.store"; }

  std::string message(int ev) const override {
    switch (static_cast<store_errc>(ev)) {
      case store_errc::unavailable:
        return "session store unavailable";
      case store_errc::timeout:
        return "session store did not answer in time";
      case store_errc::protocol:
        return "unexpected reply from the session store";
      case store_errc::corrupt:
        return "stored session could not be decoded";
    }
    return "unknown session store error";
  }
};

}  // namespace

const boost::system::error_category& store_category() noexcept {
  static const store_category_impl category;
  return category;
}

}  // namespace varco::redis
