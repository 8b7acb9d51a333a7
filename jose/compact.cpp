#include "jose/compact.hpp"

#include "base/base64.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>

#include <array>

namespace varco::jose {
namespace {

// Splits on '.', refusing any other part count than `expected`.
bool split_parts(std::string_view token, std::size_t expected,
                 std::array<std::string_view, 5>& parts) {
  std::size_t count = 0;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = token.find('.', start);
    if (count == expected) return false;
    parts[count++] = token.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return count == expected;
}

outcome<boost::json::object> decode_header(std::string_view encoded, const limits& lim) {
  // 4 characters carry 3 bytes: the encoded length bounds the decoded one before decoding.
  if (encoded.size() / 4 * 3 > lim.max_header)
    return failure{reason::token_malformed, "the protected header is too large"};
  auto json = decode_base64url(encoded);
  if (!json) return json.error();
  auto header = parse_object(*json, reason::header_malformed);
  if (!header) return header.error();
  auto alg = string_member(*header, "alg");
  if (!alg) return alg.error();
  if (!*alg) return failure{reason::header_malformed, "no alg"};
  if (auto ok = refuse_extensions(*header); !ok) return ok.error();
  return header;
}

}  // namespace

outcome<std::string> decode_base64url(std::string_view text) {
  if (text.size() % 4 == 1) return failure{reason::bad_encoding, "impossible base64url length"};
  for (char c : text)
    if (base::base64url_value(c) < 0) return failure{reason::bad_encoding, "not base64url"};
  // The last character of a 2- or 3-character tail holds bits past the data: they must be zero.
  if (const std::size_t tail = text.size() % 4; tail != 0) {
    const int last = base::base64url_value(text.back());
    const int spare_mask = tail == 2 ? 0x0f : 0x03;
    if ((last & spare_mask) != 0) return failure{reason::bad_encoding, "non-canonical base64url"};
  }
  auto decoded = base::base64url_decode(text);
  if (!decoded) return failure{reason::bad_encoding, "not base64url"};
  return std::move(*decoded);
}

outcome<boost::json::object> parse_object(std::string_view json, reason refusal) {
  boost::json::parse_options options;
  options.max_depth = 32;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(json, ec, {}, options);
  if (ec) return failure{refusal, "not JSON: " + ec.message()};
  if (!value.is_object()) return failure{refusal, "not a JSON object"};
  return std::move(value.as_object());
}

outcome<std::optional<std::string_view>> string_member(const boost::json::object& header,
                                                       std::string_view name) {
  const auto* value = header.if_contains(name);
  if (value == nullptr) return std::optional<std::string_view>{};
  if (!value->is_string())
    return failure{reason::header_malformed, std::string(name) + " is not a string"};
  const auto& s = value->get_string();
  return std::optional<std::string_view>(std::string_view(s.data(), s.size()));
}

outcome<void> refuse_extensions(const boost::json::object& header) {
  if (header.contains("crit")) return failure{reason::crit_unsupported, "crit header"};
  if (header.contains("zip")) return failure{reason::zip_forbidden, "zip header"};
  return {};
}

outcome<jws_parts> split_jws(std::string_view token, const limits& lim) {
  if (token.size() > lim.max_token)
    return failure{reason::token_too_large, std::to_string(token.size()) + " bytes"};
  std::array<std::string_view, 5> parts;
  if (!split_parts(token, 3, parts)) return failure{reason::token_malformed, "not three parts"};
  // An empty signature is left to the algorithm check: with alg "none" it says alg_none.
  if (parts[0].empty()) return failure{reason::token_malformed, "an empty header"};
  jws_parts out;
  auto header = decode_header(parts[0], lim);
  if (!header) return header.error();
  out.header = std::move(*header);
  auto payload = decode_base64url(parts[1]);
  if (!payload) return payload.error();
  auto signature = decode_base64url(parts[2]);
  if (!signature) return signature.error();
  out.signing_input = token.substr(0, parts[0].size() + 1 + parts[1].size());
  out.payload = std::move(*payload);
  out.signature = std::move(*signature);
  return out;
}

outcome<jwe_parts> split_jwe(std::string_view token, const limits& lim) {
  if (token.size() > lim.max_token)
    return failure{reason::token_too_large, std::to_string(token.size()) + " bytes"};
  std::array<std::string_view, 5> parts;
  if (!split_parts(token, 5, parts)) return failure{reason::token_malformed, "not five parts"};
  // The encrypted key is empty with "dir" and "ECDH-ES": left to the algorithm check.
  for (std::size_t i : {0U, 2U, 3U, 4U})
    if (parts[i].empty()) return failure{reason::token_malformed, "an empty part"};
  jwe_parts out;
  auto header = decode_header(parts[0], lim);
  if (!header) return header.error();
  out.header = std::move(*header);
  out.protected_header = parts[0];
  std::array<std::string*, 4> into = {&out.encrypted_key, &out.iv, &out.ciphertext, &out.tag};
  for (std::size_t i = 0; i < into.size(); ++i) {
    auto decoded = decode_base64url(parts[i + 1]);
    if (!decoded) return decoded.error();
    *into[i] = std::move(*decoded);
  }
  return out;
}

}  // namespace varco::jose
