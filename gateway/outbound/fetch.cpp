#include "gateway/outbound/fetch.hpp"

#include "base/reason_codes.hpp"

#include <array>

namespace varco::gateway {
namespace {

// In the order of fetch_error.
constexpr std::array<std::string_view, 9> codes{
    "fetch_bad_url",        "fetch_bad_request", "fetch_resolve_failed",
    "fetch_connect_failed", "fetch_tls_failed",  "fetch_timeout",
    "fetch_io_failed",      "fetch_too_large",   "fetch_bad_response"};

}  // namespace

std::string_view reason_code(fetch_error error) noexcept {
  return base::code_at(codes, static_cast<std::size_t>(error));
}

void throw_exception_from_error(fetch_error error, const boost::source_location& /*loc*/) {
  base::throw_failure(reason_code(error), {});
}

}  // namespace varco::gateway
