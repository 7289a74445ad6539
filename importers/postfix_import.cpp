// postfix_import.cpp - Postfix parameters to mxsim's MTA keys, one rule each.
#include "importers/postfix_import.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

namespace mxsim::importer {
namespace {

using nlohmann::ordered_json;

// What the import found, as it goes: the mta object and the leftovers.
struct Import {
    const PostfixConfig& cf;
    ordered_json mta = ordered_json::object();
    ordered_json not_modelled = ordered_json::array();
    ordered_json warnings = ordered_json::array();
    std::set<std::string> used;  // parameters mapped (or explained) already

    std::string value(std::string_view name) const { return cf.expanded(name).value_or(""); }
    bool written(std::string_view name) const { return cf.find(name) != nullptr; }
    void left_out(std::string_view parameter, std::string_view v, std::string reason) {
        not_modelled.push_back(
            {{"parameter", parameter}, {"value", v}, {"reason", std::move(reason)}});
    }
};

bool is_table(std::string_view entry) {
    // type:name (hash:/etc/postfix/x, proxy:unix:passwd.byname) or a /file of entries.
    return entry.find(':') != std::string_view::npos || (!entry.empty() && entry.front() == '/');
}

bool yes(const std::string& v) {
    return v == "yes" || v == "true" || v == "1";
}

// A list of domains; lookup tables in it are named as not read.
ordered_json domain_list(Import& im, std::string_view parameter) {
    ordered_json out = ordered_json::array();
    std::set<std::string> seen;
    for (std::string d : split_list(im.value(parameter))) {
        if (is_table(d)) {
            im.left_out(parameter, d,
                        "a lookup table: mxsim reads no map files; list its domains in the "
                        "scenario instead");
            continue;
        }
        std::transform(d.begin(), d.end(), d.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (seen.insert(d).second) out.push_back(d);
    }
    return out;
}

// ---- the mapping rules, one per group of parameters ---------------------------------

void map_destinations(Import& im) {
    im.mta["mydestination"] = domain_list(im, "mydestination");
    im.used.insert("mydestination");
    // local_recipient_maps empty: smtpd takes any local recipient (and bounces it later).
    const std::string local_maps = im.value("local_recipient_maps");
    im.mta["smtpd_reject_unlisted_recipient"] =
        yes(im.value("smtpd_reject_unlisted_recipient")) && !local_maps.empty();
    for (const std::string& t : split_list(local_maps))
        if (is_table(t))
            im.left_out("local_recipient_maps", t,
                        "a lookup table: mxsim checks local recipients against the scenario's "
                        "mailboxes of each local domain");
    im.used.insert({"local_recipient_maps", "smtpd_reject_unlisted_recipient"});

    const ordered_json relays = domain_list(im, "relay_domains");
    const std::string relay_maps = im.value("relay_recipient_maps");
    ordered_json relay_domains = ordered_json::array();
    for (const auto& d : relays) {
        // relay_domains = $mydestination (the default below compatibility level 2):
        // a local domain is delivered here (trivial-rewrite resolves it first).
        const auto& local = im.mta["mydestination"];
        if (std::find(local.begin(), local.end(), d) != local.end()) continue;
        // relay_recipient_maps: recipients of relay domains are checked (the
        // scenario's mailboxes of that domain stand for the table).
        if (relay_maps.empty())
            relay_domains.push_back(d);
        else
            relay_domains.push_back({{"domain", d}, {"recipient_check", "list"}});
    }
    if (!relay_domains.empty()) im.mta["relay_domains"] = relay_domains;
    for (const std::string& t : split_list(relay_maps))
        im.left_out("relay_recipient_maps", t,
                    "a lookup table: the relay domains' recipients are checked against the "
                    "scenario's mailboxes of those domains (recipient_check \"list\")");
    im.used.insert({"relay_domains", "relay_recipient_maps"});
}

// One restriction of smtpd_relay_restrictions or smtpd_recipient_restrictions,
// in list order (smtpd_check.c evaluates them so).
void map_restriction(Import& im, std::string_view parameter, const std::string& r,
                     const std::string& argument) {
    if (r == "defer_unauth_destination" || r == "reject_unauth_destination") {
        im.mta["smtpd_relay_restrictions"] = r;
    } else if (r == "reject_unlisted_recipient") {
        im.mta["smtpd_reject_unlisted_recipient"] = true;
    } else if (r == "reject_unverified_recipient") {
        // Recipient address verification for the relay domains (verify(8)).
        if (im.mta.contains("relay_domains"))
            for (auto& d : im.mta["relay_domains"]) {
                if (d.is_string()) d = ordered_json{{"domain", d}};
                d["recipient_check"] = "verify";
            }
    } else if (r == "check_policy_service" && (argument.find("spf") != std::string::npos)) {
        im.mta["check_spf"] = true;  // policyd-spf, postfix-policyd-spf-python
    } else if (r == "check_policy_service" && (argument.find("10023") != std::string::npos ||
                                               argument.find("postgrey") != std::string::npos ||
                                               argument.find("greylist") != std::string::npos)) {
        im.mta["greylist"] = ordered_json::object();  // postgrey's defaults
    } else if (r == "permit_mynetworks") {
        // Modelled: the hosts in mynetworks may relay (relay_clients).
    } else if (r == "permit_sasl_authenticated" || r == "permit" ||
               r == "permit_auth_destination") {
        im.left_out(parameter, r,
                    "clients are not told apart by login: mxsim's relay_clients (or "
                    "mynetworks) names the hosts that may relay");
    } else {
        im.left_out(parameter, argument.empty() ? r : r + " " + argument,
                    "this restriction is not modelled");
    }
}

// Restrictions with an argument (check_policy_service inet:..., reject_rbl_client zone).
bool takes_argument(const std::string& r) {
    return r.rfind("check_", 0) == 0 || r == "reject_rbl_client" || r == "reject_rhsbl_client" ||
           r == "reject_rhsbl_sender" || r == "reject_rhsbl_recipient" ||
           r == "permit_dnswl_client";
}

// Where mxsim's Postfix list (model/restriction_lists.cpp) evaluates a mapped
// restriction; -1 for one it does not map.
int rank_in_mxsim(const std::string& r, const std::string& argument) {
    const bool policy = r == "check_policy_service";
    if (policy && argument.find("spf") != std::string::npos) return 0;
    if (r == "reject_unlisted_recipient") return 1;
    if (policy) return 2;  // greylisting and the other policies
    if (r == "reject_unverified_recipient") return 3;
    if (r == "permit_mynetworks") return 4;
    if (r == "reject_unauth_destination" || r == "defer_unauth_destination") return 5;
    return -1;
}

void map_restrictions(Import& im) {
    for (const char* parameter : {"smtpd_relay_restrictions", "smtpd_recipient_restrictions"}) {
        const std::vector<std::string> list = split_list(im.value(parameter));
        int last = -1;
        std::string last_name;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string& r = list[i];
            std::string argument;
            if (takes_argument(r) && i + 1 < list.size()) argument = list[++i];
            map_restriction(im, parameter, r, argument);
            // The restrictions are mapped one by one; mxsim evaluates them in its
            // own order, so an order that differs is said.
            const int rank = rank_in_mxsim(r, argument);
            if (rank >= 0 && rank < last)
                im.warnings.push_back(std::string(parameter) + " lists " + r + " after " +
                                      last_name +
                                      "; mxsim evaluates SPF, reject_unlisted_recipient, the "
                                      "policy services, reject_unverified_recipient, "
                                      "permit_mynetworks, then relay control, in that order");
            if (rank >= 0 && rank > last) {
                last = rank;
                last_name = r;
            }
        }
        im.used.insert(parameter);
    }
    if (!im.mta.contains("smtpd_relay_restrictions"))
        im.warnings.push_back(
            "neither smtpd_relay_restrictions nor smtpd_recipient_restrictions has "
            "defer_unauth_destination or reject_unauth_destination: Postfix refuses to start "
            "an SMTP server that is an open relay; mxsim defers unauthorised relaying");
}

// A Postfix time value with its unit made explicit: a bare number has the
// parameter's own default unit (postconf(5): "the default time unit is d").
std::string time_value(const std::string& v, char unit) {
    if (!v.empty() && std::isdigit(static_cast<unsigned char>(v.back()))) return v + unit;
    return v;
}

void map_queue(Import& im) {
    struct Timer {
        const char* name;
        char unit;
    };
    constexpr Timer kTimers[] = {{"queue_run_delay", 's'},       {"minimal_backoff_time", 's'},
                                 {"maximal_backoff_time", 's'},  {"maximal_queue_lifetime", 'd'},
                                 {"bounce_queue_lifetime", 'd'}, {"delay_warning_time", 'h'}};
    for (const Timer& t : kTimers) {
        im.used.insert(t.name);
        if (im.written(t.name)) im.mta[t.name] = time_value(im.value(t.name), t.unit);
    }
}

void map_numbers(Import& im) {
    constexpr const char* kNumbers[] = {"default_process_limit",
                                        "qmgr_message_active_limit",
                                        "default_destination_concurrency_limit",
                                        "initial_destination_concurrency",
                                        "smtp_destination_concurrency_limit",
                                        "smtp_initial_destination_concurrency",
                                        "default_destination_recipient_limit",
                                        "smtp_destination_recipient_limit",
                                        "relay_domains_reject_code",
                                        "unverified_recipient_reject_code",
                                        "hopcount_limit",
                                        "bounce_size_limit"};
    for (const char* n : kNumbers) {
        im.used.insert(n);
        if (!im.written(n)) continue;
        const std::string v = im.value(n);
        if (v.empty() ||
            !std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); }))
            throw ImportError(std::string(n) + " = " + v + ": expected a whole number");
        im.mta[n] = std::stoll(v);
    }
    constexpr const char* kTimes[] = {"smtp_connect_timeout"};
    for (const char* n : kTimes) {
        im.used.insert(n);
        if (im.written(n)) im.mta[n] = time_value(im.value(n), 's');
    }
    for (const char* n : {"soft_bounce", "smtp_defer_if_no_mx_address_found"}) {
        im.used.insert(n);
        if (im.written(n)) im.mta[n] = yes(im.value(n));
    }
}

