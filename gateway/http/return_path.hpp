// Where a browser may be sent after login: only a local path under one of the configured prefixes.
//
// Every redirect varco performs after a login takes its target from here, so an attacker cannot
// turn /saml/login?return=… into an open redirect (//evil.example, /\evil.example, encoded
// controls, userinfo tricks, absolute URLs). Pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace varco::gateway {

// `candidate` if it is a safe local path-absolute reference (with optional query) starting with
// one of `allowed_prefixes`, else nullopt. Safe: starts with a single '/', no '\', no control
// characters or spaces (raw or percent-encoded), no "//" at the start, no scheme, ASCII only (no
// raw lookalikes), no overlong UTF-8 (%C0, %C1), no "." or ".." segment, at most 2 KiB.
std::optional<std::string> safe_return_path(std::string_view candidate,
                                            const std::vector<std::string>& allowed_prefixes);

}  // namespace varco::gateway
