// The IdPs varco trusts, loaded from the metadata sources of the saml config (spid and cie) and
// re-read on a schedule (RULES.md §6: refresh, keep the last good copy).
//
// The registry reads files itself. A URL source's documents are fetched by the caller (the
// gateway's outbound client, a layer above) and handed over with refresh() or offer(): they are
// verified and parsed exactly as a file's bytes are, with the source's trust certificate.
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
#include "saml/idp_metadata.hpp"
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
    std::string file;  // the source's label: its file, or its URL without the query
    failure why;
    bool kept_last_good = false;  // an earlier good copy of this source stays in service
    std::size_t source = 0;       // the source's index (idp_registry::source)
  };
  // A document handed over for a URL source that verified and is now its copy.
  struct accepted_document {
    std::size_t source = 0;
    metadata_timing timing;  // its cacheDuration and validUntil
  };
  bool changed = false;  // a new set was published
  std::size_t idp_count = 0;
  std::vector<source_failure> failures;
  std::vector<accepted_document> accepted;
  // Worth a warning, not a failure: a source read without a trust certificate (unverified), an
  // entity listed twice (the first wins), a display override naming no loaded IdP.
  std::vector<std::string> notices;
};

// The bytes fetched for a URL source, by the source's index (idp_registry::source).
struct fetched_document {
  std::size_t source = 0;
  std::string content;
};

class idp_registry {
 public:
  // The sources of saml.spid (kind spid) then saml.cie (kind cie), numbered in that order, with
  // nothing read yet: current() is an empty set until refresh() or offer() loads something.
  static std::shared_ptr<idp_registry> create(const conf::saml& config,
                                              base::clock_function now = nullptr);

  // create() and refresh(): every file source read, the `display` overrides (name, logo) applied
  // by entityID. Fails when no IdP at all could be loaded (a URL source, not fetched here, loads
  // nothing); a source that fails while others load is reported in load_report() (the caller
  // logs it and starts).
  static outcome<std::shared_ptr<idp_registry>> load(const conf::saml& config,
                                                     base::clock_function now = nullptr);

  // Re-reads every file source and takes `documents` for URL sources; a URL source without a
  // document keeps what it has. A source that fails keeps its last good copy (per source); the
  // new set is published once, and only when some source's content changed.
  refresh_report refresh(std::vector<fetched_document> documents = {});

  // Takes `documents` for URL sources and reads no file; otherwise as refresh(). The same bytes
  // offered again are parsed again (a validUntil that passed since is reported) and publish
  // nothing new.
  refresh_report offer(std::vector<fetched_document> documents);

  std::shared_ptr<const idp_set> current() const;

  // What the initial load() reported (failed sources, notices). Immutable after load.
  const refresh_report& load_report() const { return load_report_; }

  // The sources as configured. Fixed at creation: callable from any thread without a lock.
  std::size_t source_count() const noexcept { return sources_.size(); }
  const conf::idp_source& source(std::size_t index) const { return sources_.at(index).source; }
  provider_kind kind(std::size_t index) const { return sources_.at(index).kind; }

  // One metadata source, its trust anchor and what it last gave.
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

  // Reads the file sources when `files`, and the documents' URL sources, into sources_ (caller
  // holds refresh_mutex_); publishes a new set when a source changed.
  refresh_report read_all(bool files, std::vector<fetched_document> documents);
  void publish(std::shared_ptr<const idp_set> set);

  // One refresh at a time; guards what sources_ last gave (the vector itself, and each source's
  // kind and configuration, are fixed at creation).
  std::mutex refresh_mutex_;
  std::vector<source_state> sources_;
  const std::vector<conf::idp_display> display_;
  const base::clock_function now_;    // validUntil is checked against it
  mutable std::mutex current_mutex_;  // guards current_ only
  std::shared_ptr<const idp_set> current_;
  refresh_report load_report_;
};

}  // namespace varco::saml
