// scenario_loader.cpp - the strict JSON scenario reader: types, limits and references.
// Reads a document through JsonValue (scenario/json_reader.hpp) into model::Scenario; the
// format, with every key, default and limit, is documented in docs/scenario-format.md.
#include "scenario/scenario_loader.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <system_error>
#include <unordered_map>
#include <utility>

#include <arpa/inet.h>

#include "model/exim_retry.hpp"
#include "scenario/json_reader.hpp"
#include "sim/random_stream.hpp"

namespace mxsim::format {
namespace {

using model::MtaFlavor;
using sim::kDay;
using sim::kHour;
using sim::kSecond;
using sim::SimTime;

constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();
constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::string_view kPositiveFeedback = "default_destination_concurrency_positive_feedback";
constexpr std::string_view kNegativeFeedback = "default_destination_concurrency_negative_feedback";
constexpr std::string_view kCohortLimit = "default_destination_concurrency_failed_cohort_limit";

// ---- Names and addresses ---------------------------------------------------

bool has_upper_case(std::string_view s) {
    for (const char c : s)
        if (c >= 'A' && c <= 'Z') return true;
    return false;
}

std::string lower_cased(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

// Dot-separated non-empty labels of [a-z0-9-], within DNS's 63 and 253 byte limits.
bool is_dns_name(std::string_view s) {
    if (s.empty() || s.size() > 253) return false;
    std::size_t label = 0;
    for (const char c : s) {
        if (c == '.') {
            if (label == 0) return false;
            label = 0;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
            if (++label > 63) return false;
        } else {
            return false;
        }
    }
    return label > 0;
}

// RFC 5322 dot-atom in lower case: atext characters, dots only between them, at most 64 bytes.
bool is_local_part(std::string_view s) {
    constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
    if (s.empty() || s.size() > 64 || s.front() == '.' || s.back() == '.') return false;
    if (s.find("..") != std::string_view::npos) return false;
    for (const char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                        kSpecials.find(c) != std::string_view::npos;
        if (!ok) return false;
    }
    return true;
}

// The note for a name that would be valid in lower case.
std::string lower_case_note(const std::string& s) {
    return "upper case is not allowed, so that names stay stable ids: write \"" + lower_cased(s) +
           "\"";
}

std::string read_dns_name(const JsonValue& v, std::string_view what) {
    const auto fail = [&](std::string_view note) {
        v.fail_expected("a lower-case " + std::string(what) + " like \"mx.dest.example\"", note);
    };
    if (!v.raw().is_string()) fail({});
    std::string s = v.string();
    if (has_upper_case(s) && is_dns_name(lower_cased(s))) fail(lower_case_note(s));
    if (!is_dns_name(s)) fail("labels of a-z, 0-9 and '-', separated by dots");
    return s;
}

std::string read_host_name(const JsonValue& v) {
    return read_dns_name(v, "host name");
}
std::string read_domain_name(const JsonValue& v) {
    return read_dns_name(v, "domain name");
}

std::string read_local_part(const JsonValue& v) {
    constexpr std::string_view kExpected = "a lower-case local part like \"alice\"";
    if (!v.raw().is_string()) v.fail_expected(kExpected);
    const std::string s = v.string();
    if (has_upper_case(s) && is_local_part(lower_cased(s)))
        v.fail_expected(kExpected, lower_case_note(s));
    if (!is_local_part(s))
        v.fail_expected(kExpected, "a-z, 0-9, !#$%&'*+-/=?^_`{|}~ and inner dots");
    return s;
}

enum class NullSender { Allowed, Refused };

model::Address read_address(const JsonValue& v, NullSender null_sender) {
    const bool allow_null = null_sender == NullSender::Allowed;
    const std::string expected = allow_null ? "an address like \"alice@dest.example\" or \"<>\""
                                            : "an address like \"alice@dest.example\"";
    if (!v.raw().is_string()) v.fail_expected(expected);
    const std::string s = v.string();
    if (s == "<>") {
        if (allow_null) return model::Address{};
        v.fail_expected(expected, "the null reverse path <> can only be a sender");
    }
    const std::size_t at = s.find('@');
    if (at == std::string::npos || s.find('@', at + 1) != std::string::npos)
        v.fail_expected(expected, "one '@' between the local part and the domain");
    model::Address a{s.substr(0, at), s.substr(at + 1)};
    const bool upper = has_upper_case(s);
    if (upper && is_local_part(lower_cased(a.local)) && is_dns_name(lower_cased(a.domain)))
        v.fail_expected(expected, lower_case_note(s));
    if (!is_local_part(a.local)) v.fail_expected(expected, "the local part is not valid");
    if (!is_dns_name(a.domain)) v.fail_expected(expected, "the domain is not a valid domain name");
    return a;
}

// A non-empty list of addresses, or the string "all" (every mailbox of every
// domain), which gives the empty list.
std::vector<model::Address> read_address_list(const JsonValue& v, NullSender null_sender) {
    if (v.raw().is_string()) {
        if (v.string() != "all") v.fail_expected("a non-empty array of addresses, or \"all\"");
        return {};
    }
    std::vector<model::Address> out;
    for (const JsonValue& e : v.elements())
        out.push_back(read_address(e, null_sender));
    if (out.empty()) v.fail_expected("a non-empty array of addresses");
    return out;
}

// ---- Durations ---------------------------------------------------------------

// A duration for messages: whole days as days ("100d", not "14w2d"), else format_duration.
std::string shown(SimTime t) {
    if (t > 0 && t % kDay == 0) return std::to_string(t / kDay) + "d";
    return sim::format_duration(t);
}

// No duration in a scenario may exceed 100 years: sums of a few such times
// stay far inside the 64-bit microsecond clock (issue 12).
constexpr SimTime kMaxDuration = 36500 * kDay;

struct DurationRule {
    DurationRule(std::string_view example_, std::optional<SimTime> default_unit_ = std::nullopt,
                 SimTime min_ = 0, SimTime max_ = kMaxDuration)
        : example(example_), default_unit(default_unit_), min(min_), max(max_) {}

    std::string_view example;             // "a duration like <example>" in messages
    std::optional<SimTime> default_unit;  // the unit of a bare number (Postfix parameters)
    SimTime min;
    SimTime max;
};

// DurationError's reason without the repetition of the text and the syntax summary.
std::string duration_reason(const std::string& what, const std::string& text) {
    std::string reason = what;
    const std::string prefix = "invalid duration \"" + text + "\": ";
    if (reason.rfind(prefix, 0) == 0) reason.erase(0, prefix.size());
    const std::size_t tail = reason.find(" (expected e.g.");
    if (tail != std::string::npos) reason.erase(tail);
    return reason;
}

std::string range_text(const DurationRule& r) {
    if (r.max != kMaxDuration) return "a duration from " + shown(r.min) + " to " + shown(r.max);
    const std::string upto = " and at most 36500d (100 years)";
    if (r.min == 1) return "a duration > 0s" + upto;
    return "a duration >= " + shown(r.min) + upto;
}

SimTime read_duration(const JsonValue& v, const DurationRule& r) {
    const std::string expected = "a duration like \"" + std::string(r.example) + "\"";
    if (!v.raw().is_string()) v.fail_expected(expected);
    const std::string text = v.string();
    SimTime t = 0;
    try {
        t = sim::parse_duration(text, r.default_unit);
    } catch (const sim::DurationError& e) {
        v.fail_expected(expected, duration_reason(e.what(), text));
    }
    if (t < r.min || t > r.max) v.fail_expected(range_text(r));
    return t;
}

// A rate per hour: at least one in 114 years, at most 10^9 an hour (one each
// 3.6 microseconds). Beyond, mean gaps no longer fit the clock or its
// resolution (issue 12). `zero_ok` for ramp points, which may pause.
constexpr double kMinRatePerHour = 1e-6;
constexpr double kMaxRatePerHour = 1e9;
double read_rate_per_hour(const JsonValue& v, bool zero_ok = false) {
    const std::string expected =
        std::string(zero_ok ? "0 or " : "") + "a rate from 0.000001 to 1000000000 an hour";
    const double r = v.raw().is_number() ? v.raw().get<double>() : -1.0;
    if (zero_ok && r == 0) return 0;
    if (!(r >= kMinRatePerHour && r <= kMaxRatePerHour)) v.fail_expected(expected);
    return r;
}

// Reads obj[key] into `out` when the key is present.
void read_duration_if(const JsonValue& obj, std::string_view key, const DurationRule& r,
                      SimTime& out) {
    if (auto v = obj.find(key)) out = read_duration(*v, r);
}

// ---- Small shared readers ------------------------------------------------------

// Reads a list of unique strings with `read_one`; a repeat is an error at its index.
template <typename ReadOne>
std::vector<std::string> read_unique_list(const JsonValue& v, std::string_view what,
                                          ReadOne read_one) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const JsonValue& e : v.elements()) {
        std::string s = read_one(e);
        if (!seen.insert(s).second)
            e.fail_expected("a " + std::string(what) + " not listed before");
        out.push_back(std::move(s));
    }
    return out;
}

// from < to; sorted by from; not overlapping the previous window.
// Each element is an object with (at most) the keys `allowed`.
std::vector<model::TimeWindow> read_windows(const JsonValue& v, std::string_view what,
                                            std::span<const std::string_view> allowed) {
    std::vector<model::TimeWindow> out;
    for (const JsonValue& e : v.elements()) {
        e.expect_object(allowed);
        model::TimeWindow w;
        const JsonValue from = e.required("from", "a duration like \"1h\"");
        w.from = read_duration(from, {"1h"});
        const JsonValue to = e.required("to", "a duration like \"2h\"");
        w.to = read_duration(to, {"2h"});
        if (w.to <= w.from) to.fail_expected("a time after \"from\" (" + shown(w.from) + ")");
        if (!out.empty() && w.from < out.back().from)
            from.fail_expected(std::string(what) +
                               "s sorted by \"from\": a time >= " + shown(out.back().from));
        if (!out.empty() && w.from < out.back().to)
            from.fail_expected("a time >= the end of the previous " + std::string(what) + " (" +
                                   shown(out.back().to) + ")",
                               std::string(what) + "s may not overlap");
        out.push_back(w);
    }
    return out;
}

template <typename Enum, std::size_t N>
Enum read_choice(const JsonValue& v,
                 const std::array<std::pair<std::string_view, Enum>, N>& choices) {
    std::string expected = "one of";
    for (std::size_t i = 0; i < N; ++i)
        expected += (i == 0       ? " \""
                     : i + 1 == N ? " or \""
                                  : ", \"") +
                    std::string(choices[i].first) + "\"";
    if (!v.raw().is_string()) v.fail_expected(expected);
    const std::string s = v.string();
    for (const auto& [name, value] : choices)
        if (name == s) return value;
    v.fail_expected(expected);
}

// ---- The loader ------------------------------------------------------------------

class Loader {
  public:
    explicit Loader(std::vector<std::string>& warnings) : warnings_(warnings) {}
    model::Scenario read(const JsonValue& root);

