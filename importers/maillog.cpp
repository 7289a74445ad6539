// maillog.cpp - syslog times, Postfix's per-daemon lines, and the messages they tell of.
#include "importers/maillog.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "importers/postfix_config.hpp"  // ImportError

namespace mxsim::importer {
namespace {

bool digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// The time at the start of a line, in seconds, and the rest of the line after it.
// RFC 3164 ("Dec  1 10:00:00", no year: it goes up when the month goes back) or
// RFC 5424 / ISO 8601 ("2026-12-01T10:00:00.123456+01:00").
struct Stamp {
    double seconds;
    std::string_view rest;
    std::string written;
};

class Clock {
  public:
    std::optional<Stamp> read(std::string_view line) {
        if (line.size() > 19 && line[4] == '-' && line[10] == 'T') return iso(line);
        return classic(line);
    }

  private:
    std::optional<Stamp> classic(std::string_view line) {
        static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        if (line.size() < 16 || line[3] != ' ' || line[9] != ':' || line[12] != ':' ||
            line[15] != ' ')
            return std::nullopt;
        const auto month = std::find(std::begin(kMonths), std::end(kMonths), line.substr(0, 3));
        const std::string_view day = line.substr(4, 2), hh = line.substr(7, 2),
                               mm = line.substr(10, 2), ss = line.substr(13, 2);
        if (month == std::end(kMonths) || !digits(day.substr(day[0] == ' ' ? 1 : 0)) ||
            !digits(hh) || !digits(mm) || !digits(ss))
            return std::nullopt;
        const auto m = static_cast<unsigned>(month - std::begin(kMonths) + 1);
        if (last_month_ && m < *last_month_) ++year_;
        last_month_ = m;
        const auto d = static_cast<unsigned>(std::stoi(std::string(day)));
        const double s = static_cast<double>(days_from_civil(year_, m, d)) * 86400 +
                         std::stoi(std::string(hh)) * 3600 + std::stoi(std::string(mm)) * 60 +
                         std::stoi(std::string(ss));
        return Stamp{s, line.substr(16), std::string(line.substr(0, 15))};
    }

    static std::optional<Stamp> iso(std::string_view line) {
        const std::size_t end = line.find(' ');
        if (end == std::string_view::npos) return std::nullopt;
        const std::string t(line.substr(0, end));
        if (t.size() < 19 || !digits(t.substr(0, 4)) || !digits(t.substr(5, 2)) ||
            !digits(t.substr(8, 2)) || !digits(t.substr(11, 2)) || !digits(t.substr(14, 2)) ||
            !digits(t.substr(17, 2)))
            return std::nullopt;
        double s = static_cast<double>(days_from_civil(
                       std::stoi(t.substr(0, 4)), static_cast<unsigned>(std::stoi(t.substr(5, 2))),
                       static_cast<unsigned>(std::stoi(t.substr(8, 2))))) *
                       86400 +
                   std::stoi(t.substr(11, 2)) * 3600 + std::stoi(t.substr(14, 2)) * 60 +
                   std::stoi(t.substr(17, 2));
        std::size_t i = 19;
        if (i < t.size() && t[i] == '.') {
            std::size_t j = i + 1;
            while (j < t.size() && std::isdigit(static_cast<unsigned char>(t[j])))
                ++j;
            s += std::stod("0" + t.substr(i, j - i));
            i = j;
        }
        if (i < t.size() && (t[i] == '+' || t[i] == '-') && t.size() >= i + 6) {
            const int sign = t[i] == '+' ? 1 : -1;
            s -= sign * (std::stoi(t.substr(i + 1, 2)) * 3600 + std::stoi(t.substr(i + 4, 2)) * 60);
        }
        return Stamp{s, line.substr(end + 1), t};
    }

