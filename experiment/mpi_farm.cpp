// mpi_farm.cpp - the manager/worker protocol over MPI point-to-point messages.
//
// A worker rank announces itself (Hello: scenario hash, job count, seed, threads);
// rank 0 answers Go or Stop. Then each of the worker's threads asks for a job
// (Ask -> job index or Stop), runs it and sends its results (Result or Failure,
// no reply). Rank 0's main thread only serves these messages while its own
// threads run jobs from the same counter, so a slow job on one rank never holds
// back the rest, and rank 0 is not a core lost to management. After a failure
// every further Ask gets Stop(failed): every rank ends, none hangs.
//
// Waiting polls (MPI_Test / MPI_Iprobe, then a short sleep) rather than blocking
// in MPI, whose progress engine would spin on a core the jobs need.
#include "experiment/mpi_farm.hpp"

#include <mpi.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "experiment/run_results_codec.hpp"

namespace mxsim::experiment {
namespace {

constexpr const char* kProtocol = "mxsim-farm/1";
constexpr int kTagRequest = 1;  // worker -> rank 0: one of Kind
constexpr int kTagReply = 2;    // rank 0 -> worker: one std::int64_t, a job index or a Reply
constexpr auto kPollPause = std::chrono::microseconds(200);

enum class Kind : std::uint64_t { Hello = 1, Ask = 2, Result = 3, Failure = 4 };
enum Reply : std::int64_t { kGo = -1, kStopOk = -2, kStopFailed = -3 };

void check(int rc, const char* what) {
    if (rc != MPI_SUCCESS) throw std::runtime_error(std::string("MPI: ") + what + " failed");
}

void wait_gently(MPI_Request& request) {
    for (;;) {
        int done = 0;
        check(MPI_Test(&request, &done, MPI_STATUS_IGNORE), "MPI_Test");
        if (done) return;
        std::this_thread::sleep_for(kPollPause);
    }
}

int message_size(const std::string& bytes) {
    if (bytes.size() > static_cast<std::size_t>(INT_MAX))
        throw std::runtime_error("a job's results exceed 2 GiB, too big for one MPI message");
    return static_cast<int>(bytes.size());
}

void send_reply(int rank, std::int64_t reply) {
    check(MPI_Send(&reply, 1, MPI_INT64_T, rank, kTagReply, MPI_COMM_WORLD), "MPI_Send");
}

// MXSIM_FARM_LOG set and not empty: each rank writes "mxsim farm: rank R ran job J" to
// stderr for every job it ran (one write per line), so a test can see that the jobs were
// shared (tests/experiment/mpi/mpi_run_test.cmake; docs/cluster.md). Results are not affected.
void log_job(int rank, std::size_t job) {
    static const bool on = [] {
        const char* v = std::getenv("MXSIM_FARM_LOG");
        return v && *v;
    }();
    if (!on) return;
    const std::string line =
        "mxsim farm: rank " + std::to_string(rank) + " ran job " + std::to_string(job) + "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
}

std::string processor_name() {
    char name[MPI_MAX_PROCESSOR_NAME];
    int length = 0;
    check(MPI_Get_processor_name(name, &length), "MPI_Get_processor_name");
    return std::string(name, static_cast<std::size_t>(length));
}

// ---- the worker's side -------------------------------------------------------------

// Every MPI call of a worker's threads goes through one Link, one at a time
// (MPI_THREAD_SERIALIZED).
class Link {
  public:
    void send(const std::string& message) {
        const std::lock_guard<std::mutex> lock(mutex_);
        send_locked(message);
    }

    std::int64_t ask(const std::string& message) {
        const std::lock_guard<std::mutex> lock(mutex_);
        send_locked(message);
        std::int64_t reply = 0;
        MPI_Request request;
        check(MPI_Irecv(&reply, 1, MPI_INT64_T, 0, kTagReply, MPI_COMM_WORLD, &request),
              "MPI_Irecv");
        wait_gently(request);
        return reply;
    }

