// experiment_file.cpp - templates, variants and sweeps applied to the JSON document
// before the strict loader validates each resulting scenario.
#include "scenario/experiment_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <sstream>

#include "model/series_names.hpp"
#include "scenario/json_reader.hpp"

namespace mxsim::format {
namespace {

using nlohmann::json;

// ---- templates -------------------------------------------------------------------

void substitute(json& v, const std::string& index) {
    if (v.is_string()) {
        std::string s = v.get<std::string>();
        for (std::size_t at = s.find("{i}"); at != std::string::npos;
             at = s.find("{i}", at + index.size()))
            s.replace(at, 3, index);
        v = s;
    } else if (v.is_object()) {
        // A domain's {"count", "pattern"} mailboxes keep their own {i}: the
        // mailbox's number, not the template's.
        for (auto& [key, e] : v.items())
            if (key != "mailboxes" || !e.is_object()) substitute(e, index);
    } else if (v.is_array()) {
        for (auto& e : v)
            substitute(e, index);
    }
}

json expand_list(const JsonValue& list) {
    json out = json::array();
    for (const JsonValue& e : list.elements()) {
        const auto count = e.raw().is_object() ? e.find("count") : std::nullopt;
        if (!count) {
            out.push_back(e.raw());
            continue;
        }
        const std::int64_t n = count->integer(1, 1'000'000);
        for (std::int64_t i = 0; i < n; ++i) {
            json copy = e.raw();
            copy.erase("count");
            substitute(copy, std::to_string(i));
            out.push_back(std::move(copy));
        }
    }
    return out;
}

// ---- JSON pointers with "*" ---------------------------------------------------------

std::vector<std::string> split_pointer(const JsonValue& path) {
    const std::string p = path.string();
    if (p.empty() || p[0] != '/') path.fail_expected("a JSON pointer like \"/hosts/0/mta/flavor\"");
    std::vector<std::string> out;
    std::string token;
    for (std::size_t i = 1; i <= p.size(); ++i) {
        if (i == p.size() || p[i] == '/') {
            out.push_back(token);
            token.clear();
        } else if (p[i] == '~' && i + 1 < p.size() && (p[i + 1] == '0' || p[i + 1] == '1')) {
            token += p[++i] == '0' ? '~' : '/';
        } else {
            token += p[i];
        }
    }
    return out;
}

// A place a change writes to: a key of an object or an element of an array.
struct Place {
    json* parent;
    std::string key;  // for an array: the index in decimal
};

bool is_index(const std::string& s, const json& array) {
    return !s.empty() && s.size() < 10 && s.find_first_not_of("0123456789") == std::string::npos &&
           std::stoull(s) < array.size();
}

// Every place `segments` leads to from `v`, in document order. "*" stands for
// every element of an array (or member of an object); elements where the rest
// of the path does not exist are passed over. The last segment may name a key
// that does not exist yet: setting it adds it.
void resolve(json& v, const std::vector<std::string>& segments, std::size_t i,
             std::vector<Place>& out) {
    const std::string& s = segments[i];
    const bool last = i + 1 == segments.size();
    if (s == "*" && v.is_array()) {
        for (std::size_t k = 0; k < v.size(); ++k) {
            if (last)
                out.push_back({&v, std::to_string(k)});
            else
                resolve(v[k], segments, i + 1, out);
        }
    } else if (s == "*" && v.is_object()) {
        for (auto& [key, child] : v.items()) {
            if (last)
                out.push_back({&v, key});
            else
                resolve(child, segments, i + 1, out);
        }
    } else if (v.is_object() && (last || v.contains(s))) {
        if (last)
            out.push_back({&v, s});
        else
            resolve(v[s], segments, i + 1, out);
    } else if (v.is_array() && is_index(s, v)) {
        if (last)
            out.push_back({&v, s});
        else
            resolve(v[std::stoull(s)], segments, i + 1, out);
    }
}

void assign(const Place& p, const json& value) {
    if (p.parent->is_array())
        (*p.parent)[std::stoull(p.key)] = value;
    else
        (*p.parent)[p.key] = value;
}

// {"path": P, "value": V, "share": S}: sets V at the first round(S x n) of the
// n places P matches (all of them without "share").
void apply_set(json& doc, const JsonValue& op, const json& value, std::optional<double> share) {
    const JsonValue path = op.required("path", "a JSON pointer");
    const std::vector<std::string> segments = split_pointer(path);
    std::vector<Place> places;
    if (!segments.empty()) resolve(doc, segments, 0, places);
    if (places.empty()) path.fail_expected("a path that exists in the scenario");
    const auto n = static_cast<std::size_t>(
        std::llround(share.value_or(1.0) * static_cast<double>(places.size())));
    for (std::size_t k = 0; k < n; ++k)
        assign(places[k], value);
}

double read_share(const JsonValue& v) {
    if (!v.raw().is_number() || !(v.raw().get<double>() >= 0 && v.raw().get<double>() <= 1))
        v.fail_expected("a share from 0 to 1");
    return v.raw().get<double>();
}

// ---- variants and sweeps ---------------------------------------------------------------

struct Change {
    const JsonValue* op;  // kept for its path in error messages
    json value;
    std::optional<double> share;
};

struct Named {
    std::string name;
    std::vector<Change> changes;
    std::vector<json> swept;  // a sweep point's value of each sweep, in order
};

Change read_set(const JsonValue& op) {
    static constexpr std::string_view kKeys[] = {"path", "value", "share"};
    op.expect_object(kKeys);
    Change c{nullptr, op.required("value", "the value to set").raw(), std::nullopt};
    if (auto s = op.find("share")) c.share = read_share(*s);
    return c;
}

// --set POINTER=VALUE: the value is JSON when it parses ("5", "true", "[1,2]",
// "\"x\"") and a string otherwise ("mx.example").
void apply_command_line_set(json& doc, const std::string& set, std::string_view origin) {
    const std::size_t eq = set.find('=');
    const std::string where = std::string(origin) + ": --set " + set;
    if (eq == std::string::npos || eq == 0)
        throw ScenarioError(where + ": expected POINTER=VALUE, like /seed=5");
    const std::string text = set.substr(eq + 1);
    json value = json::parse(text, nullptr, false);
    if (value.is_discarded()) value = text;
    const json op = {{"path", set.substr(0, eq)}};
    try {
        apply_set(doc, JsonValue(op, where), value, std::nullopt);
    } catch (const ScenarioError&) {
        throw ScenarioError(where +
                            ": expected a JSON pointer to a place in the scenario (after its "
                            "templates are expanded), like /hosts/0/mta/flavor");
    }
}

std::string value_label(const json& v) {
    return v.is_string() ? v.get<std::string>() : v.dump();
}

// "series": which series timeseries.csv holds, as names or prefixes ending in "*".
std::vector<std::string> read_series_choice(const JsonValue& v) {
    std::vector<std::string> out;
    for (const JsonValue& e : v.elements()) {
        std::string name = e.non_empty_string();
        if (!model::series_pattern_ok(name))
            e.fail_expected(
                "a series name (docs/results-format.md, \"timeseries.csv\"), or a "
                "prefix of one ending in *");
        out.push_back(std::move(name));
    }
    return out;
}

}  // namespace

json expand_templates(json doc, std::string_view origin) {
    for (const char* key : {"hosts", "domains"}) {
        const auto list = doc.find(key);
        if (list == doc.end() || !list->is_array() ||
            std::none_of(list->begin(), list->end(),
                         [](const json& e) { return e.is_object() && e.contains("count"); }))
            continue;  // nothing to expand: the list stays as it is, uncopied
        json expanded = expand_list(*JsonValue(doc, origin).find(key));
        doc[key] = std::move(expanded);
    }
    return doc;
}

Experiment parse_experiment(std::string_view json_text, std::string_view origin,
                            const LoadOptions& options) {
    json base = parse_strict_json(json_text, origin);
    JsonValue(base, origin).expect_object();
    // The experiment's own keys move out of the document (no copy of a big
    // world); their paths stay /replications, /variants, /sweeps.
    json experiment_keys = json::object();
    for (const char* key : {"replications", "variants", "sweeps", "series"})
        if (const auto it = base.find(key); it != base.end()) {
            experiment_keys[key] = std::move(*it);
            base.erase(key);
        }
    const JsonValue root(experiment_keys, origin);
    Experiment ex;
    if (auto r = root.find("replications"))
        ex.replications = static_cast<int>(r->integer(1, 10'000));
    if (auto series = root.find("series")) ex.series = read_series_choice(*series);

    // The variants: the baseline and each named set of changes.
    std::deque<JsonValue> ops;  // owns the JsonValues that Changes point at (stable addresses)
    std::vector<Named> variants{{"baseline", {}, {}}};
    std::vector<JsonValue> variant_specs =
        root.find("variants") ? root.find("variants")->elements() : std::vector<JsonValue>{};
    for (const JsonValue& v : variant_specs) {
        static constexpr std::string_view kKeys[] = {"name", "set"};
        v.expect_object(kKeys);
        Named n{v.required("name", "a variant name").non_empty_string(), {}, {}};
        for (const Named& other : variants)
            if (other.name == n.name)
                v.required("name", "").fail_expected("a variant name not used before");
        for (const JsonValue& op :
             v.required("set", "an array of {\"path\", \"value\"}").elements()) {
            ops.push_back(op);
            Change c = read_set(op);
            c.op = &ops.back();
            n.changes.push_back(std::move(c));
        }
        variants.push_back(std::move(n));
    }

    // Before anything is copied: do the scenarios the variants and sweep points
    // make, each a copy of the expanded world, fit in memory?
    ex.world = count_world(base);
    const auto sweeps_raw = experiment_keys.find("sweeps");
    const std::uint64_t point_count =
        sweeps_raw == experiment_keys.end() ? 1 : count_sweep_points(*sweeps_raw);
    const std::string_view grid_key = point_count > 1 ? "/sweeps" : "/variants";
    const std::uint64_t scenario_count =
        point_count > UINT64_MAX / variants.size() ? UINT64_MAX : point_count * variants.size();
    check_expansion(ex.world, scenario_count, grid_key, options.budget, origin);

    // The sweep points: the product of every sweep's values (the last varies fastest).
    std::vector<Named> points{{"", {}, {}}};
    if (auto sweeps = root.find("sweeps")) {
        for (const JsonValue& sw : sweeps->elements()) {
            static constexpr std::string_view kKeys[] = {"name", "path", "values", "value",
                                                         "shares"};
            sw.expect_object(kKeys);
            ops.push_back(sw);
            const JsonValue* op = &ops.back();
            const std::string name =
                sw.required("name", "a short name for the swept parameter").non_empty_string();
            std::vector<Named> level;
            if (auto values = sw.find("values")) {
                if (sw.has("shares"))
                    sw.fail_expected("either \"values\" or \"value\" with \"shares\"");
                for (const JsonValue& val : values->elements())
                    level.push_back({name + "=" + value_label(val.raw()),
                                     {{op, val.raw(), std::nullopt}},
                                     {val.raw()}});
            } else {
                const json value =
                    sw.required("value", "the value set on a share of the places").raw();
                for (const JsonValue& s :
                     sw.required("shares", "an array of shares from 0 to 1").elements()) {
                    const double share = read_share(s);
                    std::ostringstream label;
                    label << name << "=" << share;
                    level.push_back({label.str(), {{op, value, share}}, {share}});
                }
            }
            if (level.empty()) sw.fail_expected("a sweep with at least one value");
            // Each sweep is a column of runs.csv and of the results database.
            static constexpr std::string_view kTaken[] = {"job", "variant", "sweep_point",
                                                          "replication", "seed"};
            if (std::find(std::begin(kTaken), std::end(kTaken), name) != std::end(kTaken) ||
                std::find(ex.sweep_names.begin(), ex.sweep_names.end(), name) !=
                    ex.sweep_names.end())
                sw.required("name", "")
                    .fail_expected(
                        "a sweep name not used before and other than job, variant, "
                        "sweep_point, replication and seed");
            ex.sweep_names.push_back(name);
            std::vector<Named> grid;
            for (const Named& a : points)
                for (const Named& b : level) {
                    Named c{a.name.empty() ? b.name : a.name + ";" + b.name, a.changes, a.swept};
                    c.changes.insert(c.changes.end(), b.changes.begin(), b.changes.end());
                    c.swept.insert(c.swept.end(), b.swept.begin(), b.swept.end());
                    grid.push_back(std::move(c));
                }
            points = std::move(grid);
        }
    }

    base = expand_templates(std::move(base), origin);
    // The command line's changes come first: the baseline is the scenario as
    // changed, and the variants change it further.
    for (const std::string& set : options.sets)
        apply_command_line_set(base, set, origin);
    for (const Named& v : variants)
        ex.variants.push_back(v.name);
    for (const Named& p : points) {
        ex.sweep_points.push_back(p.name);
        ex.sweep_values.push_back(p.swept);
    }
    for (const Named& v : variants)
        for (const Named& p : points) {
            // A job without changes reads the base itself: no copy of a big world.
            const bool changed = !v.changes.empty() || !p.changes.empty();
            json changed_doc;
            if (changed) changed_doc = base;
            for (const Named* part : {&v, &p})
                for (const Change& c : part->changes)
                    apply_set(changed_doc, *c.op, c.value, c.share);
            const json& doc = changed ? changed_doc : base;
            std::string where(origin);
            if (!v.changes.empty() || !p.name.empty())
                where += " (variant " + v.name + (p.name.empty() ? "" : ", " + p.name) + ")";
            LoadedScenario loaded = read_scenario_document(doc, where);
            for (std::string& w : loaded.warnings)
                ex.warnings.push_back(std::move(w));
            ex.scenarios.push_back(std::move(loaded.scenario));
            if (options.progress) options.progress(ex.scenarios.size(), scenario_count);
        }
    ex.content_hash = parse_scenario_hash(json_text);
    return ex;
}

Experiment load_experiment_file(const std::string& path, const LoadOptions& options) {
    return parse_experiment(read_scenario_text(path), path, options);
}

}  // namespace mxsim::format
