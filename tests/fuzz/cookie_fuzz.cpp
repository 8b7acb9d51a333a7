// libFuzzer target: arbitrary bytes as a Cookie header, through find_cookie, remove_cookie and the
// session-id format check — what every request with a cookie goes through before anything else.
//
// Invariants: a found value is a piece of the header; removing the session cookie leaves no
// session cookie behind (it must never reach an upstream), and what remains parses back to itself.
#include "gateway/http/cookies.hpp"
#include "session/session_id.hpp"
#include "tests/fuzz/fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view header(reinterpret_cast<const char*>(data), size);
  for (std::string_view name :
       {std::string_view("varco_session"), std::string_view("__Host-varco")}) {
    const auto found = varco::gateway::find_cookie(header, name);
    if (found) {
      VARCO_FUZZ_CHECK(std::less_equal<>()(header.data(), found->data()));
      VARCO_FUZZ_CHECK(
          std::less_equal<>()(found->data() + found->size(), header.data() + header.size()));
      (void)varco::session::looks_like_session_id(*found);
    }
    const std::string rest = varco::gateway::remove_cookie(header, name);
    VARCO_FUZZ_CHECK(!varco::gateway::find_cookie(rest, name).has_value());
    VARCO_FUZZ_CHECK(varco::gateway::remove_cookie(rest, name) == rest);
  }
  return 0;
}
