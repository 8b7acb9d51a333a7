// Instantiates the connection and proxy templates for the plain listener (one stream type per
// translation unit keeps the heavy Beast instantiations apart and the build parallel).
#include "gateway/http_connection_impl.hpp"

namespace varco::gateway {
template awaitable<void> serve_connection<plain_stream>(plain_stream, client_info, worker&);
}  // namespace varco::gateway
