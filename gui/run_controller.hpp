// run_controller.hpp - runs an experiment on a worker thread so the window stays
// responsive. Offers RunController: start(), cancel(), and signals for progress
// (fraction, events/s, ETA), the result, an error or the cancellation.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <QObject>
#include <QString>
#include <QThread>
#include <QTimer>

#include "experiment/progress.hpp"
#include "gui/experiment_result.hpp"
#include "scenario/experiment_file.hpp"

namespace mxsim::gui {

struct RunRequest {
    format::Experiment experiment;
    experiment::RunMetadata meta;  // meta.seed is the seed used
    unsigned threads = 1;
    // Copied into the result (ExperimentResult::variant_slots and ::fingerprint).
    std::vector<std::size_t> variant_slots;
    std::string fingerprint;
};

class RunController : public QObject {
    Q_OBJECT
  public:
    explicit RunController(QObject* parent = nullptr);
    ~RunController() override;  // cancels and waits for a running job

    // Starts in the background; false (and nothing happens) while one is running.
    bool start(RunRequest request);
    // Asks the run to stop; every job checks at least every 0.1 s of wall time.
    void cancel();
    bool running() const { return thread_ != nullptr; }

  signals:
    void progress(const mxsim::experiment::ProgressState& state);
    void finished(std::shared_ptr<const mxsim::gui::ExperimentResult> result);
    void failed(const QString& message);
    void cancelled();

  private:
    void poll();
    void done();

    QThread* thread_ = nullptr;
    QTimer timer_;
    std::atomic<bool> cancel_{false};
    std::unique_ptr<experiment::JobProgress> progress_;  // polled by poll()
    // Written by the worker thread, read after it finished.
    std::shared_ptr<const ExperimentResult> result_;
    std::optional<QString> error_;
    bool was_cancelled_ = false;
};

}  // namespace mxsim::gui

Q_DECLARE_METATYPE(mxsim::experiment::ProgressState)
