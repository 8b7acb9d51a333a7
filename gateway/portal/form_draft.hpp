// The draft of an Area Riservata form posted after its session had ended: what the user typed,
// kept server-side across the new login (gateway/portal/form_drafts.hpp stores it) and offered
// once on the form's page. This file is the record and its codec; no I/O, thread-safe.
//
// Two forms keep drafts: Assistenza (/area/support) and "Aggiungi un utente" (/area/users). A
// draft holds only the fields its form knows — never the CSRF token — each cut to the form's own
// limit, so the record is bounded whatever was posted. The record is url-form encoded:
//   v=1&path=%2Farea%2Fsupport&at=<unix milliseconds>&f.email=…&f.message=…&f.subject=…
#pragma once

#include "conf/config.hpp"

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace varco::gateway {

// Whether a form posted to `path` keeps a draft when its session has ended.
bool is_draft_form(std::string_view path) noexcept;

struct draft_field {
  std::string_view name;
  std::size_t max_chars;  // code points, as the form's own validation counts them
};

// The fields a draft of the form at `path` keeps, with their limits; empty when that form keeps
// no drafts (any other path, or Assistenza without a support section).
std::vector<draft_field> draft_fields_of(std::string_view path, const conf::support& support);

struct form_draft {
  std::string path;  // the form's page: /area/support or /area/users
  std::chrono::sys_time<std::chrono::milliseconds> saved_at{};
  std::map<std::string, std::string> fields;  // name → value as typed (CRLF folded to LF)
};

// The draft of `form` posted to `path` at `saved_at`: the fields the form knows, CRLF folded to
// LF (browsers send a textarea's line breaks as CRLF; the limits count them as one), each cut to
// its limit at a code-point boundary. A field that is not valid UTF-8 is left out. nullopt when
// `path` keeps no drafts.
std::optional<form_draft> make_draft(std::string_view path,
                                     const std::map<std::string, std::string>& form,
                                     const conf::support& support,
                                     std::chrono::sys_time<std::chrono::milliseconds> saved_at);

// The record stored for `draft`.
std::string encode_draft(const form_draft& draft);

// The draft a record holds. nullopt for a record this codec did not write: a bad escape, a key
// given twice, a version other than 1, a path that keeps no drafts, a missing or malformed time,
// an unknown key outside the fields. Fields the path's form does not know, over their limit, or
// not valid UTF-8 are dropped (the record is data from a store, checked like input).
std::optional<form_draft> decode_draft(std::string_view record, const conf::support& support);

// `text` cut to at most `max_chars` code points; nullopt when `text` is not valid UTF-8.
std::optional<std::string> truncate_utf8(std::string_view text, std::size_t max_chars);

}  // namespace varco::gateway
