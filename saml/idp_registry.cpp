#include "saml/idp_registry.hpp"

#include "saml/idp_metadata.hpp"

#include <cstddef>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>
#include <utility>

namespace varco::saml {
namespace {

// AgID's aggregate is a few hundred KiB; anything far larger is not metadata we were meant to read.
constexpr std::size_t max_metadata_file_bytes = 16 * 1024 * 1024;
constexpr std::size_t max_certificate_file_bytes = 1024 * 1024;

outcome<std::string> read_file(const std::string& path, std::size_t cap) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return failure{reason::metadata_unreadable, "cannot open " + path};
  std::string content;
  char buffer[16 * 1024];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    content.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (content.size() > cap) {
      return failure{reason::metadata_unreadable,
                     path + " is larger than " + std::to_string(cap) + " bytes"};
    }
  }
  if (in.bad()) return failure{reason::metadata_unreadable, "cannot read " + path};
  return content;
}

void add_sources(std::vector<idp_registry::source_state>& out,
                 const conf::identity_provider_kind& section, provider_kind kind) {
  if (!section.configured) return;
  for (const auto& source : section.sources) {
    idp_registry::source_state state;
    state.kind = kind;
    state.source = source;
    out.push_back(std::move(state));
  }
}

// Reads one source; on success replaces its last good copy. Returns whether its content changed.
bool read_source(idp_registry::source_state& state, sys_millis now, refresh_report& report) {
  const auto& file = state.source.file;
  auto fail = [&](failure why) {
    report.failures.push_back({file, std::move(why), state.loaded});
    return false;
  };

  auto content = read_file(file, max_metadata_file_bytes);
  if (!content) return fail(content.error());

  std::string trust_bytes;
  std::optional<certificate> trust;
  if (!state.source.trust_certificate_file.empty()) {
    auto pem = read_file(state.source.trust_certificate_file, max_certificate_file_bytes);
    if (!pem) return fail(pem.error());
    auto cert = certificate::from_pem(*pem);
    if (!cert) {
      auto why = cert.error();
      why.detail = state.source.trust_certificate_file + ": " + why.detail;
      return fail(std::move(why));
    }
    trust_bytes = std::move(*pem);
    trust = std::move(*cert);
  }

  // Parsed every time even when unchanged: a validUntil that passed since, or a broken file that
  // is still broken, is reported at each refresh rather than once.
  auto idps = parse_idp_metadata(*content, state.kind, trust, now);
  if (!idps) return fail(idps.error());
  if (!trust) report.notices.push_back(file + ": no trust certificate, signature not verified");

  const bool changed =
      !state.loaded || *content != state.last_content || trust_bytes != state.last_trust;
  if (changed) {
    state.last_content = std::move(*content);
    state.last_trust = std::move(trust_bytes);
    state.last_good = std::move(*idps);
    state.loaded = true;
  }
  return changed;
}

}  // namespace

idp_registry::idp_registry(std::vector<source_state> sources,
                           std::vector<conf::idp_display> display, base::clock_function now)
    : sources_(std::move(sources)), display_(std::move(display)), now_(std::move(now)) {
  publish(std::make_shared<const idp_set>());
}

std::shared_ptr<const idp_set> idp_registry::current() const {
  std::lock_guard lock(current_mutex_);
  return current_;
}

void idp_registry::publish(std::shared_ptr<const idp_set> set) {
  std::shared_ptr<const idp_set> old;
  {
    std::lock_guard lock(current_mutex_);
    old = std::exchange(current_, std::move(set));
  }
  // `old` is released here, outside the lock: when it was the last reference the whole set is
  // destroyed, and readers need not wait for that.
}

outcome<std::shared_ptr<idp_registry>> idp_registry::load(const conf::saml& config,
                                                          base::clock_function now) {
  std::vector<source_state> sources;
  add_sources(sources, config.spid, provider_kind::spid);
  add_sources(sources, config.cie, provider_kind::cie);
  if (sources.empty()) {
    return failure{reason::metadata_unreadable, "no IdP metadata source is configured"};
  }
  std::vector<conf::idp_display> display = config.spid.display;
  display.insert(display.end(), config.cie.display.begin(), config.cie.display.end());

  // Not make_shared: the constructor is private so a registry only exists loaded.
  std::shared_ptr<idp_registry> registry(new idp_registry(std::move(sources), std::move(display),
                                                          now ? std::move(now) : base::system_now));
  {
    std::lock_guard lock(registry->refresh_mutex_);
    registry->load_report_ = registry->read_all(true);
  }
  if (registry->current()->size() == 0) {
    std::string detail = "no IdP could be loaded";
    for (const auto& f : registry->load_report_.failures) {
      detail += "; " + f.file + ": " + f.why.detail;
    }
    return failure{reason::metadata_unreadable, std::move(detail)};
  }
  return registry;
}

refresh_report idp_registry::refresh() {
  std::lock_guard lock(refresh_mutex_);
  return read_all(false);
}

refresh_report idp_registry::read_all(bool force) {
  refresh_report report;
  const sys_millis now = now_();
  bool changed = force;
  for (auto& state : sources_) changed = read_source(state, now, report) || changed;

  if (!changed) {
    report.idp_count = current()->size();
    return report;
  }

  std::vector<idp_descriptor> merged;
  std::set<std::string, std::less<>> seen;
  for (const auto& state : sources_) {
    for (const auto& idp : state.last_good) {
      if (!seen.insert(idp.entity_id).second) {
        report.notices.push_back(state.source.file + ": " + idp.entity_id +
                                 " already loaded from another source, ignored here");
        continue;
      }
      merged.push_back(idp);
    }
  }
  for (const auto& override_of : display_) {
    bool applied = false;
    for (auto& idp : merged) {
      if (idp.entity_id != override_of.entity_id) continue;
      if (!override_of.name.empty()) idp.display_name = override_of.name;
      if (!override_of.logo.empty()) idp.logo = override_of.logo;
      applied = true;
    }
    if (!applied) {
      report.notices.push_back("display override for " + override_of.entity_id +
                               ": no such IdP loaded");
    }
  }

  report.idp_count = merged.size();
  report.changed = true;
  publish(std::make_shared<const idp_set>(std::move(merged)));
  return report;
}

}  // namespace varco::saml
