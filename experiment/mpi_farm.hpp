// mpi_farm.hpp - `mxsim run` over MPI (compiled only with MXSIM_MPI): the processes
// that mpirun or srun started share the jobs of one experiment. Offers MpiFarm:
// rank 0 leads (hands out jobs on request, runs jobs on its own threads meanwhile,
// gathers results by job index); every other rank works. docs/cluster.md.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "experiment/job_runner.hpp"
#include "scenario/experiment_file.hpp"

namespace mxsim::experiment {

class MpiFarm {
  public:
    // Initialises MPI if an MPI launcher started this process (mpirun, or srun
    // with a PMI plugin); nullptr otherwise, and MPI is left alone.
    static std::unique_ptr<MpiFarm> join_if_launched();
    // Rank 0: if lead() was never called (the scenario did not load), tells every
    // worker the run failed. Then MPI_Finalize.
    ~MpiFarm();
    MpiFarm(const MpiFarm&) = delete;
    MpiFarm& operator=(const MpiFarm&) = delete;

    bool leads() const { return rank_ == 0; }
    // Every rank, when the command runs no jobs (run --list-jobs): each rank
    // read that from its own command line, so rank 0 hands nothing out and
    // the workers leave without asking; the destructor only waits for all.
    void dismiss() { led_ = true; }

    // Rank 0: the jobs `settings` asks for (every job by default), over all processes, each with
    // `threads` threads. Returns when every process has stopped; throws std::runtime_error naming
    // the first job that failed (or the process that could not take part).
    JobOutput lead(const format::Experiment& ex, const JobSettings& settings, unsigned threads,
                   const RunnerHooks& hooks);

    // Any other rank: loads the scenario itself, runs the jobs rank 0 hands out,
    // and returns the exit code: 0, or 1 when the run failed on any process.
    // `sets`, `seed` and `only_job` (--job) as given on the command line (the
    // scenario's seed when not given).
    int work(const std::string& scenario_file, const std::vector<std::string>& sets,
             std::optional<std::uint64_t> seed, bool trace, std::optional<std::size_t> only_job,
             unsigned threads, std::ostream& err);

  private:
    MpiFarm(int rank, int size) : rank_(rank), size_(size) {}

    int rank_;
    int size_;
    bool led_ = false;
};

}  // namespace mxsim::experiment
