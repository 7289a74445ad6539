// dns_zone.cpp - master file tokens (RFC 1035 section 5.1), records, and the
// mapping to domains and hosts.
#include "importers/dns_zone.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include "importers/postfix_config.hpp"  // ImportError

namespace mxsim::importer {
namespace {

using nlohmann::ordered_json;

struct Token {
    std::string text;
    bool quoted = false;
};

// One entry: its tokens and whether it began with white space (the owner is
// then the previous entry's, RFC 1035 section 5.1).
struct Entry {
    std::vector<Token> tokens;
    bool inherits_owner = false;
    int line = 0;
};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

// Splits the file into entries: ';' starts a comment outside quotes, "(" and ")"
// let an entry run over several lines, "\X" escapes a character.
std::vector<Entry> entries_of(std::string_view text, std::string_view file) {
    std::vector<Entry> out;
    Entry current;
    int line = 1, depth = 0, open_line = 0;
    bool at_line_start = true;
    const auto where = [&](int l) { return std::string(file) + ":" + std::to_string(l); };
    const auto end_entry = [&] {
        if (!current.tokens.empty()) out.push_back(std::move(current));
        current = Entry{};
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') {
            ++line;
            if (depth == 0) end_entry();
            at_line_start = true;
            continue;
        }
        if (at_line_start && depth == 0) {
            current.inherits_owner = c == ' ' || c == '\t';
            current.line = line;
        }
        at_line_start = false;
        if (c == ' ' || c == '\t' || c == '\r') continue;
        if (c == ';') {
            while (i + 1 < text.size() && text[i + 1] != '\n')
                ++i;
            continue;
        }
        if (c == '(') {
            if (depth++ == 0) open_line = line;
            continue;
        }
        if (c == ')') {
            if (--depth < 0) throw ImportError(where(line) + ": ')' without '('");
            continue;
        }
        Token t;
        if (c == '"') {
            t.quoted = true;
            for (++i; i < text.size() && text[i] != '"'; ++i) {
                if (text[i] == '\n') throw ImportError(where(line) + ": a string left open");
                if (text[i] == '\\' && i + 1 < text.size()) ++i;
                t.text += text[i];
            }
            if (i == text.size()) throw ImportError(where(line) + ": a string left open");
        } else {
            for (; i < text.size(); ++i) {
                const char d = text[i];
                if (d == ' ' || d == '\t' || d == '\r' || d == '\n' || d == ';' || d == '(' ||
                    d == ')' || d == '"')
                    break;
                if (d == '\\' && i + 1 < text.size()) t.text += text[++i];
                t.text += d == '\\' ? "" : std::string(1, d);
            }
            --i;
        }
        current.tokens.push_back(std::move(t));
    }
    if (depth > 0) throw ImportError(where(open_line) + ": '(' never closed");
    end_entry();
    return out;
}

// A TTL as BIND reads it: seconds, or with units (1w2d3h4m5s).
std::optional<std::uint32_t> ttl_of(const std::string& s) {
    if (s.empty() || !std::isdigit(static_cast<unsigned char>(s[0]))) return std::nullopt;
    std::uint64_t total = 0, n = 0;
    bool digits = false;
    for (const char c : s) {
        if (std::isdigit(static_cast<unsigned char>(c))) {
            n = n * 10 + static_cast<std::uint64_t>(c - '0');
            digits = true;
            if (n > UINT32_MAX) return std::nullopt;
            continue;
        }
        static const std::map<char, std::uint64_t> kUnits{
            {'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}, {'w', 604800}};
        const auto u = kUnits.find(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        if (u == kUnits.end() || !digits) return std::nullopt;
        total += n * u->second;
        n = 0;
        digits = false;
    }
    total += n;
    if (total > UINT32_MAX) return std::nullopt;
    return static_cast<std::uint32_t>(total);
}

bool is_class(const std::string& s) {
    const std::string u = upper(s);
    return u == "IN" || u == "CH" || u == "HS" || u == "CS";
}

// A name made absolute: "@" is the origin, a name without a final dot is relative.
std::string absolute(const std::string& name, const std::string& origin) {
    if (name == "@") return origin;
    if (!name.empty() && name.back() == '.') return lower(name.substr(0, name.size() - 1));
    return lower(origin.empty() ? name : name + "." + origin);
}

constexpr std::string_view kKnownTypes[] = {
    "SOA",   "NS",    "A",   "AAAA", "MX",     "CNAME", "TXT",  "PTR",   "SRV", "CAA",
    "DNAME", "HINFO", "SPF", "DS",   "DNSKEY", "RRSIG", "NSEC", "NSEC3", "TLSA"};

}  // namespace

Zone read_zone(std::string_view text, std::string_view file, std::string origin) {
    Zone z;
    z.origin = lower(origin.empty() || origin.back() != '.' ? origin
                                                            : origin.substr(0, origin.size() - 1));
    std::optional<std::uint32_t> default_ttl;  // $TTL (RFC 2308 section 4)
    std::optional<std::uint32_t> last_ttl;
    std::string owner;
    for (const Entry& e : entries_of(text, file)) {
        const std::string where = std::string(file) + ":" + std::to_string(e.line);
        const std::string& first = e.tokens[0].text;
        if (!e.inherits_owner && first == "$ORIGIN") {
            if (e.tokens.size() != 2) throw ImportError(where + ": expected $ORIGIN name");
            z.origin = absolute(e.tokens[1].text, z.origin);
            continue;
        }
        if (!e.inherits_owner && first == "$TTL") {
            if (e.tokens.size() != 2 || !ttl_of(e.tokens[1].text))
                throw ImportError(where + ": expected $TTL and a time (3600, 1h, 1d)");
            default_ttl = ttl_of(e.tokens[1].text);
            continue;
        }
        if (!e.inherits_owner && first.size() > 1 && first[0] == '$')
            throw ImportError(where + ": " + first +
                              " is not read (only $ORIGIN and $TTL; put an $INCLUDEd file's "
                              "records in this one)");
        std::size_t i = 0;
        if (!e.inherits_owner) owner = absolute(e.tokens[i++].text, z.origin);
        if (owner.empty()) throw ImportError(where + ": a record without an owner name");
        if (z.origin.empty() && owner.find('.') == std::string::npos)
            throw ImportError(where + ": a relative name and no origin: give --origin");
        std::optional<std::uint32_t> ttl;
        // [TTL] [class] or [class] [TTL], in either order (RFC 1035 section 5.1).
        for (int k = 0; k < 2 && i < e.tokens.size(); ++k) {
            if (!ttl && ttl_of(e.tokens[i].text))
                ttl = ttl_of(e.tokens[i++].text);
            else if (is_class(e.tokens[i].text)) {
                if (upper(e.tokens[i].text) != "IN")
                    throw ImportError(where + ": class " + e.tokens[i].text +
                                      ": only IN is modelled");
                ++i;
            }
        }
        if (i >= e.tokens.size()) throw ImportError(where + ": a record without a type");
        ResourceRecord r;
        r.owner = owner;
        r.type = upper(e.tokens[i++].text);
        r.line = e.line;
        if (std::find(std::begin(kKnownTypes), std::end(kKnownTypes), r.type) ==
            std::end(kKnownTypes))
            throw ImportError(where + ": \"" + e.tokens[i - 1].text +
                              "\" is not a record type (SOA, NS, A, AAAA, MX, CNAME, TXT, ...)");
        for (; i < e.tokens.size(); ++i)
            r.rdata.push_back(e.tokens[i].text);
        if (r.type == "SOA" && r.rdata.size() != 7)
            throw ImportError(where +
                              ": SOA needs mname rname serial refresh retry expire "
                              "minimum");
        if (r.type == "MX" && (r.rdata.size() != 2 || !ttl_of(r.rdata[0])))
            throw ImportError(where + ": MX needs a preference and an exchange");
        // The TTL: given, else $TTL, else the previous record's (RFC 1035), else
        // the SOA minimum (BIND's fallback for files without $TTL).
        if (!ttl) ttl = default_ttl ? default_ttl : last_ttl;
        if (!ttl && r.type == "SOA") ttl = ttl_of(r.rdata[6]);
        if (!ttl) throw ImportError(where + ": no TTL: give one, or $TTL before the records");
        r.ttl = *ttl;
        last_ttl = ttl;
        // Names in the data are relative to the origin too.
        if (r.type == "MX") r.rdata[1] = absolute(r.rdata[1], z.origin);
        if (r.type == "CNAME" || r.type == "NS" || r.type == "PTR")
            r.rdata[0] = absolute(r.rdata[0], z.origin);
        if (r.type == "SOA")
            for (int k : {0, 1})
                r.rdata[static_cast<std::size_t>(k)] =
                    absolute(r.rdata[static_cast<std::size_t>(k)], z.origin);
        z.records.push_back(std::move(r));
    }
    return z;
}

ordered_json import_zone(const Zone& zone) {
    ordered_json not_modelled = ordered_json::array(), warnings = ordered_json::array();
    const auto left_out = [&](const ResourceRecord& r, std::string reason) {
        std::string data;
        for (const std::string& d : r.rdata)
            data += (data.empty() ? "" : " ") + d;
        not_modelled.push_back({{"record", r.owner + " " + r.type + " " + data},
                                {"line", r.line},
                                {"reason", std::move(reason)}});
    };
    // RFC 2308 section 5: the negative TTL is the SOA's MINIMUM, capped by the SOA's own TTL.
    std::optional<std::uint32_t> negative;
    std::map<std::string, std::vector<const ResourceRecord*>> by_owner;
    for (const ResourceRecord& r : zone.records) {
        by_owner[r.owner].push_back(&r);
        if (r.type == "SOA") negative = std::min(*ttl_of(r.rdata[6]), r.ttl);
    }
    ordered_json domains = ordered_json::array(), hosts = ordered_json::array();
    std::set<std::string> host_names;
    const auto address_of = [&](const std::string& name) -> std::optional<std::string> {
        const auto it = by_owner.find(name);
        if (it == by_owner.end()) return std::nullopt;
        for (const char* type : {"A", "AAAA"})
            for (const ResourceRecord* r : it->second)
                if (r->type == type && !r->rdata.empty()) return r->rdata[0];
        return std::nullopt;
    };
    const auto add_host = [&](const std::string& name) {
        if (!host_names.insert(name).second) return;
        ordered_json h = {{"name", name}};
        if (const auto a = address_of(name))
            h["address"] = *a;
        else
            warnings.push_back(name + ": no address in this zone; give the host its address");
        hosts.push_back(h);
    };
    for (const auto& [owner, records] : by_owner) {
        ordered_json mx = ordered_json::array();
        bool null_mx = false, spf_fail = false, has_address = false;
        std::uint32_t mx_ttl = 0;
        for (const ResourceRecord* r : records) {
            if (r->type == "MX") {
                mx_ttl = r->ttl;
                // RFC 7505: "MX 0 ." says the domain takes no mail.
                if (r->rdata[1].empty())
                    null_mx = true;
                else
                    mx.push_back({{"preference", *ttl_of(r->rdata[0])}, {"host", r->rdata[1]}});
            } else if (r->type == "TXT" || r->type == "SPF") {
                std::string text;
                for (const std::string& s : r->rdata)
                    text += s;
                if (text.rfind("v=spf1", 0) == 0)
                    spf_fail = text.find("-all") != std::string::npos;
                else
                    left_out(*r, "only SPF records (v=spf1) are read from TXT");
            } else if (r->type == "A" || r->type == "AAAA") {
                has_address = true;
            } else if (r->type != "SOA") {
                left_out(*r, r->type == "NS" ? "delegation is not modelled: every domain's "
                                               "records come from one authority"
                             : r->type == "CNAME"
                                 ? "aliases are not modelled: name the canonical host instead"
                                 : "this record type does not take part in mail routing in mxsim");
            }
        }
        const bool apex = owner == zone.origin;
        if (mx.empty() && !null_mx && !spf_fail && !apex) {
            if (has_address) add_host(owner);
            continue;
        }
        ordered_json d = {{"name", owner}};
        if (!mx.empty()) {
            d["mx"] = mx;
            d["ttl"] = std::to_string(mx_ttl) + "s";
            for (const auto& m : mx)
                add_host(m["host"]);
        } else if (null_mx) {
            d["null_mx"] = true;
        } else if (has_address) {
            // RFC 5321 section 5.1: no MX, so the domain's own address is the exchange.
            add_host(owner);
            d["a"] = owner;
        }
        if (negative) d["negative_ttl"] = std::to_string(*negative) + "s";
        if (spf_fail) d["spf_hard_fail"] = true;
        domains.push_back(d);
    }
    for (const std::string& w : zone.warnings)
        warnings.push_back(w);
    return {{"domains", domains},
            {"hosts", hosts},
            {"not_modelled", not_modelled},
            {"warnings", warnings}};
}

}  // namespace mxsim::importer
