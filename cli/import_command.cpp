// import_command.cpp - reads the files (with a size cap), hands them to importers/,
// prints the JSON.
#include "cli/import_command.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "cli/command_line.hpp"
#include "experiment/safe_text.hpp"
#include "importers/dns_zone.hpp"
#include "importers/postfix_import.hpp"

namespace mxsim::cli {
namespace {

// Configuration files are small; a bigger one is not a configuration file.
constexpr std::size_t kMaxBytes = std::size_t{64} << 20;

std::string read_text(const std::string& path, std::istream& in) {
    std::ostringstream text;
    if (path == "-") {
        text << in.rdbuf();
    } else {
        std::ifstream file(path, std::ios::binary);
        if (!file) throw importer::ImportError(path + ": cannot be read");
        text << file.rdbuf();
    }
    std::string s = text.str();
    if (s.size() > kMaxBytes)
        throw importer::ImportError(path + ": larger than 64 MiB: not a configuration file");
    if (s.find('\0') != std::string::npos)
        throw importer::ImportError(path + ": holds NUL bytes: not a text file");
    return s;
}

std::string this_host() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
    return name;
}

}  // namespace

int import_command(const std::vector<std::string_view>& args, std::istream& in, std::ostream& out,
                   std::ostream& err) {
    CLI::App app(
        "Print another system's configuration as mxsim JSON: a Postfix main.cf as a host, a "
        "zone file as domains and hosts, each with what mxsim does not model (docs/import.md).",
        "mxsim import");
    app.require_subcommand(1);
    std::string main_cf, master_cf, zone_file, origin;
    CLI::App* postfix = app.add_subcommand(
        "postfix", "a Postfix main.cf (or `postconf -n` output, with - for standard input)");
    postfix->add_option("MAIN.CF", main_cf, "main.cf, or - for standard input")->required();
    postfix->add_option("--master", master_cf, "master.cf, for the smtp client's process limit")
        ->type_name("MASTER.CF");
    CLI::App* zone = app.add_subcommand("zone", "an RFC 1035 master file, as BIND writes them");
    zone->add_option("FILE", zone_file, "the zone file")->required();
    zone->add_option("--origin", origin,
                     "the zone's name, for relative names before any $ORIGIN (as named.conf's "
                     "zone statement gives it)")
        ->type_name("NAME");
    if (const auto done = parse_command(app, args, out, err)) return *done;
    try {
        nlohmann::ordered_json result;
        if (postfix->parsed()) {
            const importer::PostfixConfig cf =
                importer::read_postfix_config(read_text(main_cf, in), main_cf);
            std::vector<importer::MasterService> services;
            if (!master_cf.empty())
                services = importer::read_master_cf(read_text(master_cf, in), master_cf);
            result = importer::import_postfix(cf, services, this_host());
        } else {
            result = importer::import_zone(
                importer::read_zone(read_text(zone_file, in), zone_file, origin));
        }
        out << result.dump(2) << '\n';
        return kExitOk;
    } catch (const importer::ImportError& e) {
        err << "mxsim import: " << experiment::printable(e.what()) << '\n';
        return kExitBadInput;
    }
}

}  // namespace mxsim::cli
