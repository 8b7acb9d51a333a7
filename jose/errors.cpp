#include "jose/errors.hpp"

#include <array>
#include <stdexcept>

namespace varco::jose {
namespace {

constexpr std::array reason_codes = {
#define VARCO_JOSE_REASON_CODE(name) std::string_view(#name),
    VARCO_JOSE_REASONS(VARCO_JOSE_REASON_CODE)
#undef VARCO_JOSE_REASON_CODE
};

}  // namespace

std::string_view reason_code(reason r) noexcept {
  const auto index = static_cast<std::size_t>(r);
  return index < reason_codes.size() ? reason_codes[index] : std::string_view("unknown");
}

std::ostream& operator<<(std::ostream& os, reason r) { return os << reason_code(r); }

std::ostream& operator<<(std::ostream& os, const failure& f) {
  os << reason_code(f.code);
  if (!f.detail.empty()) os << ": " << f.detail;
  return os;
}

void throw_exception_from_error(const failure& f, const boost::source_location& /*loc*/) {
  std::string what(reason_code(f.code));
  if (!f.detail.empty()) what += ": " + f.detail;
  throw std::runtime_error(what);
}

}  // namespace varco::jose