  private:
    void read_run(const JsonValue& root, model::Scenario& s);
    model::DnsSpec read_dns(const JsonValue& v);
    model::NetworkSpec read_network(const JsonValue& v);
    model::LinkSpec read_link(const JsonValue& v,
                              std::set<std::pair<std::string, std::string>>& seen);
    std::vector<model::HostSpec> read_hosts(const JsonValue& v);
    void collect_hosts(const std::vector<JsonValue>& hosts);
    model::HostSpec read_host(const JsonValue& v);
    model::MtaSpec read_mta(const JsonValue& v);
    void read_mta_lists(const JsonValue& v, model::MtaSpec& m);
    void read_mta_limits(const JsonValue& v, model::MtaSpec& m);
    void read_concurrency(const JsonValue& v, model::DestinationConcurrency& c);
    std::vector<model::ScheduledReply> read_replies(const JsonValue& v);
    std::vector<model::RelayDomain> read_relay_domains(const JsonValue& v, const model::MtaSpec& m);
    void read_queue(const JsonValue& v, model::MtaSpec& m);
    model::PostfixQueueSpec read_postfix_queue(const JsonValue& v);
    void read_postfix_timers(const JsonValue& v, model::MtaSpec& m);
    model::EximQueueSpec read_exim_queue(const JsonValue& v);
    model::SendmailQueueSpec read_sendmail_queue(const JsonValue& v);
    std::vector<model::DomainSpec> read_domains(const JsonValue& v);
    model::DomainSpec read_domain(const JsonValue& v);
    model::MailboxList read_mailboxes(const JsonValue& v);
    model::DnsState read_dns_state(const JsonValue& v);
    std::vector<model::MxRecord> read_mx_list(const JsonValue& v);
    std::vector<model::DnsChange> read_changes(const JsonValue& v);
    model::TrafficSpec read_traffic(const JsonValue& v);
    model::MessageSpec read_message(const JsonValue& v);
    model::StreamSpec read_stream(const JsonValue& v);
    model::WormSpec read_worm(const JsonValue& v);
    double read_share(const JsonValue& v) const;
    model::MailboxRateLimit read_rate_limit(const JsonValue& v) const;
    model::MailboxQuota read_quota(const JsonValue& v, const model::MtaSpec& m) const;
    void read_content_policies(const JsonValue& v, model::MtaSpec& m) const;
    model::AutoReplySpec read_vacation(const JsonValue& v, const model::DomainSpec& d) const;
    std::vector<model::RampPoint> read_ramp(const JsonValue& v) const;
    double read_rate_or_ramp(const JsonValue& v, std::vector<model::RampPoint>& ramp) const;
    std::string read_host_ref(const JsonValue& v) const;
    // Count-and-pattern mailbox lists already made, shared by the domains using them.
    std::map<std::pair<std::string, std::int64_t>, model::MailboxList> mailbox_patterns_;
    std::string read_sender_host(const JsonValue& obj, bool direct) const;
    SimTime read_time_in_run(const JsonValue& v) const;

