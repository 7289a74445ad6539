// scenario_document.hpp - the scenario file being edited: its JSON, what the user
// changed, and whether it is valid. Offers ScenarioDocument (load, get/set by JSON
// pointer, variant choice, validate() through scenario/'s loader, fingerprint(), save) and
// error_pointer().
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario/experiment_file.hpp"

namespace mxsim::gui {

// The outcome of validation: an experiment ready to run, or the loader's message.
struct Validation {
    std::optional<format::Experiment> experiment;
    std::string error;    // "file: /hosts/0/mta/...: expected ..., got ..." when invalid
    std::string pointer;  // the JSON pointer the error names ("" when none)
};

// "x.json: /hosts/2/mta/queue/maximal_backoff_time: expected ..." -> "/hosts/2/mta/queue/
// maximal_backoff_time"; "" when the message names no pointer.
std::string error_pointer(const std::string& message);

class ScenarioDocument {
  public:
    // Throws format::ScenarioError naming the file when it cannot be read or is not JSON.
    static ScenarioDocument load(const std::string& path);
    static ScenarioDocument from_text(const std::string& text, const std::string& origin);

    const std::string& path() const { return path_; }
    const nlohmann::ordered_json& json() const { return doc_; }
    bool modified() const { return modified_; }

    // The value at a JSON pointer, or null when absent (or the pointer is bad).
    nlohmann::ordered_json value(const std::string& pointer) const;
    // Sets (creating parent objects) or, for a null value, removes the key. Throws
    // format::ScenarioError, leaving the document as it was, when a value on the
    // way is not an object (e.g. "mta": 5).
    void set(const std::string& pointer, const nlohmann::ordered_json& value);

    // Variants as written, and which of them run (all, until unchecked).
    std::vector<std::string> variant_names() const;
    void set_variant_enabled(const std::string& name, bool enabled);
    bool variant_enabled(const std::string& name) const;
    // Each of `run_variants`' place among the file's variants ("baseline" 0, the file's
    // first variant 1, ...): what picks a variant's colour when some were left out.
    std::vector<std::size_t> variant_slots(const std::vector<std::string>& run_variants) const;

    // The scenario as it will run: the edited document with disabled variants
    // left out, parsed and checked by format::parse_experiment.
    Validation validate() const;
    // The scenario as it will run (the edited JSON without the disabled variants),
    // as compact text: equal fingerprints run the same experiment, whatever the file's
    // layout or name.
    std::string fingerprint() const;
    // Writes the edited document (all variants) atomically; the path becomes `path`.
    void save(const std::string& path);

  private:
    nlohmann::ordered_json run_document() const;

    std::string path_;
    std::string original_text_;  // for the content hash while nothing was changed
    nlohmann::ordered_json doc_;
    std::set<std::string> disabled_variants_;
    bool modified_ = false;
};

}  // namespace mxsim::gui