  private:
    static void send_locked(const std::string& message) {
        MPI_Request request;
        check(MPI_Isend(message.data(), message_size(message), MPI_BYTE, 0, kTagRequest,
                        MPI_COMM_WORLD, &request),
              "MPI_Isend");
        wait_gently(request);
    }

    std::mutex mutex_;
};

// ---- rank 0's side -------------------------------------------------------------------

class Lead {
  public:
    // `ex` null: the scenario did not load here; every worker is sent away.
    Lead(const format::Experiment* ex, const JobSettings& settings, int workers,
         const RunnerHooks* hooks)
        : ex_(ex),
          seed_(settings.seed),
          jobs_(ex ? job_count(*ex) : 0),
          todo_(ex ? jobs_to_run(*ex, settings) : std::vector<std::size_t>{}),
          traced_(traced_job(settings)),
          hellos_missing_(workers),
          hooks_(hooks) {
        out_.runs.resize(jobs_);
        if (!ex) error_ = "rank 0 could not load the scenario";
    }

    std::optional<std::size_t> take() {
        const std::lock_guard<std::mutex> lock(mutex_);
        if (error_ || next_ >= todo_.size()) return std::nullopt;
        return todo_[next_++];
    }

    void fail(const std::string& what) {
        const std::lock_guard<std::mutex> lock(mutex_);
        if (!error_) error_ = what;
    }

    void store(std::size_t job, JobResult&& r) {
        out_.runs.at(job) = std::move(r.run);
        if (job == traced_) out_.trace = std::move(r.trace);
    }

    // Serves the workers until every one has stopped and `local_done` is set.
    void serve(const std::atomic<bool>& local_done) {
        while (hellos_missing_ > 0 || remote_threads_ > 0 || !local_done) {
            int waiting = 0;
            MPI_Status status;
            check(MPI_Iprobe(MPI_ANY_SOURCE, kTagRequest, MPI_COMM_WORLD, &waiting, &status),
                  "MPI_Iprobe");
            if (!waiting) {
                std::this_thread::sleep_for(kPollPause);
                continue;
            }
            int size = 0;
            check(MPI_Get_count(&status, MPI_BYTE, &size), "MPI_Get_count");
            std::string bytes(static_cast<std::size_t>(size), '\0');
            check(MPI_Recv(bytes.data(), size, MPI_BYTE, status.MPI_SOURCE, kTagRequest,
                           MPI_COMM_WORLD, MPI_STATUS_IGNORE),
                  "MPI_Recv");
            handle(status.MPI_SOURCE, bytes);
        }
    }

    JobOutput finish() {
        if (error_) throw std::runtime_error(*error_);
        return std::move(out_);
    }

  private:
    void handle(int rank, const std::string& bytes) {
        ByteReader in(bytes);
        const auto kind = static_cast<Kind>(in.u64());
        if (kind == Kind::Hello) {
            --hellos_missing_;
            hello(rank, in);
        } else if (kind == Kind::Ask) {
            const std::optional<std::size_t> job = take();
            if (job) {
                send_reply(rank, static_cast<std::int64_t>(*job));
            } else {
                --remote_threads_;
                send_reply(rank, stopped());
            }
        } else if (kind == Kind::Result || kind == Kind::Failure) {
            // A message that does not decode is the run's error, not a reason to
            // stop serving: the other ranks still need their Stop.
            try {
                const std::size_t job = in.u64();
                if (job >= jobs_) throw CodecError("job " + std::to_string(job) + " out of range");
                if (kind == Kind::Failure) {
                    fail(describe_job(*ex_, job) + ": " + in.bytes());
                } else {
                    JobResult r{decode_run_results(in.bytes()), decode_trace(in.bytes())};
                    in.expect_end();
                    if (hooks_ && hooks_->job_done) hooks_->job_done(job, r.run.events);
                    if (hooks_ && hooks_->job_result) hooks_->job_result(job, r.run);
                    store(job, std::move(r));
                }
            } catch (const CodecError& e) {
                fail("results from rank " + std::to_string(rank) + " unreadable: " + e.what());
            }
        } else {
            throw std::logic_error("rank " + std::to_string(rank) + " sent an unknown message");
        }
    }