// transport_maps: the next hop of a relay domain ("example.com smtp:[mx.inside]").
// Only an inline: table can be read; a file's is named as not read.
void map_transports(Import& im) {
    im.used.insert("transport_maps");
    const std::string maps = im.value("transport_maps");
    if (maps.empty()) return;
    const std::size_t open = maps.find("inline:{");
    if (open == std::string::npos) {
        for (const std::string& t : split_list(maps))
            im.left_out("transport_maps", t,
                        "a lookup table mxsim cannot read: give each relay domain's next_hop in "
                        "the scenario (or write the table as inline:{domain=smtp:[host], ...})");
        return;
    }
    const std::size_t close = maps.find('}', open);
    const std::string body = maps.substr(open + 8, close - open - 8);
    for (const std::string& entry : split_list(body)) {
        const std::size_t eq = entry.find('=');
        const std::string domain = entry.substr(0, eq), action = entry.substr(eq + 1);
        // smtp:[host]:port or relay:host - the host only (no MX lookup with [ ]).
        std::string host = action.substr(std::min(action.find(':') + 1, action.size()));
        host.erase(std::remove(host.begin(), host.end(), '['), host.end());
        host = host.substr(0, host.find(']'));
        bool found = false;
        if (!im.mta.contains("relay_domains")) im.mta["relay_domains"] = ordered_json::array();
        for (auto& d : im.mta["relay_domains"]) {
            if (d.is_string()) d = ordered_json{{"domain", d}};
            if (d["domain"] != domain) continue;
            d["next_hop"] = host;
            found = true;
        }
        if (im.mta["relay_domains"].empty()) im.mta.erase("relay_domains");
        if (eq == std::string::npos || host.empty() || !found)
            im.left_out("transport_maps", entry,
                        "only a relay domain's next hop (domain=smtp:[host]) is modelled");
    }
}

