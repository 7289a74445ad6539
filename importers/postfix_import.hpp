// postfix_import.hpp - `mxsim import postfix`: a Postfix configuration as an mxsim
// host, every parameter mxsim models mapped by its Postfix name and every other one
// listed with the reason (docs/import.md has the mapping table). Offers
// import_postfix() and read_master_cf().
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "importers/postfix_config.hpp"

namespace mxsim::importer {

// One service line of master.cf (master(5)): name, type and the process limit
// ("-": default_process_limit), with its -o overrides.
struct MasterService {
    std::string name, type, maxproc;
    std::vector<std::pair<std::string, std::string>> overrides;  // -o name=value
    int line = 0;
};
std::vector<MasterService> read_master_cf(std::string_view text, std::string_view origin);

// {"hosts": [{"name": myhostname, "mta": {...}}], "not_modelled": [{"parameter",
// "value", "reason"}], "warnings": [...]}; `this_host` is the name used when
// main.cf sets no myhostname (Postfix would use the machine's name).
nlohmann::ordered_json import_postfix(PostfixConfig main, const std::vector<MasterService>& master,
                                      const std::string& this_host);

}  // namespace mxsim::importer