    std::int64_t year_ = 2001;  // a common year; only differences are used
    std::optional<unsigned> last_month_;
};

// "key=value" out of "a=1, b=<x>, c=2 (text)": the value up to ", " or the end.
std::string field(std::string_view text, std::string_view key) {
    std::size_t at = 0;
    while ((at = text.find(key, at)) != std::string_view::npos) {
        if ((at == 0 || text[at - 1] == ' ' || text[at - 1] == ',') &&
            at + key.size() < text.size() && text[at + key.size()] == '=')
            break;
        ++at;
    }
    if (at == std::string_view::npos) return {};
    const std::size_t start = at + key.size() + 1;
    std::size_t end = text.find(", ", start);
    if (key == "status" || key == "from" || key == "to") end = std::min(end, text.find(' ', start));
    return std::string(text.substr(start, end == std::string_view::npos ? text.npos : end - start));
}

// <alice@example.com> -> alice@example.com; <> -> "".
std::string address(std::string s) {
    if (s.size() >= 2 && s.front() == '<' && s.back() == '>') return s.substr(1, s.size() - 2);
    return s;
}

// The daemons that log a message's queue id (anvil, scache, master do not).
bool logs_queue_ids(std::string_view program) {
    static constexpr std::string_view kDaemons[] = {
        "smtpd",   "pickup", "cleanup", "qmgr",   "smtp", "lmtp",    "local",
        "virtual", "error",  "retry",   "bounce", "pipe", "discard", "postsuper"};
    return std::find(std::begin(kDaemons), std::end(kDaemons), program) != std::end(kDaemons);
}

// A queue id (mail_queue.c): short ones are upper-case hex; long ones
// (enable_long_queue_ids) mix digits and letters of both cases. Words such as
// "warning" or "statistics" that start other lines are neither.
bool queue_id(std::string_view s) {
    const auto count = [&](int (*is)(int)) {
        return std::count_if(s.begin(), s.end(), [&](unsigned char c) { return is(c) != 0; });
    };
    if (s.size() < 6 || s.size() > 20 ||
        count(std::isalnum) != static_cast<std::ptrdiff_t>(s.size()))
        return false;
    const bool hex = std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isdigit(c) || (c >= 'A' && c <= 'F');
    });
    return hex || (s.size() >= 12 && count(std::isdigit) > 0 && count(std::isupper) > 0);
}

class Reader {
  public:
    explicit Reader(std::string_view file) : file_(file) {}

    void line(std::string_view text, int number) {
        ++log_.lines_read;
        const std::optional<Stamp> stamp = clock_.read(text);
        if (!stamp)
            throw ImportError(std::string(file_) + ":" + std::to_string(number) +
                              ": not a log line (expected \"Mmm dd hh:mm:ss host program[pid]: "
                              "text\" or an ISO 8601 time)");
        // host program[pid]: message
        const std::string_view rest = stamp->rest;
        const std::size_t space = rest.find(' ');
        const std::size_t colon = rest.find(": ", space);
        if (space == std::string_view::npos || colon == std::string_view::npos) return;
        const std::string_view host = rest.substr(0, space);
        std::string_view program = rest.substr(space + 1, colon - space - 1);
        program = program.substr(0, program.find('['));
        if (program.rfind("postfix", 0) != 0 || program.find('/') == std::string_view::npos)
            return;  // another program's line
        program = program.substr(program.rfind('/') + 1);
        if (!start_) {
            start_ = stamp->seconds;
            log_.host = std::string(host);
            log_.start_time = stamp->written;
        }
        t_ = stamp->seconds - *start_;
        log_.span = std::max(log_.span, t_);
        number_ = number;
        const std::string_view message = rest.substr(colon + 2);
        const std::size_t id_end = message.find(": ");
        if (id_end == std::string_view::npos) return;
        const std::string_view id = message.substr(0, id_end), body = message.substr(id_end + 2);
        if (id == "NOQUEUE") {
            if (program == "smtpd" && body.rfind("reject: RCPT from ", 0) == 0) rejection(body);
            return;
        }
        if (!logs_queue_ids(program) || !queue_id(id)) return;
        ++log_.lines_used;
        daemon_line(program, std::string(id), body);
    }

    Maillog finish() {
        for (auto& [id, m] : by_id_)
            if (!m.recipients.empty() || m.notice)
                log_.messages.push_back(std::move(m));
            else
                log_.warnings.push_back(id +
                                        ": no recipient logged (still in the queue when "
                                        "the log ends?): left out");
        std::stable_sort(log_.messages.begin(), log_.messages.end(),
                         [](const LoggedMessage& a, const LoggedMessage& b) {
                             return a.arrival != b.arrival ? a.arrival < b.arrival
                                                           : a.line < b.line;
                         });
        return std::move(log_);
    }

