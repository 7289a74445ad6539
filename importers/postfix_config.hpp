// postfix_config.hpp - a Postfix main.cf (or `postconf -n` output) read as Postfix
// reads it: comments, continuation lines, `name = value`, and $name expansion.
// Offers read_postfix_config() and PostfixConfig::expanded(); postconf(5) and
// Postfix's mail_conf_read.c / mac_expand.c are the rules followed.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mxsim::importer {

class ImportError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct PostfixParameter {
    std::string name;
    std::string value;  // as written, continuation lines joined by one space
    int line = 0;       // where its logical line starts
};

class PostfixConfig {
  public:
    // The parameters as written, in file order; a later line of the same name wins
    // (as in Postfix, which keeps the last).
    std::vector<PostfixParameter> written;
    // What Postfix takes from the machine when main.cf does not say (myhostname
    // from gethostname(), mydomain from it), set by the caller.
    std::map<std::string, std::string, std::less<>> machine;

    const PostfixParameter* find(std::string_view name) const;
    // The value after $name expansion (as mac_expand does: $name, ${name}, $(name),
    // ${name?text}, ${name:text}), with Postfix's defaults for names not written.
    // nullopt when the name is neither written nor has a default mxsim knows.
    std::optional<std::string> expanded(std::string_view name) const;
    std::string expand(std::string_view text) const;

  private:
    std::string expand(std::string_view text, int depth) const;
    std::optional<std::string> raw(std::string_view name) const;
};

// A file's logical lines as Postfix's readlline() gives them: blank lines and
// comments dropped, continuation lines (starting with white space) joined with
// one space; each with the number of its first line.
struct LogicalLine {
    std::string text;
    int line = 0;
};
std::vector<LogicalLine> logical_lines(std::string_view text, std::string_view origin);

// `origin` names the file in errors ("main.cf:12: ...").
PostfixConfig read_postfix_config(std::string_view text, std::string_view origin);

// A value split at commas and whitespace, as Postfix splits lists (mystrtok "\t\r\n, ").
std::vector<std::string> split_list(std::string_view value);

// Postfix's built-in defaults (postconf -d, Postfix 3.7) for the parameters the
// import reads; they may refer to other parameters ($myhostname).
std::optional<std::string_view> postfix_default(std::string_view name, double compatibility);

}  // namespace mxsim::importer
