// scenario_document.cpp - editing a scenario as JSON, validated by scenario/'s loader.
#include "gui/scenario_document.hpp"

#include <algorithm>
#include <filesystem>

#include "experiment/memory_budget.hpp"
#include "experiment/safe_files.hpp"
#include "scenario/scenario_loader.hpp"

namespace mxsim::gui {

std::string error_pointer(const std::string& message) {
    const std::size_t at = message.find(": /");
    if (at == std::string::npos) return "";
    const std::size_t begin = at + 2;
    const std::size_t end = message.find(": ", begin);
    return message.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

ScenarioDocument ScenarioDocument::load(const std::string& path) {
    return from_text(format::read_scenario_text(path), path);
}

ScenarioDocument ScenarioDocument::from_text(const std::string& text, const std::string& origin) {
    ScenarioDocument d;
    d.path_ = origin;
    d.original_text_ = text;
    d.doc_ = nlohmann::ordered_json::parse(text, nullptr, false);
    if (d.doc_.is_discarded() || !d.doc_.is_object()) {
        format::parse_experiment(text, origin);  // throws the loader's message (line, column)
        throw format::ScenarioError(origin + ": /: expected a JSON object");
    }
    return d;
}

nlohmann::ordered_json ScenarioDocument::value(const std::string& pointer) const {
    try {
        const nlohmann::ordered_json::json_pointer p(pointer);
        return doc_.contains(p) ? doc_.at(p) : nlohmann::ordered_json();
    } catch (const nlohmann::ordered_json::exception&) {
        return nlohmann::ordered_json();
    }
}

void ScenarioDocument::set(const std::string& pointer, const nlohmann::ordered_json& value) {
    try {
        const nlohmann::ordered_json::json_pointer p(pointer);
        if (value.is_null()) {
            if (!doc_.contains(p)) return;
            doc_.at(p.parent_pointer()).erase(p.back());
        } else {
            if (doc_.contains(p) && doc_.at(p) == value) return;
            nlohmann::ordered_json changed = doc_;  // doc_ stays as it was if this throws
            changed[p] = value;
            doc_ = std::move(changed);
        }
    } catch (const nlohmann::ordered_json::exception&) {
        throw format::ScenarioError(path_ + ": " + pointer +
                                    ": cannot be set here: a value on the way is not an object");
    }
    modified_ = true;
}

std::vector<std::string> ScenarioDocument::variant_names() const {
    std::vector<std::string> names;
    const nlohmann::ordered_json variants = value("/variants");
    if (!variants.is_array()) return names;
    for (const nlohmann::ordered_json& v : variants)
        if (v.is_object() && v.contains("name") && v["name"].is_string())
            names.push_back(v["name"].get<std::string>());
    return names;
}

void ScenarioDocument::set_variant_enabled(const std::string& name, bool enabled) {
    if (enabled)
        disabled_variants_.erase(name);
    else
        disabled_variants_.insert(name);
}

bool ScenarioDocument::variant_enabled(const std::string& name) const {
    return disabled_variants_.count(name) == 0;
}

std::vector<std::size_t> ScenarioDocument::variant_slots(
    const std::vector<std::string>& run_variants) const {
    const std::vector<std::string> names = variant_names();
    std::vector<std::size_t> slots;
    for (std::size_t v = 0; v < run_variants.size(); ++v) {
        const auto it = std::find(names.begin(), names.end(), run_variants[v]);
        slots.push_back(
            v == 0 || it == names.end() ? v : static_cast<std::size_t>(it - names.begin()) + 1);
    }
    return slots;
}

nlohmann::ordered_json ScenarioDocument::run_document() const {
    nlohmann::ordered_json run = doc_;
    if (run.contains("variants") && run["variants"].is_array()) {
        nlohmann::ordered_json kept = nlohmann::ordered_json::array();
        for (const nlohmann::ordered_json& v : run["variants"])
            if (!v.is_object() || !v.contains("name") || !v["name"].is_string() ||
                variant_enabled(v["name"].get<std::string>()))
                kept.push_back(v);
        run["variants"] = kept;
    }
    return run;
}

std::string ScenarioDocument::fingerprint() const {
    return run_document().dump();
}

Validation ScenarioDocument::validate() const {
    Validation out;
    try {
        // Refused like `mxsim run` refuses it: more than this machine's memory.
        const format::LoadOptions load{experiment::machine_memory_budget(), {}, {}};
        if (!modified_ && disabled_variants_.empty()) {
            out.experiment = format::parse_experiment(original_text_, path_, load);
        } else {
            out.experiment = format::parse_experiment(run_document().dump(2), path_, load);
        }
        format::check_work(format::estimate_work(*out.experiment, 1, false), load.budget, path_);
    } catch (const std::exception& e) {
        out.error = e.what();
        out.pointer = error_pointer(out.error);
    }
    return out;
}

void ScenarioDocument::save(const std::string& path) {
    const std::filesystem::path p(path);
    const std::string text = doc_.dump(2) + "\n";
    experiment::write_files_atomically(p.parent_path().empty() ? "." : p.parent_path().string(),
                                       {{p.filename().string(), text}});
    path_ = path;
    original_text_ = text;
    modified_ = false;
}

}  // namespace mxsim::gui
