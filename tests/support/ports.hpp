// A loopback port nobody listens on right now, for a process whose own URL must be in its config
// before it starts (varco's public_base_url, which the SAML ACS URL derives from). The port is
// released before returning, so another process could take it first: rare, and the test then
// fails loudly at start-up rather than passing wrongly.
#pragma once

#include <cstdint>

namespace varco::test {

std::uint16_t pick_free_port();

}  // namespace varco::test