// mynetworks: the hosts of the scenario with an address in these networks may
// relay (the loader matches them, cidr_match.c's rules).
void map_networks(Import& im) {
    im.used.insert("mynetworks");
    if (!im.written("mynetworks")) return;
    ordered_json networks = ordered_json::array();
    for (const std::string& n : split_list(im.value("mynetworks")))
        if (is_table(n) && n.front() != '[')
            im.left_out("mynetworks", n, "a lookup table: mxsim reads no map files");
        else
            networks.push_back(n);
    im.mta["mynetworks"] = networks;
}

void map_notices(Import& im) {
    im.used.insert({"notify_classes", "bounce_notice_recipient", "2bounce_notice_recipient"});
    if (im.written("notify_classes")) {
        ordered_json classes = ordered_json::array();
        for (const std::string& c : split_list(im.value("notify_classes")))
            classes.push_back(c);
        im.mta["notify_classes"] = classes;
    }
    const std::string domain = im.value("myorigin");
    for (const char* n : {"bounce_notice_recipient", "2bounce_notice_recipient"}) {
        if (!im.written(n)) continue;
        std::string who = im.value(n);
        // A bare local part is qualified with $myorigin, as trivial-rewrite does.
        if (who.find('@') == std::string::npos) who += "@" + domain;
        im.mta[n] = who;
    }
}

