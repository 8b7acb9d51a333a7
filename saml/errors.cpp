#include "saml/errors.hpp"

#include "base/base64.hpp"

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

outcome<std::string> decode_base64(std::string_view text, std::size_t max_decoded) {
  auto decoded = base::base64_decode(text, max_decoded);
  if (decoded) return std::move(*decoded);
  using kind = base::base64_error::kind;
  switch (decoded.error().what) {
    case kind::not_base64:
      return failure{reason::bad_encoding, "not base64"};
    case kind::bad_length_or_padding:
      return failure{reason::bad_encoding, "base64 length or padding is wrong"};
    case kind::too_large:
      return failure{reason::message_too_large, std::to_string(decoded.error().decoded_size) +
                                                    " bytes, at most " +
                                                    std::to_string(max_decoded)};
    case kind::padding_bits_set:
      return failure{reason::bad_encoding, "base64 padding bits are not zero"};
  }
  return failure{reason::bad_encoding, "not base64"};
}

std::ostream& operator<<(std::ostream& os, const failure& f) { return os << to_string(f); }

failure_error::failure_error(failure f)
    : std::runtime_error(to_string(f)), failure_(std::move(f)) {}

void throw_exception_from_error(const failure& f, const boost::source_location& /*loc*/) {
  throw failure_error(f);
}

}  // namespace varco::saml
