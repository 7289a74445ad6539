// postfix_config.cpp - main.cf lines (readlline.c), name = value (split_nameval.c)
// and $name expansion (mac_expand.c).
#include "importers/postfix_config.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace mxsim::importer {
namespace {

// Postfix stops expanding past this depth: a loop like a = $b, b = $a (mac_expand.c).
constexpr int kMaxDepth = 100;

bool space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && space(s.back()))
        s.remove_suffix(1);
    return s;
}

bool name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

struct Default {
    std::string_view name, value;
};

// postconf -d of Postfix 3.7 for what the import reads (the values that
// compatibility_level changes are chosen in postfix_default()).
constexpr Default kDefaults[] = {
    {"mail_name", "Postfix"},
    {"mydomain", "localdomain"},
    {"myorigin", "$myhostname"},
    {"mydestination", "$myhostname, localhost.$mydomain, localhost"},
    {"local_recipient_maps", "proxy:unix:passwd.byname $alias_maps"},
    {"alias_maps", "hash:/etc/aliases"},
    {"relay_recipient_maps", ""},
    {"transport_maps", ""},
    {"smtpd_recipient_restrictions", ""},
    {"queue_run_delay", "300s"},
    {"minimal_backoff_time", "300s"},
    {"maximal_backoff_time", "4000s"},
    {"maximal_queue_lifetime", "5d"},
    {"bounce_queue_lifetime", "5d"},
    {"delay_warning_time", "0h"},
    {"notify_classes", "resource, software"},
    {"soft_bounce", "no"},
    {"default_process_limit", "100"},
    {"qmgr_message_active_limit", "20000"},
    {"default_destination_concurrency_limit", "20"},
    {"initial_destination_concurrency", "5"},
    {"default_destination_recipient_limit", "50"},
    {"smtp_destination_concurrency_limit", "$default_destination_concurrency_limit"},
    {"smtp_destination_recipient_limit", "$default_destination_recipient_limit"},
    {"relay_domains_reject_code", "554"},
    {"unverified_recipient_reject_code", "450"},
    {"unknown_local_recipient_reject_code", "550"},
    {"smtpd_reject_unlisted_recipient", "yes"},
    {"hopcount_limit", "50"},
    {"smtp_connect_timeout", "30s"},
    {"bounce_size_limit", "50000"},
    {"bounce_notice_recipient", "postmaster"},
    {"2bounce_notice_recipient", "postmaster"},
    {"smtp_defer_if_no_mx_address_found", "no"},
    {"compatibility_level", "0"},
    {"data_directory", "/var/lib/postfix"},
    {"config_directory", "/etc/postfix"},
};

}  // namespace

std::optional<std::string_view> postfix_default(std::string_view name, double compatibility) {
    // COMPATIBILITY_README: from level 2, relay_domains is empty (before, $mydestination).
    if (name == "relay_domains") return compatibility < 2 ? "$mydestination" : "";
    if (name == "smtpd_relay_restrictions")
        return compatibility < 1
                   ? ""  // before 2.10 relay control was in the recipient restrictions
                   : "permit_mynetworks, permit_sasl_authenticated, "
                     "defer_unauth_destination";
    for (const Default& d : kDefaults)
        if (d.name == name) return d.value;
    return std::nullopt;
}

std::vector<std::string> split_list(std::string_view value) {
    std::vector<std::string> out;
    std::string word;
    for (const char c : value) {
        if (space(c) || c == ',') {
            if (!word.empty()) out.push_back(std::move(word));
            word.clear();
        } else {
            word += c;
        }
    }
    if (!word.empty()) out.push_back(std::move(word));
    return out;
}

std::vector<LogicalLine> logical_lines(std::string_view text, std::string_view origin) {
    std::vector<LogicalLine> out;
    int number = 0;
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        const std::string_view line = text.substr(at, end - at);
        at = end + 1;
        ++number;
        const std::string_view body = trim(line);
        if (body.empty() || body.front() == '#') continue;  // readlline(3)
        if (!space(line.front())) {
            out.push_back({std::string(body), number});
            continue;
        }
        if (out.empty())
            throw ImportError(std::string(origin) + ":" + std::to_string(number) +
                              ": a continuation line (it starts with white space) with "
                              "nothing to continue");
        out.back().text += ' ';
        out.back().text += body;
    }
    return out;
}

