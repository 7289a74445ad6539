// run_controller.cpp - experiment::run_experiment on a QThread, watched through
// experiment::JobProgress.
#include "gui/run_controller.hpp"

#include <chrono>

#include "experiment/experiment_runner.hpp"

namespace mxsim::gui {
RunController::RunController(QObject* parent) : QObject(parent) {
    timer_.setInterval(100);
    connect(&timer_, &QTimer::timeout, this, &RunController::poll);
}

RunController::~RunController() {
    if (thread_) {
        cancel_ = true;
        thread_->wait();
        delete thread_;
    }
}

bool RunController::start(RunRequest request) {
    if (thread_) return false;
    cancel_ = false;
    result_.reset();
    error_.reset();
    was_cancelled_ = false;
    const format::Experiment& ex = request.experiment;
    progress_ = std::make_unique<experiment::JobProgress>(
        ex.scenarios.size() * static_cast<std::size_t>(ex.replications), ex.baseline().duration);
    thread_ = QThread::create([this, request = std::move(request)]() mutable {
        try {
            experiment::RunnerHooks hooks;
            hooks.progress_for = [this](std::size_t job) { return progress_->hook_for(job); };
            hooks.job_done = [this](std::size_t job, std::uint64_t n) {
                progress_->job_done(job, n);
            };
            hooks.cancel = &cancel_;
            experiment::RunnerOptions options;
            options.seed = request.meta.seed;
            options.threads = request.threads;
            options.progress_interval_seconds = 0.1;
            const auto start = std::chrono::steady_clock::now();
            experiment::ExperimentRuns runs =
                experiment::run_experiment(request.experiment, options, hooks);
            const double wall =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            std::uint64_t events = 0;
            for (const model::RunResults& r : runs.runs)
                events += r.events;
            const experiment::RunTiming timing{wall,
                                               wall > 0 ? static_cast<double>(events) / wall : 0};
            ExperimentResult result = make_result(std::move(request.experiment),
                                                  std::move(runs.runs), request.meta, timing);
            result.variant_slots = std::move(request.variant_slots);
            result.fingerprint = std::move(request.fingerprint);
            result_ = std::make_shared<const ExperimentResult>(std::move(result));
        } catch (const experiment::RunCancelled&) {
            was_cancelled_ = true;
        } catch (const std::exception& e) {
            error_ = QString::fromStdString(e.what());
        }
    });
    connect(thread_, &QThread::finished, this, &RunController::done);
    thread_->start();
    timer_.start();
    return true;
}

void RunController::cancel() {
    cancel_ = true;
}

void RunController::poll() {
    if (progress_) emit progress(progress_->state());
}

void RunController::done() {
    timer_.stop();
    thread_->deleteLater();
    thread_ = nullptr;
    progress_.reset();
    if (was_cancelled_)
        emit cancelled();
    else if (error_)
        emit failed(*error_);
    else
        emit finished(result_);
}

}  // namespace mxsim::gui
