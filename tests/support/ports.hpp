// A loopback port nobody listens on right now, for a process whose own URL must be in its config
// before it starts (varco's public_base_url, which the SAML ACS URL derives from). The port is
// released before returning, so another process could take it first: rare, and the test then
// fails loudly at start-up rather than passing wrongly.
#pragma once

#include <cstdint>
#include <string>

namespace varco::test {

std::uint16_t pick_free_port();

// What the loopback servers and raw clients of the tests open, as file descriptors the caller
// owns and closes (they are driven with poll, recv and SO_LINGER directly).
//
// A listening TCP socket on 127.0.0.1:`port` (0: the kernel picks; SO_REUSEADDR, so a server can
// listen again on its port after closing), close-on-exec; its port in `bound`. Throws
// std::runtime_error naming `who` when it cannot listen.
int listen_on_loopback(std::uint16_t port, int backlog, std::uint16_t& bound,
                       const std::string& who);
// A TCP connection to 127.0.0.1:`port`, close-on-exec; -1 when it fails (errno says why).
int connect_to_loopback(std::uint16_t port);

}  // namespace varco::test
