// The server's services, narrowed to what the login and Area Riservata endpoints use. The server
// implements them per worker (gateway/worker.hpp); the endpoints' unit tests implement them in
// the test. An endpoint receives the ones it uses when it is made, never the worker.
#pragma once

#include "directory/directory_store.hpp"
#include "gateway/endpoint/runtime.hpp"
#include "gateway/http/asio_types.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace varco::gateway {

// The newest runtime this thread has seen (a reload swaps it): for the answers an endpoint builds
// outside the request's own runtime (error pages, security headers).
class runtime_source {
 public:
  virtual ~runtime_source() = default;
  virtual const std::shared_ptr<const runtime>& current() = 0;
};

// Counts a refusal by reason code (the metrics' varco_rejections_total).
class rejection_counter {
 public:
  virtual ~rejection_counter() = default;
  virtual void count_rejection(std::string_view reason) = 0;
};

// The writable directory the Utenti page and Aderisci write to.
class directory_writer {
 public:
  virtual ~directory_writer() = default;
  // Null when the directory is the read-only YAML file.
  virtual directory::directory_store* store() noexcept = 0;
  // After a write: read the directory back and swap it in on this thread, so the writer's own
  // redirect already sees the change. False when it could not be read.
  virtual awaitable<bool> reload() = 0;
};

// What else ends with the session when its user chooses Esci (the portal's form drafts): the
// login endpoints call it on every logout answer but the refusals.
class logout_listener {
 public:
  virtual ~logout_listener() = default;
  // The Set-Cookie value that clears what was kept for this browser; nullopt when nothing was.
  virtual awaitable<std::optional<std::string>> on_logout(const http::request_header<>& request,
                                                          const runtime& current) = 0;
};

}  // namespace varco::gateway