    void hello(int rank, ByteReader& in) {
        const std::string protocol = in.bytes();
        const std::string host = in.bytes();
        const std::string load_error = in.bytes();
        const std::string who = "rank " + std::to_string(rank) + " (" + host + ")";
        if (protocol != kProtocol) {
            fail(who + " runs another mxsim version (" + protocol + ")");
        } else if (!load_error.empty()) {
            fail(who + ": " + load_error);
        } else if (ex_) {
            const std::string hash = in.bytes();
            const std::uint64_t jobs = in.u64(), seed = in.u64(), threads = in.u64();
            if (hash != ex_->content_hash || jobs != jobs_)
                fail(who + " read a different scenario file (content hash " + hash + ", not " +
                     ex_->content_hash + ")");
            else if (seed != seed_)
                fail(who + " uses seed " + std::to_string(seed) + ", not " + std::to_string(seed_));
            else if (!failed()) {
                remote_threads_ += threads;
                send_reply(rank, kGo);
                return;
            }
        }
        send_reply(rank, stopped());
    }

    bool failed() {
        const std::lock_guard<std::mutex> lock(mutex_);
        return error_.has_value();
    }
    Reply stopped() { return failed() ? kStopFailed : kStopOk; }

    const format::Experiment* ex_;
    const std::uint64_t seed_;
    const std::size_t jobs_;
    const std::vector<std::size_t> todo_;  // handed out in this order
    const std::size_t traced_;
    int hellos_missing_;
    std::uint64_t remote_threads_ = 0;  // threads that may still ask
    const RunnerHooks* hooks_;
    JobOutput out_;  // each slot written once, by a local thread or by serve()
    std::mutex mutex_;
    std::size_t next_ = 0;
    std::optional<std::string> error_;
};

bool launched_by_mpi() {
    // mpirun (Open MPI), PMIx launchers (srun --mpi=pmix, prterun), PMI-2 (srun --mpi=pmi2).
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
        if (std::getenv(name)) return true;
    return false;
}

}  // namespace

std::unique_ptr<MpiFarm> MpiFarm::join_if_launched() {
    if (!launched_by_mpi()) {
        // srun without a PMI plugin starts independent copies, each of which
        // would run every job and write the same results.
        const char* tasks = std::getenv("SLURM_STEP_NUM_TASKS");
        if (tasks && std::atoi(tasks) > 1)
            throw std::runtime_error(
                std::string("srun started ") + tasks +
                " tasks that do not form one MPI job: use srun --mpi=pmix (see srun --mpi=list) "
                "or mpirun (docs/cluster.md)");
        return nullptr;
    }
    int provided = 0;
    check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided), "MPI_Init_thread");
    if (provided < MPI_THREAD_SERIALIZED) {
        MPI_Finalize();
        throw std::runtime_error(
            "the MPI library does not allow calls from several threads (MPI_THREAD_SERIALIZED)");
    }
    int rank = 0, size = 1;
    check(MPI_Comm_rank(MPI_COMM_WORLD, &rank), "MPI_Comm_rank");
    check(MPI_Comm_size(MPI_COMM_WORLD, &size), "MPI_Comm_size");
    return std::unique_ptr<MpiFarm>(new MpiFarm(rank, size));
}

