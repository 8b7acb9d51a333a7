// `varco entity-configuration`: prints varco's signed Entity Configuration in the SPID/CIE OpenID
// Connect Federation, exactly as /.well-known/openid-federation serves it, for onboarding with
// the federation's registry and to check a key rollover before it goes live. Lives with the
// server (it builds the OpenID Connect service the login endpoints use), not with the offline
// commands below it.
#pragma once

#include <ostream>
#include <span>
#include <string_view>

namespace varco::gateway {

inline constexpr std::string_view entity_configuration_usage =
    "       varco entity-configuration --config FILE [--decoded]\n";

// 0 printed, 1 failed (the config or its keys), 2 usage error. --decoded prints the header and
// the claims as JSON instead of the compact JWS.
int run_entity_configuration_command(std::span<const std::string_view> args, std::ostream& out,
                                     std::ostream& err);

}  // namespace varco::gateway
