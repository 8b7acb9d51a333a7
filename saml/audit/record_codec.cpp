#include "saml/audit/record_codec.hpp"

#include "base/sha256.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <array>

namespace varco::saml::audit {
namespace {

constexpr std::string_view hash_prefix = ",\"hash\":\"";
constexpr std::string_view hash_end = "\"}";
constexpr std::size_t suffix_size = hash_prefix.size() + hash_hex_size + hash_end.size();

bool read_seq(const boost::json::value& v, std::uint64_t& out) {
  if (v.is_uint64()) {
    out = v.get_uint64();
    return true;
  }
  if (v.is_int64() && v.get_int64() >= 0) {
    out = static_cast<std::uint64_t>(v.get_int64());
    return true;
  }
  return false;
}

}  // namespace

bool is_hash_hex(std::string_view text) {
  if (text.size() != hash_hex_size) return false;
  for (const char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

sealed_record seal_record(const record_header& header, const boost::json::object& fields) {
  boost::json::object head;
  head["seq"] = header.seq;
  head["time"] = format_time(header.time);
  head["prev"] = header.prev;
  head["kind"] = header.kind;
  // Serialise the header and the fields separately and splice them, so the (possibly large)
  // fields are not copied into one object first.
  std::string body = boost::json::serialize(head);
  body.pop_back();  // the closing '}'
  if (!fields.empty()) {
    const std::string rest = boost::json::serialize(fields);
    body.push_back(',');
    body.append(rest, 1, rest.size() - 2);  // without '{' and '}'
  }
  sealed_record out;
  out.hash = base::sha256_hex(body);
  out.line.reserve(body.size() + suffix_size + 1);
  out.line.append(body).append(hash_prefix).append(out.hash).append(hash_end).push_back('\n');
  return out;
}

boost::system::result<parsed_record, std::string> parse_record(std::string_view line) {
  if (line.size() <= suffix_size) return std::string("not an audit record (too short)");
  const std::string_view suffix = line.substr(line.size() - suffix_size);
  const std::string_view hash = suffix.substr(hash_prefix.size(), hash_hex_size);
  if (!suffix.starts_with(hash_prefix) || !suffix.ends_with(hash_end) || !is_hash_hex(hash))
    return std::string("not an audit record (no final \"hash\" member)");
  const std::string_view body = line.substr(0, line.size() - suffix_size);
  if (base::sha256_hex(body) != hash) return std::string("hash mismatch: the record was altered");

  // The hash matched, so these bytes are what the writer produced; the checks below catch a
  // writer bug or a forged record whose hash was recomputed, which the chain catches too.
  std::string json(body);
  json.push_back('}');
  boost::json::parse_options options;
  options.allow_invalid_utf8 = true;  // SAML messages are stored as received
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(json, ec, {}, options);
  if (ec || !value.is_object()) return std::string("the record is not a JSON object");
  boost::json::object& object = value.get_object();

  parsed_record out;
  out.hash = std::string(hash);
  std::size_t position = 0;
  for (auto& member : object) {
    const std::string_view key = member.key();
    const boost::json::value& v = member.value();
    bool good = true;
    if (position == 0)
      good = key == "seq" && read_seq(v, out.header.seq);
    else if (position == 1) {
      const auto t = v.is_string() ? parse_time(v.get_string()) : std::nullopt;
      good = key == "time" && t.has_value();
      if (good) out.header.time = *t;
    } else if (position == 2) {
      good = key == "prev" && v.is_string() && is_hash_hex(v.get_string());
      if (good) out.header.prev = v.get_string();
    } else if (position == 3) {
      good = key == "kind" && v.is_string() && !v.get_string().empty();
      if (good) out.header.kind = v.get_string();
    } else if (key == "seq" || key == "time" || key == "prev" || key == "kind" || key == "hash") {
      return "member \"" + std::string(key) + "\" appears twice";
    } else {
      out.fields.emplace(key, std::move(member.value()));
    }
    if (!good) return std::string("the record does not start with seq, time, prev, kind");
    ++position;
  }
  if (position < 4) return std::string("the record does not start with seq, time, prev, kind");
  return out;
}

}  // namespace varco::saml::audit
