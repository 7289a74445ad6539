// result_owner.cpp - reads an old summary.json's "run" to tell whose results they are.
#include "experiment/result_owner.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "experiment/safe_text.hpp"

namespace mxsim::experiment {
namespace fs = std::filesystem;

std::optional<std::string> other_results(const std::string& dir, const RunMetadata& meta) {
    std::error_code ec;
    if (!fs::is_directory(fs::symlink_status(dir, ec)) || fs::is_empty(dir, ec))
        return std::nullopt;
    std::ifstream in(fs::path(dir) / "summary.json", std::ios::binary);
    // Only "run" is kept: the rest of a large summary is skipped as it is read.
    const nlohmann::json::parser_callback_t only_run =
        [](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
            return !(depth == 1 && event == nlohmann::json::parse_event_t::key && parsed != "run");
        };
    const nlohmann::json summary =
        in ? nlohmann::json::parse(in, only_run, false) : nlohmann::json();
    const nlohmann::json run =
        summary.is_object() ? summary.value("run", nlohmann::json()) : nlohmann::json();
    if (!run.is_object() || !run.contains("content_hash") || !run.contains("seed"))
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
