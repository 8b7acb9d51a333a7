#include "tests/support/echoed.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/json.hpp>

#include <stdexcept>

namespace varco::test {

echoed::echoed(const http_response& response) {
  auto parsed = parse(response.body);
  if (!parsed) throw std::runtime_error("not the echo upstream's answer:\n" + response.body);
  *this = std::move(*parsed);
}

std::optional<echoed> echoed::parse(const std::string& body) {
  boost::system::error_code ec;
  const auto json = boost::json::parse(body, ec);
  if (ec || !json.is_object()) return std::nullopt;
  const auto& object = json.as_object();
  const auto* method = object.if_contains("method");
  const auto* target = object.if_contains("target");
  const auto* bytes = object.if_contains("body_bytes");
  const auto* sha256 = object.if_contains("body_sha256");
  const auto* headers = object.if_contains("headers");
  if (method == nullptr || !method->is_string() || target == nullptr || !target->is_string() ||
      bytes == nullptr || !bytes->is_number() || sha256 == nullptr || !sha256->is_string() ||
      headers == nullptr || !headers->is_array())
    return std::nullopt;
  echoed seen;
  seen.method = std::string(method->as_string());
  seen.target = std::string(target->as_string());
  seen.body_bytes = bytes->to_number<std::uint64_t>();
  seen.body_sha256 = std::string(sha256->as_string());
  for (const auto& item : headers->as_array()) {
    const auto& pair = item.as_array();
    seen.headers.emplace_back(std::string(pair.at(0).as_string()),
                              std::string(pair.at(1).as_string()));
  }
  return seen;
}

std::vector<std::string> echoed::values(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [n, v] : headers)
    if (boost::beast::iequals(n, name)) out.push_back(v);
  return out;
}

std::string echoed::value(const std::string& name) const {
  const auto all = values(name);
  return all.size() == 1 ? all.front() : std::string();
}

std::string json_field(const std::string& body, const std::string& name) {
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(body, ec);
  if (ec || !parsed.is_object()) return {};
  const auto* value = parsed.as_object().if_contains(name);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

}  // namespace varco::test
