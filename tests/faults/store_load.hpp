// A bounded client load: several threads, each a real HTTP/1.1 client on one keep-alive
// connection to 127.0.0.1, sending what a plan says until stopped, counting every outcome.
//
// Outcomes are counted per (label, phase): the label comes from the plan (what kind of request
// it was), the phase is the value of the test's `phase` counter both when the request was sent
// and when its answer had arrived, so the answer was produced within that phase. An answer whose
// phase changed on the way is counted under straddling(phase at arrival): it may show either
// phase's behaviour. A connection the
// server closes is replaced by a new one; a connect that fails is counted as `refused`, a
// request that fails on an open connection as `broken` (what a crashing server looks like).
//
// Thread-safety: construct, stop() and read from the test's thread; the loops run on their own.
#pragma once

#include "tests/support/http_client.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace varco::faults {

struct planned_request {
  std::string label;
  std::string target;
  test::header_list headers;
  // When set, an answer it rejects is counted as `invalid` (e.g. a 200 without the identity).
  std::function<bool(const test::http_response&)> valid;
};

// The phase key of answers sent in phase - 1 (or earlier) and received in `phase`.
constexpr int straddling(int phase) { return 100 + phase; }

// The request `thread` sends as its `n`th.
using request_plan = std::function<planned_request(unsigned thread, std::uint64_t n)>;

struct outcome_counts {
  std::map<unsigned, std::uint64_t> statuses;
  std::map<unsigned, std::string> first_body;  // one body per status, for messages
  std::uint64_t refused = 0;                   // connect failed
  std::uint64_t broken = 0;                    // failed on an open connection
  std::uint64_t invalid = 0;                   // planned_request::valid said no
  std::uint64_t count(unsigned status) const;
  std::uint64_t answered() const;
};

// How long a load phase lasts: short (3 s) for ./scripts/test, long (20 s) with
// VARCO_FAULTS_LONG=1 (scripts/faults). Threads: 4, or 8 in the long form.
std::chrono::milliseconds load_phase();
unsigned load_threads();
bool long_form();

class client_load {
 public:
  client_load(std::uint16_t port, unsigned threads, request_plan plan,
              const std::atomic<int>& phase);
  ~client_load();
  client_load(const client_load&) = delete;
  client_load& operator=(const client_load&) = delete;

  void stop();                                             // ends every loop and waits for it
  std::uint64_t answered() const;                          // answers so far, all threads
  std::uint64_t answered(const std::string& label) const;  // so far, that label

  // After stop(): every (label, phase) seen.
  const std::map<std::pair<std::string, int>, outcome_counts>& outcomes() const;
  outcome_counts total(const std::string& label) const;  // over all phases
  std::string report() const;                            // one line per (label, phase)

 private:
  void run(unsigned thread);
  void record(const std::string& label, int sent_in, const test::http_response* response,
              bool refused, bool invalid);

  std::uint16_t port_;
  request_plan plan_;
  const std::atomic<int>& phase_;
  std::atomic<bool> running_{true};
  std::atomic<std::uint64_t> answered_{0};
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, outcome_counts> outcomes_;
  std::vector<std::thread> threads_;
};

}  // namespace varco::faults