    std::vector<std::string>& warnings_;
    std::set<std::string> hosts_;                   // every host name
    std::map<std::string, std::string> addresses_;  // hosts with an "address": name -> it
    std::set<std::string> mta_hosts_;               // the hosts that have an "mta"
    SimTime duration_ = 0;
};

model::Scenario Loader::read(const JsonValue& root) {
    static constexpr std::string_view kKeys[] = {"name",     "question",  "description", "seed",
                                                 "duration", "bin_width", "dns",         "network",
                                                 "hosts",    "domains",   "traffic"};
    root.expect_object(kKeys);
    model::Scenario s;
    read_run(root, s);
    s.hosts = read_hosts(root.required("hosts", "an array of hosts"));
    if (auto v = root.find("dns")) s.dns = read_dns(*v);
    if (auto v = root.find("network")) s.network = read_network(*v);
    if (auto v = root.find("domains")) s.domains = read_domains(*v);
    if (auto v = root.find("traffic")) s.traffic = read_traffic(*v);
    for (const model::WormSpec& w : s.traffic.worms)
        for (int i = 0; i < w.infected_hosts; ++i) {
            model::HostSpec bot;
            bot.name = model::worm_bot_name(w.name, i);
            s.hosts.push_back(std::move(bot));
        }
    return s;
}

void Loader::read_run(const JsonValue& root, model::Scenario& s) {
    s.name = root.required("name", "a non-empty string").non_empty_string();
    if (auto v = root.find("question")) s.question = v->string();
    if (auto v = root.find("description")) s.description = v->string();
    if (auto v = root.find("seed")) s.seed = v->unsigned_integer();
    read_duration_if(root, "duration", {"7d", std::nullopt, 1}, s.duration);
    duration_ = s.duration;
    if (auto v = root.find("bin_width")) {
        s.bin_width = read_duration(*v, {"1h", std::nullopt, 1});
        if (s.bin_width > s.duration)
            v->fail_expected("a duration <= \"duration\" (" + shown(s.duration) + ")");
    } else if (s.bin_width > s.duration) {
        root.required("duration", "")
            .fail_expected("a duration >= the default bin_width 1h", "or set \"bin_width\"");
    }
}

model::DnsSpec Loader::read_dns(const JsonValue& v) {
    static constexpr std::string_view kKeys[] = {"query_latency", "parent_negative_ttl"};
    v.expect_object(kKeys);
    model::DnsSpec d;
    read_duration_if(v, "query_latency", {"20ms"}, d.query_latency);
    read_duration_if(v, "parent_negative_ttl", {"900s"}, d.parent_negative_ttl);
    return d;
}

model::NetworkSpec Loader::read_network(const JsonValue& v) {
    static constexpr std::string_view kKeys[] = {"internet_latency", "links"};
    v.expect_object(kKeys);
    model::NetworkSpec n;
    read_duration_if(v, "internet_latency", {"40ms"}, n.internet_latency);
    if (auto links = v.find("links")) {
        std::set<std::pair<std::string, std::string>> seen;
        for (const JsonValue& l : links->elements())
            n.links.push_back(read_link(l, seen));
    }
    return n;
}

model::LinkSpec Loader::read_link(const JsonValue& v,
                                  std::set<std::pair<std::string, std::string>>& seen) {
    static constexpr std::string_view kKeys[] = {"a", "b", "latency"};
    v.expect_object(kKeys);
    model::LinkSpec l;
    l.a = read_host_ref(v.required("a", "a host name"));
    const JsonValue b = v.required("b", "a host name");
    l.b = read_host_ref(b);
    if (l.a == l.b) b.fail_expected("a host other than \"a\"");
    read_duration_if(v, "latency", {"10ms"}, l.latency);
    if (!seen.emplace(std::min(l.a, l.b), std::max(l.a, l.b)).second)
        b.fail_expected("a pair of hosts not linked before");
    return l;
}

// ---- Hosts and MTAs -------------------------------------------------------------

// An IPv4 or IPv6 address literal, as inet_pton() reads it.
std::string read_ip_address(const JsonValue& v) {
    const std::string text = v.raw().is_string() ? v.string() : std::string();
    unsigned char buf[sizeof(in6_addr)];
    if (inet_pton(AF_INET, text.c_str(), buf) != 1 && inet_pton(AF_INET6, text.c_str(), buf) != 1)
        v.fail_expected("an IPv4 or IPv6 address such as \"192.0.2.1\" or \"2001:db8::1\"");
    return text;
}

// A network of mynetworks ("192.0.2.0/24", "[2001:db8::]/32", or one address),
// as Postfix's mynetworks takes it (cidr_match.c); nullopt when it is not one.
struct Network {
    int family = AF_INET;
    unsigned char bytes[sizeof(in6_addr)] = {};
    int prefix = 32;
};
std::optional<Network> read_network_text(std::string text) {
    Network n;
    int bits = -1;
    if (const std::size_t slash = text.find('/'); slash != std::string::npos) {
        const std::string p = text.substr(slash + 1);
        if (p.empty() || p.size() > 3 ||
            !std::all_of(p.begin(), p.end(), [](unsigned char c) { return std::isdigit(c); }))
            return std::nullopt;
        bits = std::stoi(p);
        text = text.substr(0, slash);
    }
    if (text.size() > 2 && text.front() == '[' && text.back() == ']')
        text = text.substr(1, text.size() - 2);
    if (inet_pton(AF_INET, text.c_str(), n.bytes) == 1) {
        n.prefix = bits < 0 ? 32 : bits;
        return n.prefix <= 32 ? std::optional(n) : std::nullopt;
    }
    if (inet_pton(AF_INET6, text.c_str(), n.bytes) != 1) return std::nullopt;
    n.family = AF_INET6;
    n.prefix = bits < 0 ? 128 : bits;
    return n.prefix <= 128 ? std::optional(n) : std::nullopt;
}

bool in_network(const Network& n, const std::string& address) {
    unsigned char a[sizeof(in6_addr)] = {};
    if (inet_pton(n.family, address.c_str(), a) != 1) return false;  // the other family
    for (int bit = 0; bit < n.prefix; ++bit) {
        const int byte = bit / 8, mask = 0x80 >> (bit % 8);
        if ((a[byte] & mask) != (n.bytes[byte] & mask)) return false;
    }
    return true;
}

std::vector<model::HostSpec> Loader::read_hosts(const JsonValue& v) {
    const auto elements = v.elements();
    if (elements.empty()) v.fail_expected("at least one host");
    collect_hosts(elements);
    std::vector<model::HostSpec> out;
    for (const JsonValue& h : elements)
        out.push_back(read_host(h));
    return out;
}

// First pass: every host's name, so that references may point forwards.
void Loader::collect_hosts(const std::vector<JsonValue>& hosts) {
    static constexpr std::string_view kKeys[] = {"name", "address", "mta", "outages"};
    std::map<std::string, std::string> paths;
    std::map<std::string, std::string> address_paths;
    for (const JsonValue& h : hosts) {
        h.expect_object(kKeys);
        if (auto a = h.find("address")) {
            const auto [it, fresh] = address_paths.emplace(read_ip_address(*a), h.path());
            if (auto n = h.find("name"); n && n->raw().is_string())
                addresses_[n->raw().get<std::string>()] = it->first;
            if (!fresh)
                a->fail_expected("an address no other host has", "already " + it->second + "'s");
        }
        const JsonValue name = h.required("name", "a lower-case host name");
        const std::string n = read_host_name(name);
        const auto [it, fresh] = paths.emplace(n, h.path());
        if (!fresh)
            name.fail_expected("a host name not used before", "already the name of " + it->second);
        hosts_.insert(n);
        if (h.has("mta")) mta_hosts_.insert(n);
    }
}

model::HostSpec Loader::read_host(const JsonValue& v) {
    model::HostSpec h;
    h.name = read_host_name(v.required("name", "a host name"));
    if (auto a = v.find("address")) h.address = read_ip_address(*a);
    if (auto m = v.find("mta")) h.mta = read_mta(*m);
    if (auto outages = v.find("outages")) {
        static constexpr std::string_view kKeys[] = {"from", "to", "mode"};
        static constexpr std::array<std::pair<std::string_view, model::OutageMode>, 2> kModes{
            {{"refuse", model::OutageMode::Refuse}, {"timeout", model::OutageMode::Timeout}}};
        for (const model::TimeWindow& w : read_windows(*outages, "outage", kKeys))
            h.outages.push_back(model::Outage{w, model::OutageMode::Refuse});
        const auto elements = outages->elements();
        for (std::size_t i = 0; i < elements.size(); ++i)
            if (auto mode = elements[i].find("mode"))
                h.outages[i].mode = read_choice(*mode, kModes);
    }
    return h;
}

model::MtaSpec Loader::read_mta(const JsonValue& v) {
    static constexpr std::string_view kKeys[] = {
        "flavor",
        "local_domains",
        "reject_unlisted_recipient",
        "relay_domains",
        "relay_clients",
        "queue",
        "notify_classes",
        "2bounce_notice_recipient",
        "smtp_defer_if_no_mx_address_found",
        "bounce_notice_recipient",
        "hopcount_limit",
        "smtp_connect_timeout",
        "inbound_session_limit",
        "initial_destination_concurrency",
        "default_destination_concurrency_limit",
        kPositiveFeedback,
        kNegativeFeedback,
        kCohortLimit,
        "smtp_initial_destination_concurrency",
        "smtp_destination_concurrency_limit",
        "smtp_destination_concurrency_positive_feedback",
        "smtp_destination_concurrency_negative_feedback",
        "smtp_destination_concurrency_failed_cohort_limit",
        "default_destination_recipient_limit",
        "smtp_destination_recipient_limit",
        "smtpd_relay_restrictions",
        "relay_domains_reject_code",
        "unverified_recipient_reject_code",
        "mailbox_rate_limit",
        "greylist",
        "check_spf",
        "bounce_size_limit",
        "virus_scan",
        "virus_reject_code",
        "mailbox_quota",
        "reject_multi_recipient_bounce",
        "replies",
        "default_process_limit",
        "qmgr_message_active_limit",
        "smtp_connection_cache_on_demand",
        "smtp_connection_cache_time_limit",
        "smtp_connection_reuse_time_limit",
        "smtp_connection_reuse_count_limit",
        "soft_bounce",
        // Postfix's own names (docs/import.md): main.cf parameters drop in unchanged.
        "mydestination",
        "mynetworks",
        "smtpd_reject_unlisted_recipient",
        "queue_run_delay",
        "minimal_backoff_time",
        "maximal_backoff_time",
        "maximal_queue_lifetime",
        "bounce_queue_lifetime",
        "delay_warning_time",
    };
    static constexpr std::array<std::pair<std::string_view, MtaFlavor>, 3> kFlavors{
        {{"postfix", MtaFlavor::Postfix},
         {"exim", MtaFlavor::Exim},
         {"sendmail", MtaFlavor::Sendmail}}};
    v.expect_object(kKeys);
    model::MtaSpec m;
    if (auto f = v.find("flavor")) m.flavor = read_choice(*f, kFlavors);
    read_mta_lists(v, m);
    if (auto q = v.find("queue")) read_queue(*q, m);
    read_postfix_timers(v, m);
    read_mta_limits(v, m);
    if (auto r = v.find("replies")) m.replies = read_replies(*r);
    if (auto s = v.find("soft_bounce")) {
        m.soft_bounce = s->boolean();
        if (m.soft_bounce && m.flavor != MtaFlavor::Postfix)
            s->fail_expected("false",
                             "soft_bounce is a Postfix parameter; this MTA is not Postfix");
    }
    return m;
}

// "450 4.7.1 try again later": a code, an optional RFC 3463 code of the same
// class, and the text.
void read_reply_text(const JsonValue& v, model::ScheduledReply& r) {
    constexpr std::string_view kExpected =
        "a reply like \"450 4.7.1 try again later\": a code from 200 to 599, then an "
        "optional enhanced code of the same class, then the text";
    const std::string text = v.raw().is_string() ? v.string() : std::string();
    if (text.size() < 3 || !std::isdigit(static_cast<unsigned char>(text[0])) ||
        !std::isdigit(static_cast<unsigned char>(text[1])) ||
        !std::isdigit(static_cast<unsigned char>(text[2])) || (text.size() > 3 && text[3] != ' '))
        v.fail_expected(kExpected);
    r.code = std::stoi(text.substr(0, 3));
    if (r.code < 200 || r.code > 599 || r.code / 100 == 3) v.fail_expected(kExpected);
    std::string rest = text.size() > 4 ? text.substr(4) : std::string();
    const auto space = rest.find(' ');
    const std::string first = rest.substr(0, space);
    const bool enhanced =
        first.size() >= 5 && first[1] == '.' &&
        std::all_of(
            first.begin(), first.end(),
            [](char c) { return c == '.' || std::isdigit(static_cast<unsigned char>(c)); }) &&
        std::count(first.begin(), first.end(), '.') == 2;
    if (enhanced) {
        if (first[0] != text[0])
            v.fail_expected(kExpected, "the enhanced code's class must be the reply code's");
        r.enhanced = first;
        rest = space == std::string::npos ? std::string() : rest.substr(space + 1);
    }
    r.text = rest;
}

std::vector<model::ScheduledReply> Loader::read_replies(const JsonValue& v) {
    static constexpr std::string_view kKeys[] = {"command", "reply", "from", "to", "recipients"};
    static constexpr std::array<std::pair<std::string_view, model::SmtpCommand>, 5> kCommands{
        {{"connect", model::SmtpCommand::Connect},
         {"mail", model::SmtpCommand::Mail},
         {"rcpt", model::SmtpCommand::Rcpt},
         {"data", model::SmtpCommand::Data},
         {"end_of_data", model::SmtpCommand::EndOfData}}};
    std::vector<model::ScheduledReply> out;
    for (const JsonValue& e : v.elements()) {
        e.expect_object(kKeys);
        model::ScheduledReply r;
        r.command = read_choice(e.required("command", "an SMTP command"), kCommands);
        read_reply_text(e.required("reply", "a reply like \"450 4.7.1 try again later\""), r);
        if (r.command == model::SmtpCommand::Connect && r.code / 100 == 2)
            e.required("reply", "")
                .fail_expected("a 4xx or 5xx greeting",
                               "a 2xx greeting is what the server says anyway");
        read_duration_if(e, "from", {"0s"}, r.window.from);
        read_duration_if(e, "to", {"45s"}, r.window.to);
        if (r.window.to <= r.window.from)
            e.required("to", "").fail_expected("a time after \"from\" (" + shown(r.window.from) +
                                               ")");
        if (auto list = e.find("recipients")) {
            if (r.command == model::SmtpCommand::Connect || r.command == model::SmtpCommand::Mail)
                list->fail_expected("no recipients", "the server has not seen one at that command");
            for (const JsonValue& a : list->elements()) {
                const model::Address addr = read_address(a, NullSender::Refused);
                r.recipients.push_back(addr.local + "@" + addr.domain);
            }
        }
        out.push_back(std::move(r));
    }
    return out;
}

// A key given under its mxsim name or its Postfix name, not both.
std::optional<JsonValue> either(const JsonValue& v, std::string_view ours,
                                std::string_view postfix) {
    auto a = v.find(ours), b = v.find(postfix);
    if (a && b)
        b->fail_expected(
            "one of \"" + std::string(ours) + "\" and \"" + std::string(postfix) + "\"",
            "they are the same parameter");
    return a ? a : b;
}

void Loader::read_mta_lists(const JsonValue& v, model::MtaSpec& m) {
    if (auto l = either(v, "local_domains", "mydestination"))
        m.local_domains = read_unique_list(*l, "domain", read_domain_name);
    if (auto b = either(v, "reject_unlisted_recipient", "smtpd_reject_unlisted_recipient"))
        m.reject_unlisted_recipient = b->boolean();
    if (auto r = v.find("relay_domains")) m.relay_domains = read_relay_domains(*r, m);
    if (auto c = v.find("relay_clients"))
        m.relay_clients =
            read_unique_list(*c, "host", [this](const JsonValue& e) { return read_host_ref(e); });
    // mynetworks: the hosts whose "address" is in one of the networks may relay.
    if (auto n = v.find("mynetworks"))
        for (const JsonValue& e : n->elements()) {
            const auto net = read_network_text(e.raw().is_string() ? e.string() : std::string());
            if (!net) e.fail_expected("a network like \"192.0.2.0/24\" or \"[2001:db8::]/32\"");
            for (const auto& [host, address] : addresses_)
                if (in_network(*net, address) &&
                    std::find(m.relay_clients.begin(), m.relay_clients.end(), host) ==
                        m.relay_clients.end())
                    m.relay_clients.push_back(host);
        }
    if (auto n = v.find("notify_classes")) {
        constexpr std::string_view kClasses[] = {"bounce", "2bounce",  "data",     "delay",
                                                 "policy", "protocol", "resource", "software"};
        const auto classes = read_unique_list(*n, "class", [&](const JsonValue& e) {
            const std::string s = e.raw().is_string() ? e.string() : std::string();
            for (const std::string_view c : kClasses)
                if (c == s) return s;
            e.fail_expected(
                "one of bounce, 2bounce, data, delay, policy, protocol, resource, software");
        });
        for (const std::string& c : classes) {
            m.notify_bounce |= c == "bounce";
            m.notify_2bounce |= c == "2bounce";
        }
    }
    if (auto p = v.find("2bounce_notice_recipient")) {
        const model::Address a = read_address(*p, NullSender::Refused);
        m.postmaster = a.local + "@" + a.domain;
    }
    if (auto p = v.find("bounce_notice_recipient")) {
        const model::Address a = read_address(*p, NullSender::Refused);
        m.bounce_notice_recipient = a.local + "@" + a.domain;
    }
}

std::vector<model::RelayDomain> Loader::read_relay_domains(const JsonValue& v,
                                                           const model::MtaSpec& m) {
    static constexpr std::string_view kKeys[] = {"domain", "recipient_check", "next_hop"};
    static constexpr std::array<std::pair<std::string_view, model::RecipientCheck>, 3> kChecks{
        {{"none", model::RecipientCheck::None},
         {"list", model::RecipientCheck::List},
         {"verify", model::RecipientCheck::Verify}}};
    const std::set<std::string> local(m.local_domains.begin(), m.local_domains.end());
    std::vector<model::RelayDomain> out;
    std::set<std::string> seen;
    for (const JsonValue& e : v.elements()) {
        model::RelayDomain r;
        std::optional<JsonValue> name = e;
        if (!e.raw().is_string()) {
            if (!e.raw().is_object())
                e.fail_expected("a domain name or {\"domain\": ..., \"recipient_check\": ...}");
            e.expect_object(kKeys);
            name = e.required("domain", "a domain name");
            if (auto c = e.find("recipient_check")) r.check = read_choice(*c, kChecks);
            if (auto h = e.find("next_hop")) r.next_hop = read_host_ref(*h);
        }
        r.domain = read_domain_name(*name);
        if (!seen.insert(r.domain).second) name->fail_expected("a domain not listed before");
        if (local.contains(r.domain))
            name->fail_expected("a domain that is not in local_domains",
                                "a domain is either final here or relayed, not both");
        out.push_back(r);
    }
    return out;
}

// smtp(8)'s connection cache parameters, with postconf(5)'s units (seconds).
void read_connection_cache(const JsonValue& v, model::ConnectionCache& c) {
    if (auto d = v.find("smtp_connection_cache_on_demand")) c.on_demand = d->boolean();
    read_duration_if(v, "smtp_connection_cache_time_limit", {"2s", kSecond, kSecond}, c.idle_limit);
    read_duration_if(v, "smtp_connection_reuse_time_limit", {"300s", kSecond, kSecond},
                     c.reuse_time_limit);
    if (auto n = v.find("smtp_connection_reuse_count_limit"))
        c.reuse_count_limit = static_cast<int>(n->integer(0, kIntMax));
}

// A qmgr parameter under its default_ name or its smtp_ transport form; the
// transport form wins, as in Postfix (qmgr_transport.c, get_mail_conf_int2).
std::optional<JsonValue> find_transport_param(const JsonValue& v, std::string_view default_name,
                                              std::string_view tail) {
    if (auto t = v.find(std::string("smtp_") + std::string(tail))) return t;
    return v.find(default_name);
}

// "1/concurrency", "N/concurrency", "1/8", or a number, between 0 and 1
// (qmgr_feedback.c, qmgr_feedback_init; Postfix warns and uses 1 when out of
// range, mxsim refuses).
model::ConcurrencyFeedback read_feedback(const JsonValue& v) {
    constexpr std::string_view kExpected =
        "a feedback from 0 to 1: a number, \"N/concurrency\" or \"N/D\"";
    model::ConcurrencyFeedback f;
    double numerator = 0, denominator = 1;
    if (v.raw().is_number()) {
        numerator = v.raw().get<double>();
        f.per_window = false;
    } else if (v.raw().is_string()) {
        std::string text = v.string();  // sscanf() in Postfix skips blanks
        std::erase_if(text, [](unsigned char ch) { return std::isspace(ch); });
        const auto slash = text.find('/');
        const auto number = [&](std::string_view part, double& out) {
            std::size_t used = 0;
            try {
                out = std::stod(std::string(part), &used);
            } catch (const std::exception&) {
                v.fail_expected(kExpected);
            }
            if (used != part.size() || !std::isfinite(out)) v.fail_expected(kExpected);
        };
        number(std::string_view(text).substr(0, slash), numerator);
        f.per_window = slash != std::string::npos && text.substr(slash + 1) == "concurrency";
        if (slash != std::string::npos && !f.per_window) {
            number(std::string_view(text).substr(slash + 1), denominator);
            if (!(denominator >= 1.0 / kIntMax && denominator <= kIntMax))
                v.fail_expected(kExpected);
        }
    } else {
        v.fail_expected(kExpected);
    }
    f.base = numerator / denominator;
    if (!(f.base >= 0 && f.base <= 1)) v.fail_expected(kExpected);
    return f;
}

void Loader::read_concurrency(const JsonValue& v, model::DestinationConcurrency& c) {
    const auto initial = find_transport_param(v, "initial_destination_concurrency",
                                              "initial_destination_concurrency");
    const auto limit = find_transport_param(v, "default_destination_concurrency_limit",
                                            "destination_concurrency_limit");
    if (initial) c.initial = static_cast<int>(initial->integer(1, kIntMax));
    if (limit) c.limit = static_cast<int>(limit->integer(0, kIntMax));
    if (auto p =
            find_transport_param(v, kPositiveFeedback, "destination_concurrency_positive_feedback"))
        c.positive = read_feedback(*p);
    if (auto n =
            find_transport_param(v, kNegativeFeedback, "destination_concurrency_negative_feedback"))
        c.negative = read_feedback(*n);
    if (auto l =
            find_transport_param(v, kCohortLimit, "destination_concurrency_failed_cohort_limit"))
        c.failed_cohort_limit = static_cast<int>(l->integer(0, kIntMax));
    if (c.limit == 0 || c.limit >= c.initial) return;
    // Postfix lowers the initial window to the limit quietly; mxsim says so.
    if (limit)
        limit->fail_expected("0 (no limit) or an integer >= the initial destination concurrency (" +
                             std::to_string(c.initial) + ")");
    initial->fail_expected("an integer <= the destination concurrency limit (" +
                           std::to_string(c.limit) + ")");
}

void Loader::read_mta_limits(const JsonValue& v, model::MtaSpec& m) {
    if (auto h = v.find("hopcount_limit")) m.hopcount_limit = static_cast<int>(h->integer(1, 1000));
    read_duration_if(v, "smtp_connect_timeout", {"30s", kSecond, kSecond}, m.smtp_connect_timeout);
    if (auto s = v.find("inbound_session_limit"))
        m.inbound_session_limit = static_cast<int>(s->integer(0, kIntMax));
    read_concurrency(v, m.concurrency);
    if (auto r = find_transport_param(v, "default_destination_recipient_limit",
                                      "destination_recipient_limit"))
        m.recipient_limit = static_cast<int>(r->integer(1, kIntMax));
    if (auto p = v.find("default_process_limit"))
        m.process_limit = static_cast<int>(p->integer(1, kIntMax));
    if (auto a = v.find("qmgr_message_active_limit"))
        m.active_limit = static_cast<int>(a->integer(1, kIntMax));
    read_connection_cache(v, m.connection_cache);
    if (auto d = v.find("smtp_defer_if_no_mx_address_found"))
        m.smtp_defer_if_no_mx_address_found = d->boolean();
    if (auto r = v.find("smtpd_relay_restrictions")) {
        const std::string how = r->string();
        if (how != "defer_unauth_destination" && how != "reject_unauth_destination")
            r->fail_expected("\"defer_unauth_destination\" or \"reject_unauth_destination\"");
        m.defer_unauth_destination = how == "defer_unauth_destination";
    }
    if (auto c = v.find("relay_domains_reject_code"))
        m.relay_domains_reject_code = static_cast<int>(c->integer(400, 599));
    if (auto c = v.find("unverified_recipient_reject_code"))
        m.unverified_recipient_reject_code = static_cast<int>(c->integer(400, 599));
    if (auto b = v.find("bounce_size_limit")) m.bounce_size_limit = b->integer(0, kInt64Max);
    if (auto r = v.find("mailbox_rate_limit")) m.mailbox_rate_limit = read_rate_limit(*r);
    if (auto c = v.find("check_spf")) m.check_spf = c->boolean();
    read_content_policies(v, m);
    if (auto q = v.find("mailbox_quota")) m.mailbox_quota = read_quota(*q, m);
    if (auto g = v.find("greylist")) {
        static constexpr std::string_view kKeys[] = {"delay", "max_age", "pass_lifetime"};
        g->expect_object(kKeys);
        model::Greylist grey;
        read_duration_if(*g, "delay", {"300s", sim::kSecond, sim::kSecond}, grey.delay);
        read_duration_if(*g, "max_age", {"2d", std::nullopt, sim::kSecond}, grey.max_age);
        read_duration_if(*g, "pass_lifetime", {"35d", std::nullopt, sim::kSecond},
                         grey.pass_lifetime);
        m.greylist = grey;
    }
}

// ---- Queues ------------------------------------------------------------------------

struct QueueKey {
    std::string_view key;
    MtaFlavor flavor;
};

// Which flavor each queue key belongs to.
const std::array<QueueKey, 22>& queue_keys() {
    static constexpr std::array<QueueKey, 22> kKeys{{
        {"queue_run_delay", MtaFlavor::Postfix},
        {"minimal_backoff_time", MtaFlavor::Postfix},
        {"maximal_backoff_time", MtaFlavor::Postfix},
        {"maximal_queue_lifetime", MtaFlavor::Postfix},
        {"bounce_queue_lifetime", MtaFlavor::Postfix},
        {"delay_warning_time", MtaFlavor::Postfix},
        {"scan_phase", MtaFlavor::Postfix},
        {"retry_rules", MtaFlavor::Exim},
        {"queue_run_interval", MtaFlavor::Exim},
        {"delay_warning", MtaFlavor::Exim},
        {"ignore_bounce_errors_after", MtaFlavor::Exim},
        {"queue_run_phase", MtaFlavor::Exim},
        {"retry_interval_max", MtaFlavor::Exim},
        {"connection_max_messages", MtaFlavor::Exim},
        {"smtp_accept_queue_per_connection", MtaFlavor::Exim},
        {"timeout_frozen_after", MtaFlavor::Exim},
        {"queue_interval", MtaFlavor::Sendmail},
        {"queuereturn", MtaFlavor::Sendmail},
        {"queue_phase", MtaFlavor::Sendmail},
        {"queuewarn", MtaFlavor::Sendmail},
        {"DoubleBounceAddress", MtaFlavor::Sendmail},
        {"PostmasterCopy", MtaFlavor::Sendmail},
    }};
    return kKeys;
}

std::string_view flavor_name(MtaFlavor f) {
    switch (f) {
        case MtaFlavor::Postfix:
            return "postfix";
        case MtaFlavor::Exim:
            return "exim";
        case MtaFlavor::Sendmail:
            return "sendmail";
    }
    return "?";
}

// Every key must be a queue key of this MTA's flavor.
void check_queue_keys(const JsonValue& v, MtaFlavor flavor) {
    std::string list;
    for (const QueueKey& q : queue_keys())
        if (q.flavor == flavor) list += (list.empty() ? "" : ", ") + std::string(q.key);
    const std::string expected =
        "one of the " + std::string(flavor_name(flavor)) + " queue keys " + list + ", got ";
    for (const std::string& key : v.keys()) {
        const QueueKey* found = nullptr;
        for (const QueueKey& q : queue_keys())
            if (q.key == key) found = &q;
        if (found == nullptr) throw ScenarioError(v.message_at(key, expected + "an unknown key"));
        if (found->flavor != flavor)
            throw ScenarioError(v.message_at(
                key, expected + "a key of flavor " + std::string(flavor_name(found->flavor)) +
                         " (this MTA's flavor is " + std::string(flavor_name(flavor)) + ")"));
    }
}

// Postfix's queue timers written beside its other parameters, as in main.cf,
// rather than under "queue" (either place, not both).
void Loader::read_postfix_timers(const JsonValue& v, model::MtaSpec& m) {
    static constexpr std::string_view kTimers[] = {
        "queue_run_delay",        "minimal_backoff_time",  "maximal_backoff_time",
        "maximal_queue_lifetime", "bounce_queue_lifetime", "delay_warning_time"};
    const auto given = std::find_if(std::begin(kTimers), std::end(kTimers),
                                    [&](std::string_view k) { return v.has(k); });
    if (given == std::end(kTimers)) return;
    if (m.flavor != MtaFlavor::Postfix)
        v.required(*given, "")
            .fail_expected("a key of this MTA's flavor",
                           "a Postfix parameter; give the queue under \"queue\"");
    if (v.has("queue"))
        v.required(*given, "")
            .fail_expected("the queue timers in one place", "they are also given under \"queue\"");
    m.postfix = read_postfix_queue(v);
}

void Loader::read_queue(const JsonValue& v, model::MtaSpec& m) {
    v.expect_object();
    check_queue_keys(v, m.flavor);
    switch (m.flavor) {
        case MtaFlavor::Postfix:
            m.postfix = read_postfix_queue(v);
            break;
        case MtaFlavor::Exim:
            m.exim = read_exim_queue(v);
            break;
        case MtaFlavor::Sendmail:
            m.sendmail = read_sendmail_queue(v);
            break;
    }
}

// Postfix's own checks (qmgr): backoff times >= 1s and ordered, lifetimes 0..100d,
// bounce_queue_lifetime lowered to maximal_queue_lifetime with a warning.
model::PostfixQueueSpec Loader::read_postfix_queue(const JsonValue& v) {
    model::PostfixQueueSpec p;
    read_duration_if(v, "queue_run_delay", {"300s", kSecond, kSecond}, p.queue_run_delay);
    read_duration_if(v, "minimal_backoff_time", {"300s", kSecond, kSecond}, p.minimal_backoff_time);
    read_duration_if(v, "maximal_backoff_time", {"4000s", kSecond, kSecond},
                     p.maximal_backoff_time);
    read_duration_if(v, "maximal_queue_lifetime", {"5d", kDay, 0, 100 * kDay},
                     p.maximal_queue_lifetime);
    read_duration_if(v, "bounce_queue_lifetime", {"5d", kDay, 0, 100 * kDay},
                     p.bounce_queue_lifetime);
    read_duration_if(v, "delay_warning_time", {"4h", kHour}, p.delay_warning_time);
    read_duration_if(v, "scan_phase", {"0s", kSecond}, p.scan_phase);
    if (p.maximal_backoff_time < p.minimal_backoff_time) {
        if (auto max = v.find("maximal_backoff_time"))
            max->fail_expected("a duration >= minimal_backoff_time (" +
                               shown(p.minimal_backoff_time) + ")");
        v.required("minimal_backoff_time", "")
            .fail_expected("a duration <= maximal_backoff_time (" + shown(p.maximal_backoff_time) +
                           ")");
    }
    // scan_phase is 0 unless given, and queue_run_delay >= 1s, so only a given one can fail.
    if (p.scan_phase >= p.queue_run_delay)
        v.required("scan_phase", "")
            .fail_expected("a duration < queue_run_delay (" + shown(p.queue_run_delay) + ")");
    if (p.bounce_queue_lifetime > p.maximal_queue_lifetime) {
        warnings_.push_back(v.message_at(
            "bounce_queue_lifetime", "bounce_queue_lifetime (" + shown(p.bounce_queue_lifetime) +
                                         ") is larger than maximal_queue_lifetime (" +
                                         shown(p.maximal_queue_lifetime) +
                                         ") - adjusting bounce_queue_lifetime, as Postfix does"));
        p.bounce_queue_lifetime = p.maximal_queue_lifetime;
    }
    return p;
}

// When the daemon started, as an offset into the queue interval: its runs
// come at phase, phase + interval, ... (exim -q, sendmail -q run at start-up).
void read_phase(const JsonValue& v, std::string_view key, SimTime interval, SimTime& phase) {
    read_duration_if(v, key, {"5m"}, phase);
    if (phase < interval) return;
    v.required(key, "").fail_expected("a duration below the queue run interval (" +
                                      shown(interval) + ")");
}

model::EximQueueSpec Loader::read_exim_queue(const JsonValue& v) {
    model::EximQueueSpec e;
    if (auto r = v.find("retry_rules")) {
        constexpr std::string_view kExpected =
            "Exim retry rules like \"F,2h,15m; G,16h,1h,1.5; F,4d,6h\"";
        if (!r->raw().is_string()) r->fail_expected(kExpected);
        try {
            e.retry_rules = model::parse_exim_retry_rules(r->string());
        } catch (const std::logic_error& err) {  // std::invalid_argument and its kin
            r->fail_expected(kExpected, err.what());
        }
    }
    read_duration_if(v, "queue_run_interval", {"30m", std::nullopt, kSecond}, e.queue_run_interval);
    read_duration_if(v, "delay_warning", {"24h"}, e.delay_warning);
    read_duration_if(v, "ignore_bounce_errors_after", {"2d"}, e.ignore_bounce_errors_after);
    read_duration_if(v, "retry_interval_max", {"24h", std::nullopt, kSecond}, e.retry_interval_max);
    if (auto c = v.find("connection_max_messages"))
        e.connection_max_messages = static_cast<int>(c->integer(0, kIntMax));
    if (auto q = v.find("smtp_accept_queue_per_connection"))
        e.smtp_accept_queue_per_connection = static_cast<int>(q->integer(0, kIntMax));
    read_phase(v, "queue_run_phase", e.queue_run_interval, e.queue_run_phase);
    read_duration_if(v, "timeout_frozen_after", {"7d"}, e.timeout_frozen_after);
    return e;
}

model::SendmailQueueSpec Loader::read_sendmail_queue(const JsonValue& v) {
    model::SendmailQueueSpec s;
    read_duration_if(v, "queue_interval", {"15m", std::nullopt, kSecond}, s.queue_interval);
    read_duration_if(v, "queuereturn", {"5d", std::nullopt, kSecond}, s.queuereturn);
    read_duration_if(v, "queuewarn", {"4h"}, s.queuewarn);
    read_phase(v, "queue_phase", s.queue_interval, s.queue_phase);
    // "postmaster" is the MTA's own postmaster; "" (DoubleBounceAddress only): drop.
    const auto address = [&](const JsonValue& a) -> std::string {
        if (a.raw().is_string() && a.string() == "postmaster") return "postmaster";
        const model::Address parsed = read_address(a, NullSender::Refused);
        return parsed.local + "@" + parsed.domain;
    };
    if (auto d = v.find("DoubleBounceAddress"))
        s.double_bounce_address = d->raw().is_string() && d->string().empty() ? "" : address(*d);
    if (auto c = v.find("PostmasterCopy")) s.postmaster_copy = address(*c);
    return s;
}

// ---- Domains ---------------------------------------------------------------------

std::vector<model::DomainSpec> Loader::read_domains(const JsonValue& v) {
    std::vector<model::DomainSpec> out;
    const std::vector<JsonValue> elements = v.elements();
    std::unordered_map<std::string, std::size_t> seen;  // name -> index
    seen.reserve(elements.size());
    for (std::size_t i = 0; i < elements.size(); ++i) {
        const JsonValue& d = elements[i];
        out.push_back(read_domain(d));
        const auto [it, fresh] = seen.emplace(out.back().name, i);
        if (!fresh)
            d.required("name", "")
                .fail_expected("a domain name not used before",
                               "already the name of " + elements[it->second].path());
    }
    return out;
}

model::DomainSpec Loader::read_domain(const JsonValue& v) {
    static constexpr std::string_view kKeys[] = {
        "name",    "mailboxes", "exists",        "mx",   "null_mx", "a", "ttl", "negative_ttl",
        "changes", "servfail",  "spf_hard_fail", "batv", "vacation"};
    v.expect_object(kKeys);
    model::DomainSpec d;
    d.name = read_domain_name(v.required("name", "a lower-case domain name"));
    if (auto m = v.find("mailboxes")) d.mailboxes = read_mailboxes(*m);
    d.initial = read_dns_state(v);
    read_duration_if(v, "ttl", {"3600s"}, d.ttl);
    read_duration_if(v, "negative_ttl", {"900s"}, d.negative_ttl);
    if (auto f = v.find("spf_hard_fail")) d.spf_hard_fail = f->boolean();
    if (auto b = v.find("batv")) d.batv = b->boolean();
    if (auto a = v.find("vacation")) d.vacation = read_vacation(*a, d);
    if (auto c = v.find("changes")) d.changes = read_changes(*c);
    if (auto s = v.find("servfail")) {
        static constexpr std::array<std::string_view, 2> kWindowKeys{"from", "to"};
        d.servfail = read_windows(*s, "servfail window", kWindowKeys);
    }
    return d;
}

// The zone content keys of a domain or a change; absent ones take DnsState's defaults.
// A domain's mailboxes: an array of local parts, or {"count": N, "pattern":
// "u{i}"} for u0 ... u(N-1), made once and shared by every domain that asks
// for the same count and pattern (a world of 10^4 domains x 100 mailboxes
// holds 100 names, not a million).
model::MailboxList Loader::read_mailboxes(const JsonValue& v) {
    if (!v.raw().is_object()) return read_unique_list(v, "mailbox", read_local_part);
    static constexpr std::string_view kKeys[] = {"count", "pattern"};
    v.expect_object(kKeys);
    const std::int64_t count =
        v.required("count", "a whole number of mailboxes").integer(1, 1'000'000);
    const JsonValue p = v.required("pattern", "a local part with {i}, like \"u{i}\"");
    const std::string pattern = p.raw().is_string() ? p.string() : std::string();
    const auto at = pattern.find("{i}");
    if (at == std::string::npos || pattern.find("{i}", at + 3) != std::string::npos)
        p.fail_expected("a local part with {i} once, like \"u{i}\"");
    const auto key = std::make_pair(pattern, count);
    if (const auto it = mailbox_patterns_.find(key); it != mailbox_patterns_.end())
        return it->second;
    std::vector<std::string> names;
    names.reserve(static_cast<std::size_t>(count));
    for (std::int64_t i = 0; i < count; ++i) {
        std::string name = pattern;
        name.replace(at, 3, std::to_string(i));
        names.push_back(std::move(name));
    }
    // {i} expands to digits, so checking the first and the last checks them all.
    for (const std::string& name : {names.front(), names.back()})
        if (!is_local_part(name) || has_upper_case(name))
            p.fail_expected("a lower-case local part with {i}",
                            "\"" + name + "\" is not a valid local part");
    return mailbox_patterns_.emplace(key, model::MailboxList(std::move(names))).first->second;
}

model::DnsState Loader::read_dns_state(const JsonValue& v) {
    model::DnsState s;
    if (auto e = v.find("exists")) s.exists = e->boolean();
    if (auto mx = v.find("mx")) s.mx = read_mx_list(*mx);
    if (auto n = v.find("null_mx")) {
        s.null_mx = n->boolean();
        if (s.null_mx && !s.mx.empty())
            n->fail_expected("false when \"mx\" is not empty",
                             "RFC 7505: a null MX is the domain's only MX record");
    }
    if (auto a = v.find("a")) s.a_host = read_host_ref(*a);
    if (!s.exists && (!s.mx.empty() || s.null_mx || s.a_host)) {
        const char* key = !s.mx.empty() ? "mx" : s.null_mx ? "null_mx" : "a";
        v.required(key, "").fail_expected("no records in a domain with \"exists\": false");
    }
    return s;
}

std::vector<model::MxRecord> Loader::read_mx_list(const JsonValue& v) {
    static constexpr std::string_view kKeys[] = {"preference", "host", "has_address"};
    std::vector<model::MxRecord> out;
    std::set<std::pair<int, std::string>> seen;
    for (const JsonValue& e : v.elements()) {
        e.expect_object(kKeys);
        model::MxRecord r;
        if (auto p = e.find("preference")) r.preference = static_cast<int>(p->integer(0, 65535));
        if (auto a = e.find("has_address")) r.has_address = a->boolean();
        const JsonValue host = e.required("host", "a host name");
        r.host = r.has_address ? read_host_ref(host) : read_host_name(host);
        if (!r.has_address && hosts_.contains(r.host))
            host.fail_expected("a name that is not in /hosts",
                               "with \"has_address\": false the exchange has no address record, "
                               "and every host in /hosts has one");
        if (!seen.emplace(r.preference, r.host).second)
            e.fail_expected("an MX record not listed before");
        out.push_back(r);
    }
    return out;
}

std::vector<model::DnsChange> Loader::read_changes(const JsonValue& v) {
    static constexpr std::string_view kKeys[] = {"at", "delete", "exists", "mx", "null_mx", "a"};
    std::vector<model::DnsChange> out;
    for (const JsonValue& e : v.elements()) {
        e.expect_object(kKeys);
        model::DnsChange c;
        const JsonValue at = e.required("at", "a duration like \"1d\"");
        c.at = read_duration(at, {"1d"});
        if (!out.empty() && c.at <= out.back().at)
            at.fail_expected("a time after the previous change (" + shown(out.back().at) + ")");
        if (auto del = e.find("delete")) {
            if (!del->raw().is_boolean() || !del->boolean()) del->fail_expected("true");
            for (const std::string_view key : {"exists", "mx", "null_mx", "a"})
                if (auto r = e.find(key))
                    r->fail_expected("nothing besides \"at\" in a change with \"delete\": true");
            c.state.exists = false;
        } else {
            c.state = read_dns_state(e);
        }
        out.push_back(c);
    }
    return out;
}

// ---- Traffic ------------------------------------------------------------------------

std::string Loader::read_host_ref(const JsonValue& v) const {
    const std::string name = read_host_name(v);
    if (!hosts_.contains(name)) v.fail_expected("the name of a host in /hosts");
    return name;
}

// "via": an existing host; one without an MTA can only send with "direct": true.
std::string Loader::read_sender_host(const JsonValue& obj, bool direct) const {
    const JsonValue via = obj.required("via", "a host name");
    const std::string host = read_host_ref(via);
    if (!direct && !mta_hosts_.contains(host))
        via.fail_expected("a host with an \"mta\"", "or set \"direct\": true");
    return host;
}

SimTime Loader::read_time_in_run(const JsonValue& v) const {
    const SimTime t = read_duration(v, {"1h"});
    if (t >= duration_)
        v.fail_expected("a time before the end of the run (" + shown(duration_) + ")");
    return t;
}

model::TrafficSpec Loader::read_traffic(const JsonValue& v) {
    static constexpr std::string_view kKeys[] = {"messages", "streams", "worms"};
    v.expect_object(kKeys);
    model::TrafficSpec t;
    if (auto m = v.find("messages"))
        for (const JsonValue& e : m->elements())
            t.messages.push_back(read_message(e));
    if (auto s = v.find("streams")) {
        std::map<std::string, std::string> seen;  // name -> path
        for (const JsonValue& e : s->elements()) {
            t.streams.push_back(read_stream(e));
            const auto [it, fresh] = seen.emplace(t.streams.back().name, e.path());
            if (!fresh)
                e.required("name", "")
                    .fail_expected("a stream name not used before",
                                   "already the name of " + it->second);
        }
    }
    if (auto w = v.find("worms")) {
        std::map<std::string, std::string> seen;  // name -> path
        for (const JsonValue& e : w->elements()) {
            t.worms.push_back(read_worm(e));
            const auto [it, fresh] = seen.emplace(t.worms.back().name, e.path());
            if (!fresh)
                e.required("name", "")
                    .fail_expected("a worm name not used before",
                                   "already the name of " + it->second);
        }
    }
    return t;
}

model::MailboxRateLimit Loader::read_rate_limit(const JsonValue& v) const {
    static constexpr std::string_view kKeys[] = {"burst",     "per_hour", "over_limit",
                                                 "algorithm", "period",   "mode"};
    static constexpr std::array<std::pair<std::string_view, model::RateAlgorithm>, 2> kAlgorithms{
        {{"token_bucket", model::RateAlgorithm::TokenBucket},
         {"exim_smoothed", model::RateAlgorithm::EximSmoothed}}};
    v.expect_object(kKeys);
    model::MailboxRateLimit r;
    if (auto a = v.find("algorithm")) r.algorithm = read_choice(*a, kAlgorithms);
    const bool exim = r.algorithm == model::RateAlgorithm::EximSmoothed;
    // Each key belongs to one algorithm: Exim's limit is also its burst.
    for (const std::string_view key : {"period", "mode"})
        if (auto k = v.find(key); k && !exim)
            k->fail_expected("no \"" + std::string(key) + "\" with the token bucket",
                             "it belongs to \"algorithm\": \"exim_smoothed\"");
    if (auto b = v.find("burst"); b && exim)
        b->fail_expected("no \"burst\" with exim_smoothed",
                         "Exim's limit is also its burst: per_hour x period / 1h");
    read_duration_if(v, "period", {"1h", std::nullopt, kSecond}, r.period);
    if (auto mode = v.find("mode")) {
        static constexpr std::array<std::pair<std::string_view, bool>, 2> kModes{
            {{"leaky", false}, {"strict", true}}};
        r.strict = read_choice(*mode, kModes);
    }
    if (auto b = v.find("burst")) r.burst = static_cast<int>(b->integer(1, 1'000'000));
    r.per_hour = read_rate_per_hour(v.required("per_hour", "a number > 0"));
    if (auto o = v.find("over_limit")) {
        const std::string action = o->string();
        if (action == "450")
            r.over_limit = model::OverLimitAction::Defer;
        else if (action == "550")
            r.over_limit = model::OverLimitAction::Reject;
        else if (action == "discard")
            r.over_limit = model::OverLimitAction::Discard;
        else
            o->fail_expected("\"450\", \"550\" or \"discard\"");
    }
    return r;
}

// virus_scan, virus_reject_code and reject_multi_recipient_bounce.
void Loader::read_content_policies(const JsonValue& v, model::MtaSpec& m) const {
    static constexpr std::array<std::pair<std::string_view, model::VirusAction>, 4> kActions{
        {{"none", model::VirusAction::None},
         {"reject", model::VirusAction::Reject},
         {"notify", model::VirusAction::Notify},
         {"discard", model::VirusAction::Discard}}};
    if (auto s = v.find("virus_scan")) m.virus_scan = read_choice(*s, kActions);
    if (auto c = v.find("virus_reject_code")) {
        if (m.virus_scan != model::VirusAction::Reject)
            c->fail_expected("no virus_reject_code", "it needs \"virus_scan\": \"reject\"");
        m.virus_reject_code = static_cast<int>(c->integer(500, 599));
    }
    if (auto r = v.find("reject_multi_recipient_bounce"))
        m.reject_multi_recipient_bounce = r->boolean();
}

model::MailboxQuota Loader::read_quota(const JsonValue& v, const model::MtaSpec& m) const {
    static constexpr std::string_view kKeys[] = {"bytes", "check_at_rcpt", "full"};
    static constexpr std::array<std::pair<std::string_view, model::QuotaCheck>, 3> kChecks{
        {{"none", model::QuotaCheck::None},
         {"452", model::QuotaCheck::Defer},
         {"552", model::QuotaCheck::Reject}}};
    v.expect_object(kKeys);
    model::MailboxQuota q;
    q.bytes = v.required("bytes", "an integer >= 1").integer(1, kInt64Max);
    if (auto c = v.find("check_at_rcpt")) q.at_rcpt = read_choice(*c, kChecks);
    if (auto f = v.find("full")) {
        q.full = read_unique_list(*f, "mailbox", [&](const JsonValue& e) {
            const model::Address a = read_address(e, NullSender::Refused);
            if (std::find(m.local_domains.begin(), m.local_domains.end(), a.domain) ==
                m.local_domains.end())
                e.fail_expected("a mailbox of one of this MTA's local_domains");
            return a.local + "@" + a.domain;
        });
    }
    return q;
}

// A domain's "vacation": which mailboxes answer, how often, from which sender.
model::AutoReplySpec Loader::read_vacation(const JsonValue& v, const model::DomainSpec& d) const {
    static constexpr std::string_view kKeys[] = {"mailboxes", "period", "sender"};
    static constexpr std::array<std::pair<std::string_view, bool>, 2> kSenders{
        {{"<>", true}, {"mailbox", false}}};
    v.expect_object(kKeys);
    model::AutoReplySpec a;
    if (auto m = v.find("mailboxes"); m && !(m->raw().is_string() && m->string() == "all")) {
        if (m->raw().is_string()) m->fail_expected("an array of local parts, or \"all\"");
        a.mailboxes = read_unique_list(*m, "mailbox", [&](const JsonValue& e) {
            std::string local = read_local_part(e);
            if (std::find(d.mailboxes.begin(), d.mailboxes.end(), local) == d.mailboxes.end())
                e.fail_expected("one of the domain's \"mailboxes\"");
            return local;
        });
        if (a.mailboxes.empty()) m->fail_expected("a non-empty array of local parts, or \"all\"");
    }
    read_duration_if(v, "period", {"7d", std::nullopt, kSecond}, a.period);
    if (auto s = v.find("sender")) a.null_sender = read_choice(*s, kSenders);
    return a;
}

// Points {"at": duration, "rate_per_hour": number >= 0}, strictly increasing
// in time, within the run, at least one rate above zero.
std::vector<model::RampPoint> Loader::read_ramp(const JsonValue& v) const {
    static constexpr std::string_view kKeys[] = {"at", "rate_per_hour"};
    std::vector<model::RampPoint> out;
    bool any = false;
    for (const JsonValue& e : v.elements()) {
        e.expect_object(kKeys);
        model::RampPoint p;
        const JsonValue at = e.required("at", "a duration like \"6h\"");
        p.at = read_time_in_run(at);
        if (!out.empty() && p.at <= out.back().at)
            at.fail_expected("a time after the previous point (" + shown(out.back().at) + ")");
        const double r = read_rate_per_hour(e.required("rate_per_hour", "a number >= 0"), true);
        p.rate_per_hour = r;
        any |= r > 0;
        out.push_back(p);
    }
    if (out.empty()) v.fail_expected("a non-empty array of {\"at\", \"rate_per_hour\"} points");
    if (!any) v.fail_expected("a ramp with some rate_per_hour above 0");
    return out;
}

// A source's rate: "rate_per_hour" or a "ramp", exactly one of them.
double Loader::read_rate_or_ramp(const JsonValue& v, std::vector<model::RampPoint>& ramp) const {
    const auto r = v.find("ramp");
    const auto rate = v.find("rate_per_hour");
    if (r && rate) r->fail_expected("either \"rate_per_hour\" or \"ramp\", not both");
    if (r) {
        ramp = read_ramp(*r);
        return 0;
    }
    return read_rate_per_hour(v.required("rate_per_hour", "a number > 0 (or a \"ramp\")"));
}

double Loader::read_share(const JsonValue& v) const {
    if (!v.raw().is_number() || !(v.raw().get<double>() >= 0 && v.raw().get<double>() <= 1))
        v.fail_expected("a number from 0 to 1");
    return v.raw().get<double>();
}

// A worm's bots become hosts "<name>-bot<i>" without an MTA; their names must
// not be taken (checked in read(), once the hosts are known).
model::WormSpec Loader::read_worm(const JsonValue& v) {
    static constexpr std::string_view kKeys[] = {"kind",
                                                 "ramp",
                                                 "virus",
                                                 "recipients_per_message",
                                                 "null_sender_share",
                                                 "bulk",
                                                 "forged_senders",
                                                 "name",
                                                 "infected_hosts",
                                                 "address_book",
                                                 "rate_per_hour",
                                                 "random_recipient_share",
                                                 "backup_mx_share",
                                                 "start",
                                                 "stop",
                                                 "size"};
    v.expect_object(kKeys);
    model::WormSpec w;
    const JsonValue name = v.required("name", "a worm name like \"klez\"");
    w.name = read_host_name(name);
    if (auto n = v.find("infected_hosts"))
        w.infected_hosts = static_cast<int>(n->integer(1, 1'000'000));
    if (auto b = v.find("address_book"))
        w.address_book = read_address_list(*b, NullSender::Refused);
    if (auto f = v.find("forged_senders"))
        w.forged_senders = read_address_list(*f, NullSender::Refused);
    if (auto k = v.find("kind")) {
        const std::string kind = k->string();
        if (kind != "worm" && kind != "spammer") k->fail_expected("\"worm\" or \"spammer\"");
        w.spam = kind == "spammer";
    }
    w.rate_per_hour = read_rate_or_ramp(v, w.ramp);
    if (auto b = v.find("virus")) w.virus = b->boolean();
    if (auto b = v.find("bulk")) w.bulk = b->boolean();
    if (auto n = v.find("recipients_per_message"))
        w.recipients_per_message = static_cast<int>(n->integer(1, 100));
    if (auto n = v.find("null_sender_share")) w.null_sender_share = read_share(*n);
    if (auto r = v.find("random_recipient_share")) w.random_recipient_share = read_share(*r);
    if (auto r = v.find("backup_mx_share")) w.backup_mx_share = read_share(*r);
    if (auto start = v.find("start")) w.start = read_time_in_run(*start);
    if (auto stop = v.find("stop")) {
        w.stop = read_duration(*stop, {"1d"});
        if (w.stop <= w.start || w.stop > duration_)
            stop->fail_expected("a time after \"start\" (" + shown(w.start) +
                                ") and at most the run's duration (" + shown(duration_) + ")");
    }
    if (auto size = v.find("size")) w.size = size->integer(1, kInt64Max);
    for (int i = 0; i < w.infected_hosts; ++i) {
        const std::string bot = model::worm_bot_name(w.name, i);
        if (hosts_.count(bot))
            name.fail_expected("a worm name whose bot hosts are free", "host " + bot + " exists");
    }
    return w;
}

model::MessageSpec Loader::read_message(const JsonValue& v) {
    static constexpr std::string_view kKeys[] = {"at",     "from", "to",   "via",
                                                 "direct", "size", "trace"};
    v.expect_object(kKeys);
    model::MessageSpec m;
    m.at = read_time_in_run(v.required("at", "a duration like \"1h\""));
    m.from = read_address(v.required("from", "an address or \"<>\""), NullSender::Allowed);
    m.to = read_address(v.required("to", "an address"), NullSender::Refused);
    if (auto d = v.find("direct")) m.direct = d->boolean();
    m.via = read_sender_host(v, m.direct);
    if (auto s = v.find("size")) m.size = s->integer(1, kInt64Max);
    if (auto t = v.find("trace")) m.trace = t->boolean();
    return m;
}

model::StreamSpec Loader::read_stream(const JsonValue& v) {
    static constexpr std::string_view kKeys[] = {"name",   "from",          "to",    "via",
                                                 "direct", "rate_per_hour", "start", "stop",
                                                 "size",   "ramp",          "bulk"};
    v.expect_object(kKeys);
    model::StreamSpec s;
    s.name = v.required("name", "a non-empty string").non_empty_string();
    s.from = read_address_list(v.required("from", "an array of addresses"), NullSender::Allowed);
    s.to = read_address_list(v.required("to", "an array of addresses"), NullSender::Refused);
    if (auto d = v.find("direct")) s.direct = d->boolean();
    s.via = read_sender_host(v, s.direct);
    s.rate_per_hour = read_rate_or_ramp(v, s.ramp);
    if (auto b = v.find("bulk")) s.bulk = b->boolean();
    if (auto start = v.find("start")) s.start = read_time_in_run(*start);
    if (auto stop = v.find("stop")) {
        s.stop = read_duration(*stop, {"1d"});
        if (s.stop <= s.start || s.stop > duration_)
            stop->fail_expected("a time after \"start\" (" + shown(s.start) +
                                ") and at most the run's duration (" + shown(duration_) + ")");
    }
    if (auto size = v.find("size")) s.size = size->integer(1, kInt64Max);
    return s;
}

std::string hex16(std::uint64_t h) {
    constexpr char kDigits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, h >>= 4)
        out[static_cast<std::size_t>(i)] = kDigits[h & 0xF];
    return out;
}

}  // namespace