// Parameters that say nothing about mail routing or queueing in the model.
std::string reason_for(const std::string& name) {
    if (name.find("tls") != std::string::npos) return "TLS is not modelled";
    if (name.find("sasl") != std::string::npos) return "SMTP authentication is not modelled";
    if (name.find("directory") != std::string::npos || name.find("_path") != std::string::npos)
        return "a file system location: nothing to simulate";
    if (name == "mynetworks_style")
        return "networks are not computed from interfaces: give mynetworks";
    return "not modelled by mxsim";
}

}  // namespace

std::vector<MasterService> read_master_cf(std::string_view text, std::string_view origin) {
    // master.cf has main.cf's line rules (readlline); a service is 8 fields, the
    // last the command with its arguments (-o name=value overrides).
    std::vector<MasterService> out;
    for (const auto& [line, n] : logical_lines(text, origin)) {
        // Fields are split at white space only: "-o a=b,c" keeps its comma.
        std::vector<std::string> f;
        std::istringstream words(line);
        for (std::string w; words >> w;)
            f.push_back(w);
        if (f.size() < 8)
            throw ImportError(std::string(origin) + ":" + std::to_string(n) +
                              ": expected service type private unpriv chroot wakeup maxproc "
                              "command (master(5)), got \"" +
                              line + "\"");
        MasterService s{f[0], f[1], f[6], {}, n};
        for (std::size_t i = 8; i + 1 < f.size(); ++i)
            if (f[i] == "-o") {
                const std::string& o = f[++i];
                const std::size_t eq = o.find('=');
                s.overrides.emplace_back(o.substr(0, eq),
                                         eq == std::string::npos ? "" : o.substr(eq + 1));
            }
        out.push_back(std::move(s));
    }
    return out;
}

ordered_json import_postfix(PostfixConfig main, const std::vector<MasterService>& master,
                            const std::string& this_host) {
    // mail_params.c: myhostname from gethostname(), mydomain its parent (or localdomain).
    main.machine["myhostname"] = this_host;
    const std::string host = main.expanded("myhostname").value_or(this_host);
    const std::size_t dot = host.find('.');
    main.machine["mydomain"] = dot == std::string::npos ? "localdomain" : host.substr(dot + 1);
    Import im{main, {}, {}, {}, {}};
    im.mta = nlohmann::ordered_json::object();
    im.not_modelled = nlohmann::ordered_json::array();
    im.warnings = nlohmann::ordered_json::array();
    im.mta["flavor"] = "postfix";
    map_destinations(im);
    map_restrictions(im);
    map_queue(im);
    map_numbers(im);
    map_notices(im);
    map_transports(im);
    map_networks(im);
    im.used.insert("compatibility_level");  // its defaults were applied (postfix_default)
    // master.cf: the smtp client's process limit, and what each service overrides.
    for (const MasterService& s : master) {
        if (s.name == "smtp" && s.type == "unix" && s.maxproc != "-")
            im.mta["default_process_limit"] = std::stoll(s.maxproc);
        for (const auto& [name, value] : s.overrides)
            im.left_out(s.name + "/" + s.type + " -o " + name, value,
                        "per-service overrides in master.cf are not modelled (mxsim has one "
                        "smtpd and one smtp client per MTA)");
    }
    if (!main.find("myhostname"))
        im.warnings.push_back("myhostname is not set: the host is named " + this_host +
                              ", as Postfix would name it on this machine");
    for (const PostfixParameter& p : main.written) {
        if (im.used.count(p.name) || p.name == "myhostname") continue;
        im.used.insert(p.name);
        im.left_out(p.name, p.value, reason_for(p.name));
    }
    return {{"hosts", ordered_json::array({{{"name", host}, {"mta", im.mta}}})},
            {"not_modelled", im.not_modelled},
            {"warnings", im.warnings}};
}

}  // namespace mxsim::importer
