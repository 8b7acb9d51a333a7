#include "gateway/portal/form_draft.hpp"

#include "gateway/http/form_body.hpp"
#include "gateway/http/url_encoding.hpp"
#include "gateway/pages/support_form.hpp"

#include <algorithm>
#include <charconv>

namespace varco::gateway {
namespace {

constexpr std::string_view support_path = "/area/support";
constexpr std::string_view users_path = "/area/users";
constexpr std::string_view field_prefix = "f.";

// Limits of fields whose form has no configured one. An e-mail address is at most 254 octets
// (RFC 5321); a fiscal number 16 characters, 22 with the "TINIT-" prefix the form accepts; names
// 100 (users_model.cpp); product ids and the role are short configured words, 128 is room enough.
constexpr std::size_t email_chars = 254;
constexpr std::size_t fiscal_number_chars = 22;
constexpr std::size_t person_name_chars = 100;
constexpr std::size_t choice_chars = 128;

const draft_field* find_field(const std::vector<draft_field>& fields, std::string_view name) {
  const auto it = std::find_if(fields.begin(), fields.end(),
                               [&](const draft_field& f) { return f.name == name; });
  return it == fields.end() ? nullptr : &*it;
}

std::optional<std::int64_t> parse_millis(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

bool is_draft_form(std::string_view path) noexcept {
  return path == support_path || path == users_path;
}

std::vector<draft_field> draft_fields_of(std::string_view path, const conf::support& support) {
  if (path == support_path && support.enabled) {
    return {{"email", email_chars},
            {"message", support.max_message_chars},
            {"product", choice_chars},
            {"subject", support.max_subject_chars}};
  }
  if (path == users_path) {
    return {{"email", email_chars},
            {"family_name", person_name_chars},
            {"fiscal_number", fiscal_number_chars},
            {"name", person_name_chars},
            {"product", choice_chars},
            {"role", choice_chars}};
  }
  return {};
}

std::optional<std::string> truncate_utf8(std::string_view text, std::size_t max_chars) {
  if (!utf8_length(text)) return std::nullopt;
  // Valid UTF-8 from here: every byte that is not a continuation byte starts a code point.
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (chars == max_chars) return std::string(text.substr(0, i));
    ++chars;
  }
  return std::string(text);
}

std::optional<form_draft> make_draft(std::string_view path,
                                     const std::map<std::string, std::string>& form,
                                     const conf::support& support,
                                     std::chrono::sys_time<std::chrono::milliseconds> saved_at) {
  const auto fields = draft_fields_of(path, support);
  if (fields.empty()) return std::nullopt;
  form_draft draft;
  draft.path = std::string(path);
  draft.saved_at = saved_at;
  for (const auto& field : fields) {
    const auto posted = form.find(std::string(field.name));
    if (posted == form.end()) continue;
    if (auto kept = truncate_utf8(without_cr(posted->second), field.max_chars))
      draft.fields.emplace(std::string(field.name), std::move(*kept));
  }
  return draft;
}

std::string encode_draft(const form_draft& draft) {
  std::string record = "v=1&path=" + percent_encode(draft.path) +
                       "&at=" + std::to_string(draft.saved_at.time_since_epoch().count());
  for (const auto& [name, value] : draft.fields) {
    record.append("&").append(field_prefix).append(percent_encode(name));
    record.append("=").append(percent_encode(value));
  }
  return record;
}

std::optional<form_draft> decode_draft(std::string_view record, const conf::support& support) {
  auto pairs = parse_form(record);
  if (!pairs) return std::nullopt;
  const auto version = pairs->find("v");
  const auto path = pairs->find("path");
  const auto at = pairs->find("at");
  if (version == pairs->end() || version->second != "1" || path == pairs->end() ||
      at == pairs->end())
    return std::nullopt;
  const auto fields = draft_fields_of(path->second, support);
  const auto millis = parse_millis(at->second);
  if (fields.empty() || !millis) return std::nullopt;

  form_draft draft;
  draft.path = path->second;
  draft.saved_at =
      std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(*millis));
  for (auto& [key, value] : *pairs) {
    if (key == "v" || key == "path" || key == "at") continue;
    if (!key.starts_with(field_prefix)) return std::nullopt;
    const std::string_view name = std::string_view(key).substr(field_prefix.size());
    const draft_field* known = find_field(fields, name);
    if (known == nullptr) continue;
    const auto length = utf8_length(value);
    if (!length || *length > known->max_chars) continue;
    draft.fields.emplace(std::string(name), std::move(value));
  }
  return draft;
}

}  // namespace varco::gateway