LoadedScenario load_scenario_file(const std::string& path) {
    return parse_scenario(read_scenario_text(path), path);
}

LoadedScenario read_scenario_document(const nlohmann::json& doc, std::string_view origin) {
    LoadedScenario out;
    Loader loader(out.warnings);
    out.scenario = loader.read(JsonValue(doc, origin));
    return out;
}

std::string parse_scenario_hash(std::string_view json_text) {
    return hex16(sim::stable_hash(json_text));
}

LoadedScenario parse_scenario(std::string_view json_text, std::string_view origin) {
    LoadedScenario out = read_scenario_document(parse_strict_json(json_text, origin), origin);
    out.content_hash = hex16(sim::stable_hash(json_text));
    return out;
}

std::string read_scenario_text(const std::string& path) {
    const auto fail = [&](std::string_view what) {
        const std::string reason = std::error_code(errno, std::generic_category()).message();
        throw ScenarioError(path + ": " + std::string(what) + ": " + reason);
    };
    errno = 0;
    const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                               &std::fclose);
    if (!file) fail("cannot open scenario file");
    std::string text;
    char buffer[65536];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
        // A scenario is text people write; big worlds are "count" templates. The
        // cap also ends reading an endless file (/dev/zero, a pipe that never closes).
        if (text.size() + n > kMaxScenarioBytes)
            throw ScenarioError(path + ": larger than " + std::to_string(kMaxScenarioBytes >> 20) +
                                " MiB: not a scenario file (big worlds are written as "
                                "\"count\" templates, docs/scenario-format.md)");
        text.append(buffer, n);
    }
    if (std::ferror(file.get())) fail("cannot read scenario file");
    return text;
}

}  // namespace mxsim::format
