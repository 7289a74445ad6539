// replay_command.cpp - reads the log and the scenario, picks the host, writes
// DIR/replay.json whole and prints the summary.
#include "cli/replay_command.hpp"

#include <fstream>
#include <optional>
#include <sstream>

#include "cli/command_line.hpp"
#include "experiment/replay.hpp"
#include "experiment/safe_files.hpp"
#include "experiment/safe_text.hpp"
#include "importers/postfix_config.hpp"
#include "scenario/experiment_file.hpp"
#include "scenario/json_reader.hpp"

namespace mxsim::cli {
namespace {

// A maillog of a busy day is large, but not this large.
constexpr std::size_t kMaxLogBytes = std::size_t{1} << 30;

std::string read_log(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw importer::ImportError(path + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    if (text.str().size() > kMaxLogBytes)
        throw importer::ImportError(path + ": larger than 1 GiB: split the log");
    return text.str();
}

// --host, else the scenario's host named like the log's syslog host ("mail" ->
// "mail.example.org"), else its only MTA.
std::string pick_host(const nlohmann::json& doc, const std::string& given,
                      const std::string& log_host, const std::string& scenario) {
    if (!given.empty()) return given;
    const nlohmann::json expanded = format::expand_templates(doc, scenario);
    std::vector<std::string> mtas;
    for (const auto& h : expanded.value("hosts", nlohmann::json::array())) {
        if (!h.is_object() || !h.contains("mta") || !h.value("name", nlohmann::json()).is_string())
            continue;
        const std::string name = h["name"];
        if (name == log_host || name.rfind(log_host + ".", 0) == 0) return name;
        mtas.push_back(name);
    }
    if (mtas.size() == 1) return mtas.front();
    throw format::ScenarioError(scenario + ": which host is the log from? " +
                                std::to_string(mtas.size()) + " hosts have an \"mta\" and none " +
                                "is called " + log_host + ": give --host");
}

}  // namespace

int replay_command(const std::vector<std::string_view>& args, std::ostream& out,
                   std::ostream& err) {
    std::string log_file, scenario, host, dir;
    std::uint64_t seed = 1;
    CLI::App app(
        "Rebuild the traffic a Postfix maillog shows, run the scenario on it, and compare the "
        "logged and the simulated delivery attempts message by message; write DIR/replay.json "
        "and print the summary (docs/import.md). Exit 0, 1 (failed), 2 (bad input).",
        "mxsim replay");
    app.add_option("MAILLOG", log_file, "the Postfix log (syslog or maillog_file lines)")
        ->required();
    app.add_option("--scenario", scenario, "the scenario the log's host is in")
        ->required()
        ->type_name("S.json");
    app.add_option("--host", host, "the scenario's host the log is from (default: guessed)")
        ->type_name("NAME");
    app.add_option("--out", dir, "results folder (default: out/replay-<scenario name>)")
        ->type_name("DIR");
    app.add_option("--seed", seed, "master seed");
    if (const auto done = parse_command(app, args, out, err)) return *done;
    try {
        const importer::Maillog log = importer::read_maillog(read_log(log_file), log_file);
        const nlohmann::json doc =
            format::parse_strict_json(format::read_scenario_text(scenario), scenario);
        const std::string name = doc.is_object() && doc.value("name", nlohmann::json()).is_string()
                                     ? doc["name"].get<std::string>()
                                     : "scenario";
        const nlohmann::ordered_json result = experiment::replay(
            log, doc, scenario, {pick_host(doc, host, log.host, scenario), seed});
        for (const auto& w : result["log"]["warnings"])
            err << "mxsim replay: warning: " << experiment::printable(w.get<std::string>()) << '\n';
        if (dir.empty()) dir = "out/replay-" + experiment::path_component(name);
        experiment::write_result_set(dir, {{"replay.json", result.dump(2) + "\n"}});
        out << experiment::describe_replay(result) << "Results: " << dir << "/replay.json\n";
        return kExitOk;
    } catch (const importer::ImportError& e) {
        err << "mxsim replay: " << experiment::printable(e.what()) << '\n';
        return kExitBadInput;
    } catch (const format::ScenarioError& e) {
        err << "mxsim replay: " << experiment::printable(e.what()) << '\n';
        return kExitBadInput;
    } catch (const std::exception& e) {
        err << "mxsim replay: " << experiment::printable(e.what()) << '\n';
        return kExitFailed;
    }
}

}  // namespace mxsim::cli
