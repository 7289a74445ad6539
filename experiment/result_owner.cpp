// result_owner.cpp - reads an old summary.json's "run" to tell whose results they are;
// only "run" is read, however large the summary.
#include "experiment/result_owner.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "experiment/safe_text.hpp"

namespace mxsim::experiment {
namespace fs = std::filesystem;

namespace {

using Json = nlohmann::json;

// SAX events of a summary.json: the value of the top-level "run" is built into
// `run`, and reading stops as soon as it is complete, so that the rest of a
// large summary (every series of the first job) is never read.
class RunOnly {
  public:
    Json run;
    bool complete = false;

    bool null() {
        return value([](auto& d) { return d.null(); });
    }
    bool boolean(bool v) {
        return value([v](auto& d) { return d.boolean(v); });
    }
    bool number_integer(Json::number_integer_t v) {
        return value([v](auto& d) { return d.number_integer(v); });
    }
    bool number_unsigned(Json::number_unsigned_t v) {
        return value([v](auto& d) { return d.number_unsigned(v); });
    }
    bool number_float(Json::number_float_t v, const Json::string_t& s) {
        return value([&](auto& d) { return d.number_float(v, s); });
    }
    bool string(Json::string_t& v) {
        return value([&](auto& d) { return d.string(v); });
    }
    bool binary(Json::binary_t&) { return false; }
    bool key(Json::string_t& k) {
        if (depth_ == 1) in_run_ = k == "run";
        return !in_run_ || depth_ == 1 || dom_.key(k);
    }
    bool start_object(std::size_t n) {
        return open([n](auto& d) { return d.start_object(n); });
    }
    bool start_array(std::size_t n) {
        return open([n](auto& d) { return d.start_array(n); });
    }
    bool end_object() {
        return close([](auto& d) { return d.end_object(); });
    }
    bool end_array() {
        return close([](auto& d) { return d.end_array(); });
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
        return false;
    }

  private:
    // A value at depth 1 inside "run" is all of it; deeper ones are parts of it.
    template <class Event>
    bool value(Event event) {
        if (!in_run_ || depth_ < 1) return true;
        event(dom_);
        return !(complete = depth_ == 1);
    }
    template <class Event>
    bool open(Event event) {
        ++depth_;
        return !in_run_ || depth_ == 1 || event(dom_);
    }
    // The end of a container: for "run"'s own, the last event of it.
    template <class Event>
    bool close(Event event) {
        --depth_;
        return value(event);
    }

    nlohmann::detail::json_sax_dom_parser<Json> dom_{run, false};
    int depth_ = 0;
    bool in_run_ = false;
};

}  // namespace

std::optional<std::string> other_results(const std::string& dir, const RunMetadata& meta) {
    std::error_code ec;
    if (!fs::is_directory(fs::symlink_status(dir, ec)) || fs::is_empty(dir, ec))
        return std::nullopt;
    std::ifstream in(fs::path(dir) / "summary.json", std::ios::binary);
    RunOnly reader;
    if (in) Json::sax_parse(in, &reader);
    const Json& run = reader.run;
    if (!reader.complete || !run.is_object() || !run.contains("content_hash") ||
        !run.contains("seed"))
        return "files without a readable summary.json";
    const nlohmann::json sets = run.value("set", nlohmann::json::array());
    if (run["content_hash"] == meta.content_hash && run["seed"] == meta.seed &&
        sets == nlohmann::json(meta.sets))
        return std::nullopt;
    std::ostringstream what;
    what << "results of scenario " << printable(run.value("scenario", std::string("?")))
         << " (content hash " << printable(run["content_hash"].dump()) << ", seed "
         << printable(run["seed"].dump());
    if (!sets.empty()) what << ", --set " << printable(sets.dump());
    what << ")";
    return what.str();
}

}  // namespace mxsim::experiment