  private:
    LoggedMessage& message(const std::string& id) {
        auto [it, fresh] = by_id_.try_emplace(id);
        if (fresh) {
            it->second.queue_id = id;
            it->second.arrival = t_;
            it->second.line = number_;
        }
        return it->second;
    }

    void daemon_line(std::string_view program, const std::string& id, std::string_view body) {
        const bool fresh = !by_id_.count(id);
        LoggedMessage& m = message(id);
        if (program == "smtpd" && body.rfind("client=", 0) == 0) {
            m.client = field(body, "client");
            if (fresh) m.arrival = t_;
        } else if (program == "pickup" && body.find("from=") != std::string_view::npos) {
            m.from = address(field(body, "from"));
        } else if (program == "qmgr" && body.rfind("from=", 0) == 0) {
            m.from = address(field(body, "from"));
            if (const std::string size = field(body, "size"); digits(size))
                m.size = std::stoll(size);
            // "status=expired, returned to sender": every recipient still waiting.
            if (field(body, "status") == "expired")
                for (LoggedRecipient& r : m.recipients)
                    if (r.attempts.empty() || r.attempts.back().status == "deferred")
                        r.attempts.push_back(
                            {t_, "expired", "", "", "returned to sender", number_});
        } else if (program == "bounce") {
            const std::size_t colon = body.rfind(": ");
            if (body.find("notification: ") != std::string_view::npos && colon != body.npos)
                message(std::string(body.substr(colon + 2))).notice = true;
        } else if (body.rfind("to=", 0) == 0 && body.find("status=") != std::string_view::npos) {
            attempt(m, body);
        }
    }

    void attempt(LoggedMessage& m, std::string_view body) {
        const std::string to = address(field(body, "to"));
        auto r = std::find_if(m.recipients.begin(), m.recipients.end(),
                              [&](const LoggedRecipient& x) { return x.address == to; });
        if (r == m.recipients.end()) r = m.recipients.insert(m.recipients.end(), {to, {}});
        LoggedAttempt a{t_,     field(body, "status"), field(body, "dsn"), field(body, "relay"), "",
                        number_};
        const std::size_t open = body.find(" (", body.find("status="));
        if (open != std::string_view::npos && body.back() == ')')
            a.text = std::string(body.substr(open + 2, body.size() - open - 3));
        r->attempts.push_back(std::move(a));
    }

    // "reject: RCPT from c[1.2.3.4]: 550 5.1.1 <r>: text; from=<s> to=<r> proto=..."
    void rejection(std::string_view body) {
        ++log_.lines_used;
        LoggedRejection r;
        r.t = t_;
        r.line = number_;
        const std::size_t from_end = body.find(": ", 18);
        r.client = std::string(body.substr(18, from_end - 18));
        const std::string_view reply = body.substr(from_end + 2);
        if (reply.size() >= 3 && digits(reply.substr(0, 3)))
            r.code = std::stoi(std::string(reply.substr(0, 3)));
        const std::size_t dsn_end = reply.find(' ', 4);
        r.dsn = std::string(reply.substr(4, dsn_end - 4));
        const std::size_t semi = reply.rfind("; from=");
        r.text = std::string(reply.substr(0, semi));
        if (semi != std::string_view::npos) {
            const std::string_view tail = reply.substr(semi + 2);
            r.from = address(field(tail, "from"));
            r.to = address(field(tail, "to"));
        }
        log_.rejections.push_back(std::move(r));
    }

    std::string_view file_;
    Clock clock_;
    std::optional<double> start_;
    double t_ = 0;
    int number_ = 0;
    std::map<std::string, LoggedMessage> by_id_;
    Maillog log_;
};

}  // namespace

Maillog read_maillog(std::string_view text, std::string_view file) {
    Reader reader(file);
    int number = 0;
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        std::string_view line = text.substr(at, end - at);
        at = end + 1;
        ++number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) continue;
        reader.line(line, number);
    }
    return reader.finish();
}

}  // namespace mxsim::importer