PostfixConfig read_postfix_config(std::string_view text, std::string_view origin) {
    PostfixConfig config;
    for (const LogicalLine& l : logical_lines(text, origin)) {
        const std::size_t eq = l.text.find('=');
        const std::string where = std::string(origin) + ":" + std::to_string(l.line);
        if (eq == std::string::npos)
            throw ImportError(where + ": expected name = value, got \"" + l.text + "\"");
        const std::string_view name = trim(std::string_view(l.text).substr(0, eq));
        if (name.empty() || !std::all_of(name.begin(), name.end(), name_char))
            throw ImportError(where + ": \"" + std::string(name) +
                              "\" is not a parameter name (letters, digits and _)");
        config.written.push_back({std::string(name),
                                  std::string(trim(std::string_view(l.text).substr(eq + 1))),
                                  l.line});
    }
    return config;
}

const PostfixParameter* PostfixConfig::find(std::string_view name) const {
    for (auto it = written.rbegin(); it != written.rend(); ++it)
        if (it->name == name) return &*it;
    return nullptr;
}

std::optional<std::string> PostfixConfig::raw(std::string_view name) const {
    if (const PostfixParameter* p = find(name)) return p->value;
    if (const auto m = machine.find(name); m != machine.end()) return m->second;
    double level = 0;
    if (const PostfixParameter* c = find("compatibility_level"))
        level = std::atof(c->value.c_str());
    if (const auto d = postfix_default(name, level)) return std::string(*d);
    return std::nullopt;
}

std::optional<std::string> PostfixConfig::expanded(std::string_view name) const {
    const std::optional<std::string> value = raw(name);
    if (!value) return std::nullopt;
    return expand(*value, 0);
}

std::string PostfixConfig::expand(std::string_view text) const {
    return expand(text, 0);
}

// $name, ${name}, $(name); ${name?text} (text when name is non-empty) and
// ${name:text} (text when it is empty), text itself expanded; $$ is a $.
std::string PostfixConfig::expand(std::string_view text, int depth) const {
    if (depth > kMaxDepth)
        throw ImportError("parameter expansion nested deeper than " + std::to_string(kMaxDepth) +
                          " levels: a parameter that refers to itself?");
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '$' || i + 1 == text.size()) {
            out += text[i];
            continue;
        }
        const char next = text[i + 1];
        if (next == '$') {
            out += '$';
            ++i;
            continue;
        }
        std::string name, op, arg;
        if (next == '{' || next == '(') {
            const char close = next == '{' ? '}' : ')';
            int nesting = 0;
            std::size_t j = i + 2;
            for (; j < text.size(); ++j) {
                if (text[j] == next) ++nesting;
                if (text[j] == close && nesting-- == 0) break;
            }
            if (j == text.size())
                throw ImportError("\"" + std::string(text) + "\": unbalanced " + next);
            const std::string_view inner = text.substr(i + 2, j - i - 2);
            const std::size_t k = inner.find_first_of("?:");
            name = std::string(inner.substr(0, k));
            if (k != std::string_view::npos) {
                op = inner[k];
                arg = std::string(inner.substr(k + 1));
                // Postfix 3.0's ${name?{text}} form: the braces only group.
                if (arg.size() >= 2 && arg.front() == '{' && arg.back() == '}')
                    arg = arg.substr(1, arg.size() - 2);
            }
            i = j;
        } else {
            std::size_t j = i + 1;
            while (j < text.size() && name_char(text[j]))
                ++j;
            if (j == i + 1) {
                out += '$';
                continue;
            }
            name = std::string(text.substr(i + 1, j - i - 1));
            i = j - 1;
        }
        const std::string value = expand(raw(name).value_or(""), depth + 1);
        if (op.empty())
            out += value;
        else if ((op == "?") == !value.empty())
            out += expand(arg, depth + 1);
    }
    return out;
}

}  // namespace mxsim::importer
