// The gateway's own endpoints: health, readiness, metrics and the JWKS.
#include "gateway/request_handler.hpp"
#include "gateway/request_services.hpp"

namespace varco::gateway {
namespace {

http::response<http::string_body> plain_answer(http::status status, std::string_view content_type,
                                               std::string body, const std::string& request_id) {
  http::response<http::string_body> response{status, 11};
  response.set(http::field::content_type, content_type);
  response.set(http::field::cache_control, "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("X-Request-Id", request_id);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

}  // namespace

handler_result request_handler::handle_gateway_endpoint(const http::request_header<>& request,
                                                        reserved_endpoint endpoint,
                                                        const runtime& current,
                                                        handler_result result) {
  const std::string& id = result.notes.request_id;
  switch (endpoint) {
    case reserved_endpoint::healthz:
      result.response =
          plain_answer(http::status::ok, "application/json", R"({"status":"ok"})", id);
      break;
    case reserved_endpoint::readyz: {
      const bool store_ok = owner_.every_store_healthy();
      const bool ready = store_ok && !owner_.draining();
      std::string body = std::string(R"({"status":")") + (ready ? "ready" : "not_ready") +
                         R"(","config_generation":)" + std::to_string(current.config_generation) +
                         R"(,"session_store":")" + (store_ok ? "ok" : "unreachable") + R"("})";
      if (!ready) result.notes.reason = store_ok ? "draining" : "store_unavailable";
      result.response = plain_answer(ready ? http::status::ok : http::status::service_unavailable,
                                     "application/json", std::move(body), id);
      break;
    }
    case reserved_endpoint::metrics:
      result.response = plain_answer(http::status::ok, "text/plain; version=0.0.4; charset=utf-8",
                                     owner_.render_metrics(), id);
      break;
    case reserved_endpoint::jwks: {
      auto response =
          plain_answer(http::status::ok, "application/jwk-set+json", current.jwks_json, id);
      response.set(http::field::cache_control, "public, max-age=300");
      response.set(http::field::access_control_allow_origin, "*");
      result.response = std::move(response);
      break;
    }
    default: {
      // A path in one of varco's namespaces that names no endpoint.
      const bool json = result.notes.json;
      return refuse(std::move(result), 404, "not_found", json);
    }
  }
  if (request.method() == http::verb::head) result.response->body().clear();
  return result;
}

}  // namespace varco::gateway
