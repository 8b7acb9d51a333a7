// Instantiates the connection and proxy templates for the tls listener (one stream type per
// translation unit keeps the heavy Beast instantiations apart and the build parallel).
#include "gateway/http_connection_impl.hpp"

namespace varco::gateway {
template awaitable<void> serve_connection<tls_stream>(tls_stream, client_info, worker&);
}  // namespace varco::gateway