MpiFarm::~MpiFarm() {
    try {
        if (leads() && !led_) {
            Lead lead(nullptr, JobSettings{}, size_ - 1, nullptr);
            const std::atomic<bool> local_done{true};
            lead.serve(local_done);
        }
        // No rank ends before rank 0 has written its results and its report: a
        // worker's non-zero exit makes mpirun kill the others. (MPI_Finalize need
        // not synchronise, and a blocking barrier would spin on a core.)
        MPI_Request barrier;
        check(MPI_Ibarrier(MPI_COMM_WORLD, &barrier), "MPI_Ibarrier");
        wait_gently(barrier);
    } catch (const std::exception& e) {
        std::cerr << "mxsim run: " << e.what() << '\n';
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    MPI_Finalize();
}

JobOutput MpiFarm::lead(const format::Experiment& ex, const JobSettings& settings, unsigned threads,
                        const RunnerHooks& hooks) {
    led_ = true;
    Lead lead(&ex, settings, size_ - 1, &hooks);
    std::atomic<bool> local_done{false};
    std::thread local([&] {
        JobHandlers handlers;
        handlers.next = [&] { return lead.take(); };
        handlers.done = [&](std::size_t job, JobResult&& r) {
            log_job(rank_, job);
            lead.store(job, std::move(r));
        };
        handlers.failed = [&](std::size_t job, const std::string& what) {
            lead.fail(describe_job(ex, job) + ": " + what);
        };
        try {
            run_job_pool(ex, settings,
                         static_cast<unsigned>(std::min<std::size_t>(threads, job_count(ex))),
                         hooks, handlers);
        } catch (const std::exception& e) {
            lead.fail(e.what());
        }
        local_done = true;
    });
    try {
        lead.serve(local_done);
    } catch (const std::exception& e) {
        // The protocol itself broke (an MPI call failed, a rank sent garbage):
        // waiting on could hang, so end every process.
        std::cerr << "mxsim run: " << e.what() << '\n';
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    local.join();
    return lead.finish();
}

int MpiFarm::work(const std::string& scenario_file, const std::vector<std::string>& sets,
                  std::optional<std::uint64_t> seed, bool trace,
                  std::optional<std::size_t> only_job, unsigned threads, std::ostream& err) {
    try {
        Link link;
        std::optional<format::Experiment> ex;
        std::string load_error;
        try {
            format::LoadOptions load;
            load.sets = sets;  // the leader's --set, so that every rank runs the same jobs
            ex = format::load_experiment_file(scenario_file, load);
        } catch (const std::exception& e) {
            load_error = e.what();
            if (load_error.empty()) load_error = "the scenario did not load";
        }
        JobSettings settings;
        settings.seed = ex ? seed.value_or(ex->baseline().seed) : 0;
        settings.trace = trace;
        // As the leader's --job: the job that is traced (the leader hands out the work).
        if (only_job) settings.only = std::vector<std::size_t>{*only_job};
        const std::size_t jobs = ex ? job_count(*ex) : 0;
        const auto pool = static_cast<unsigned>(std::min<std::size_t>(threads, jobs));
        ByteWriter hello;
        hello.u64(static_cast<std::uint64_t>(Kind::Hello));
        hello.bytes(kProtocol);
        hello.bytes(processor_name());
        hello.bytes(load_error);
        if (ex) {
            hello.bytes(ex->content_hash);
            hello.u64(jobs);
            hello.u64(settings.seed);
            hello.u64(pool);
        }
        if (link.ask(hello.data()) != kGo) return 1;

        std::atomic<bool> run_failed{false};
        JobHandlers handlers;
        handlers.next = [&]() -> std::optional<std::size_t> {
            ByteWriter ask;
            ask.u64(static_cast<std::uint64_t>(Kind::Ask));
            const std::int64_t reply = link.ask(ask.data());
            if (reply >= 0) return static_cast<std::size_t>(reply);
            if (reply == kStopFailed) run_failed = true;
            return std::nullopt;
        };
        handlers.done = [&](std::size_t job, JobResult&& r) {
            log_job(rank_, job);
            ByteWriter result;
            result.u64(static_cast<std::uint64_t>(Kind::Result));
            result.u64(job);
            result.bytes(encode_run_results(r.run));
            result.bytes(encode_trace(r.trace));
            link.send(result.data());
        };
        handlers.failed = [&](std::size_t job, const std::string& what) {
            ByteWriter failure;
            failure.u64(static_cast<std::uint64_t>(Kind::Failure));
            failure.u64(job);
            failure.bytes(what);
            link.send(failure.data());
        };
        run_job_pool(*ex, settings, pool, RunnerHooks{}, handlers);
        return run_failed ? 1 : 0;
    } catch (const std::exception& e) {
        // Rank 0 may be waiting for this rank's messages: end every process.
        err << "mxsim run: rank " << rank_ << ": " << e.what() << '\n';
        MPI_Abort(MPI_COMM_WORLD, 1);
        return 1;
    }
}

}  // namespace mxsim::experiment
