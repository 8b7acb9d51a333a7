// The IdPs varco trusts, loaded from the metadata sources of the saml config (spid and cie) and
// re-read on a schedule (RULES.md §6: refresh, keep the last good copy).
//
// Thread-safety: current() may be called from any number of worker threads at once; it returns
// a snapshot (std::shared_ptr<const idp_set>) that stays valid, unchanged, for as long as the
// caller holds it, even across a refresh. refresh() may run concurrently with readers; refreshes
// are serialised by an internal mutex (the gateway calls it from one timer, every idp_refresh).
// The published pointer is guarded by its own mutex held only to copy or replace the shared_ptr
// (one reference-count increment), never while files are read or signatures verified, so readers
// never wait for a refresh's I/O. Not std::atomic<std::shared_ptr>: libstdc++ 12 implements it
// with a lock bit ThreadSanitizer cannot see, and a clean TSan run is worth more than nanoseconds.
#pragma once

#include "base/clock.hpp"
#include "conf/config.hpp"
#include "saml/errors.hpp"
#include "saml/idp.hpp"
#include "saml/pending_request.hpp"

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace varco::saml {

// What one load or refresh did, for the caller to log: nothing here is logged by the registry.
struct refresh_report {
  struct source_failure {
    std::string file;
    failure why;
    bool kept_last_good = false;  // an earlier good copy of this source stays in service
  };
  bool changed = false;  // a new set was published
  std::size_t idp_count = 0;
  std::vector<source_failure> failures;
  // Worth a warning, not a failure: a source read without a trust certificate (unverified), an
  // entity listed twice (the first wins), a display override naming no loaded IdP.
  std::vector<std::string> notices;
};

class idp_registry {
 public:
  // Reads every source of saml.spid (kind spid) and saml.cie (kind cie), applies the `display`
  // overrides (name, logo) by entityID. Fails when no IdP at all could be loaded; a source that
  // fails while others load is reported in load_report() (the caller logs it and starts).
  static outcome<std::shared_ptr<idp_registry>> load(const conf::saml& config,
                                                     base::clock_function now = nullptr);

  // Re-reads every source. A source that fails keeps its last good copy (per source); the new set
  // is published only when some source's content changed.
  refresh_report refresh();

  std::shared_ptr<const idp_set> current() const;

  // What the initial load() reported (failed sources, notices). Immutable after load.
  const refresh_report& load_report() const { return load_report_; }

  // One metadata file, its trust anchor and what it last gave.
  struct source_state {
    provider_kind kind = provider_kind::spid;
    conf::idp_source source;
    bool loaded = false;       // `last_good` holds a good copy
    std::string last_content;  // the bytes behind last_good, to notice changes
    std::string last_trust;    // the trust certificate file's bytes then
    std::vector<idp_descriptor> last_good;
  };

 private:
  idp_registry(std::vector<source_state> sources, std::vector<conf::idp_display> display,
               base::clock_function now);

  // Reads every source into sources_ (caller holds refresh_mutex_) and publishes a new set when
  // a source changed or when `force` (the first load).
  refresh_report read_all(bool force);
  void publish(std::shared_ptr<const idp_set> set);

  std::mutex refresh_mutex_;  // one refresh at a time; guards sources_
  std::vector<source_state> sources_;
  const std::vector<conf::idp_display> display_;
  const base::clock_function now_;    // validUntil is checked against it
  mutable std::mutex current_mutex_;  // guards current_ only
  std::shared_ptr<const idp_set> current_;
  refresh_report load_report_;
};

}  // namespace varco::saml
