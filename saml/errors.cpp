#include "saml/errors.hpp"

#include <array>

namespace varco::saml {
namespace {

constexpr std::array reason_codes = {
#define VARCO_SAML_REASON_CODE(name) std::string_view(#name),
    VARCO_SAML_REASONS(VARCO_SAML_REASON_CODE)
#undef VARCO_SAML_REASON_CODE
};

}  // namespace

std::string_view reason_code(reason r) noexcept {
  const auto index = static_cast<std::size_t>(r);
  return index < reason_codes.size() ? reason_codes[index] : std::string_view("unknown");
}

std::string to_string(const failure& f) {
  std::string out(reason_code(f.code));
  if (!f.detail.empty()) {
    out += ": ";
    out += f.detail;
  }
  return out;
}

std::ostream& operator<<(std::ostream& os, reason r) { return os << reason_code(r); }

std::ostream& operator<<(std::ostream& os, const failure& f) { return os << to_string(f); }

failure_error::failure_error(failure f)
    : std::runtime_error(to_string(f)), failure_(std::move(f)) {}

void throw_exception_from_error(const failure& f, const boost::source_location& /*loc*/) {
  throw failure_error(f);
}

}  // namespace varco::saml
