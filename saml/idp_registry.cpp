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

// Checks one source's bytes with its trust certificate (re-read each time, so a replaced
// certificate takes effect at the next refresh); on success replaces its last good copy. Returns
// whether its content changed.
bool take_content(idp_registry::source_state& state, std::size_t index, std::string content,
                  sys_millis now, refresh_report& report) {
  const std::string label = state.source.label();
  auto fail = [&](failure why) {
    report.failures.push_back({label, std::move(why), state.loaded, index});
    return false;
  };

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
  } else if (state.source.is_url()) {
    // The loader requires one; this keeps an unsigned document from the network out whatever the
    // caller built.
    return fail({reason::signature_missing,
                 "a document fetched from a URL is used only with a trust certificate"});
  }

  // Parsed every time even when unchanged: a validUntil that passed since, or a broken file that
  // is still broken, is reported at each refresh rather than once.
  auto read = read_idp_metadata(content, state.kind, trust, now);
  if (!read) return fail(read.error());
  if (!trust) report.notices.push_back(label + ": no trust certificate, signature not verified");
  if (state.source.is_url()) report.accepted.push_back({index, read->timing});

  const bool changed =
      !state.loaded || content != state.last_content || trust_bytes != state.last_trust;
  if (changed) {
    state.last_content = std::move(content);
    state.last_trust = std::move(trust_bytes);
    state.last_good = std::move(read->idps);
    state.loaded = true;
  }
  return changed;
}

// Reads one file source; see take_content.
bool read_file_source(idp_registry::source_state& state, std::size_t index, sys_millis now,
                      refresh_report& report) {
  auto content = read_file(state.source.file, max_metadata_file_bytes);
  if (!content) {
    report.failures.push_back({state.source.label(), content.error(), state.loaded, index});
    return false;
  }
  return take_content(state, index, std::move(*content), now, report);
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

std::shared_ptr<idp_registry> idp_registry::create(const conf::saml& config,
                                                   base::clock_function now) {
  std::vector<source_state> sources;
  add_sources(sources, config.spid, provider_kind::spid);
  add_sources(sources, config.cie, provider_kind::cie);
  std::vector<conf::idp_display> display = config.spid.display;
  display.insert(display.end(), config.cie.display.begin(), config.cie.display.end());
  // Not make_shared: the constructor is private so that a registry is only made here.
  return std::shared_ptr<idp_registry>(new idp_registry(std::move(sources), std::move(display),
                                                        now ? std::move(now) : base::system_now));
}

outcome<std::shared_ptr<idp_registry>> idp_registry::load(const conf::saml& config,
                                                          base::clock_function now) {
  auto registry = create(config, std::move(now));
  if (registry->source_count() == 0) {
    return failure{reason::metadata_unreadable, "no IdP metadata source is configured"};
  }
  {
    std::lock_guard lock(registry->refresh_mutex_);
    registry->load_report_ = registry->read_all(true, {});
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

refresh_report idp_registry::refresh(std::vector<fetched_document> documents) {
  std::lock_guard lock(refresh_mutex_);
  return read_all(true, std::move(documents));
}

refresh_report idp_registry::offer(std::vector<fetched_document> documents) {
  std::lock_guard lock(refresh_mutex_);
  return read_all(false, std::move(documents));
}

refresh_report idp_registry::read_all(bool files, std::vector<fetched_document> documents) {
  refresh_report report;
  const sys_millis now = now_();
  bool changed = false;
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    auto& state = sources_[i];
    if (!state.source.is_url()) {
      if (files) changed = read_file_source(state, i, now, report) || changed;
      continue;
    }
    for (auto& document : documents) {
      if (document.source != i) continue;
      changed = take_content(state, i, std::move(document.content), now, report) || changed;
    }
  }

  if (!changed) {
    report.idp_count = current()->size();
    return report;
  }

  std::vector<idp_descriptor> merged;
  std::set<std::string, std::less<>> seen;
  for (const auto& state : sources_) {
    for (const auto& idp : state.last_good) {
      if (!seen.insert(idp.entity_id).second) {
        report.notices.push_back(state.source.label() + ": " + idp.entity_id +
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
