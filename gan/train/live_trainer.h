// Training that runs beside a UI: its own thread, live controls, and snapshots of the weights that
// a renderer can copy at any moment without waiting for a step.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gan/backends/backend.h"
#include "gan/train/trainer.h"

namespace ganvas {

struct LiveControls {
  bool running = false;
  Schedule schedule;          // simultaneous (default) or k D steps per G step
  float lr_g = 2e-4f;
  float lr_d = 2e-4f;
  int steps_per_frame = 0;    // 0: as fast as possible; else at most this many per frame_tick()
};

// Losses and D outputs over training, one point every `stride` steps: when kMaxPoints are held,
// every other point goes and the stride doubles, so the points stay evenly spaced in steps. A step
// between two of them (one taken by hand, Step D, Step G) still shows, as the last point, until the
// next one comes.
struct MetricsHistory {
  static constexpr size_t kMaxPoints = 1024;
  uint64_t history = 1;  // the LiveSnapshot::history these points belong to
  std::vector<float> step, gen_loss, disc_loss, d_real, d_fake;
  uint64_t stride = 1;
  uint64_t next_step = 0;     // the next step on the stride's grid
  uint64_t latest_step = 0;   // of the last point (when there is one)
  bool last_between = false;  // the last point lies between the grid's
  void add(const StepMetrics& m);
};

// Both networks' weights at one step, with counters: published whole and never changed after, so
// a renderer holds one by pointer for as long as it likes while training goes on.
struct LiveSnapshot {
  uint64_t version = 0;  // increases with every publication
  // Which history these weights continue: a new number at every reset, load or change of model, the
  // number from before at an undo. Numbers gathered about the weights (charts, quality scores) belong
  // to one history and are never joined to another's.
  uint64_t history = 0;
  uint64_t step = 0;
  ModelShape shape;
  TrainingRecipe recipe;
  std::vector<float> generator;
  std::vector<float> discriminator;
};

struct LiveStatus {
  uint64_t step = 0;
  double steps_per_second = 0;
  bool has_data = false;
  std::string backend;
  std::string message;  // the latest event or error, for the UI
  uint64_t message_serial = 0;  // grows with every new message, so a UI can tell a new one from one it hid
  bool can_undo_reset = false;  // the state before the last reset is kept (until undone, or a load)
  bool can_undo_load = false;   // the state before the last load is kept (until undone, or a reset)
  bool trained = false;         // a step has run since the weights were set
  StepMetrics latest;           // that step's numbers (when trained)
};

class LiveTrainer {
 public:
  // `images` may be empty: then the model can be explored but not trained. `on_publish`, when given,
  // runs on the training thread after each new snapshot (it must only signal, e.g. set a flag).
  LiveTrainer(std::unique_ptr<Backend> backend, const GanState& state, const ImageSet& images,
              std::function<void()> on_publish = {});
  ~LiveTrainer();
  LiveTrainer(const LiveTrainer&) = delete;
  LiveTrainer& operator=(const LiveTrainer&) = delete;

  LiveControls controls() const;
  // Each control is a command that changes its own setting only, so a learning rate set in the
  // same moment as a divergence pause cannot start training again.
  void set_running(bool running);
  void set_schedule(const Schedule& schedule);
  void set_learning_rates(float generator, float discriminator);
  void set_steps_per_frame(int steps);
  // Queues n steps of one kind, run even while paused (single step, D only, G only). They run in
  // chunks of a few milliseconds, each published; what a request has left goes behind whatever was
  // queued meanwhile, so however large n is, a save or a load waits for one chunk at most.
  void request_steps(int n, Update update);
  // Drops the requested steps that have not run yet (a chunk under way ends after its current step).
  // A pause for weights that are no longer finite does the same.
  void cancel_requested_steps();
  // Blocks until every request_steps before this call has run or was cancelled, its steps published.
  // Requests made later and free training are not waited for, so another thread cannot prolong it.
  void wait_requested_steps();
  // While training is paused: blocks until the step that was under way and what is queued have run
  // and been published, so the weights stop changing. Returns at once while training runs, and as
  // soon as another thread resumes it.
  void wait_settled_if_paused();
  // Allows steps_per_frame more steps (when that mode is on).
  void frame_tick();
  // Fresh weights from `seed`; the state before (weights, Adam, step, charts) is kept for undo.
  void reset(uint64_t seed);
  // Fresh weights of another model or objective (a preset, a loss): a backend from `make` for the
  // new shape, given the same training images; charts start again and no undo is kept.
  using BackendMaker = std::function<std::unique_ptr<Backend>(const ModelShape&)>;
  void reset_model(const ModelShape& shape, const TrainingRecipe& recipe, float lr, uint64_t seed, BackendMaker make);
  // Brings back the state before the last reset or load (weights, Adam, step, charts), once.
  void undo();
  // Queued like the rest; the future says when it is done and rethrows its error (a UI may ignore it:
  // the status message tells the user either way). A checkpoint of another model gets a backend
  // from `make`, as reset_model does (without one, it is refused). The state before is kept for undo.
  // A load as a new history (what the user loads: charts start again, undo kept), or as the same run
  // a moment later (a run another process trains: its history goes on, no undo).
  enum class LoadAs { kNewHistory, kSameRun };
  std::future<void> load(const std::string& path, BackendMaker make = {}, LoadAs as = LoadAs::kNewHistory);
  // The losses charted so far, brought back from a run's files (they belong to the weights trained now).
  void restore_history(MetricsHistory history);
  std::future<void> save(const std::string& path);
  // The same, and the step the saved weights have reached (what a run folder records beside them).
  std::future<uint64_t> save_with_step(const std::string& path);

  // The latest snapshot (a pointer copy under a lock held for no more); never waits for a step.
  std::shared_ptr<const LiveSnapshot> snapshot() const;
  MetricsHistory history() const;
  LiveStatus status() const;
  // Blocks until every queued request has run and the trainer rests (pause it first, or this
  // waits for as long as it trains).
  void wait_idle();
  // How long each publication since the last call took to copy the backend's weights, in ms, and
  // forgets them: on a GPU mostly the time to finish the steps queued ahead of the copy. For benchmarks.
  std::vector<double> take_publish_waits();

 private:
  void run();
  // One chunk of the request `id` with `remaining` steps (trainer thread); queues the rest.
  void run_steps(uint64_t id, int remaining, Update update);
  bool steps_go_on(uint64_t id) const;  // neither cancelled nor stopping, and there is data
  void finish_steps(uint64_t id);
  bool has_work() const;          // with mutex_ held
  bool may_step_freely() const;   // with mutex_ held
  void run_task(const std::function<void()>& task);
  uint64_t save_now(const std::string& path);  // trainer thread: returns the step saved
  void apply_learning_rates(const LiveControls& controls);
  // A backend of another model, with `state` and the training images, in place of the current one.
  void install_backend(std::unique_ptr<Backend> backend, const GanState& state);
  // Publishes the weights and the latest metrics for the renderer; pauses training with a message
  // when they are not finite (or cannot be copied). Never throws.
  void publish(bool notify = true);
  void pause_with(const std::string& problem);  // stops free training, says why
  void check_weights_finite(const LiveSnapshot& snapshot);  // throws when they are not
  void measure_rate(bool resting);
  void queue(std::function<void()> task);
  // Queues `task` with a promise kept when it has run (its exception, if any, in the future).
  std::future<void> queue_with_result(std::function<void()> task);
  void change_controls(const std::function<void(LiveControls&)>& change);
  void post_message(std::string message);  // with snapshot_mutex_ held

  // What a reset or a load replaced. A load of another model keeps the maker of its backend, so
  // the undo can bring back the model it replaced.
  struct Undo {
    enum class Kind { kReset, kLoad } kind;
    GanState state;
    MetricsHistory history;  // with its number
    BackendMaker make;
  };
  void start_history();  // with snapshot_mutex_ held: a reset, a load or another model
  Undo state_before(Undo::Kind kind, BackendMaker make = {});  // trainer thread

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  bool stop_ = false;
  bool busy_ = false;
  LiveControls controls_;
  bool controls_changed_ = true;
  int frame_budget_ = 0;
  std::vector<std::function<void()>> tasks_;  // requests in the order they came: steps, reset, load, save
  // Step requests are numbered; those numbered below steps_cancelled_below_ are dropped, and a request
  // stays in unfinished_steps_ until its last chunk is published (wait_requested_steps waits on that).
  uint64_t next_steps_id_ = 0;
  uint64_t steps_cancelled_below_ = 0;
  std::set<uint64_t> unfinished_steps_;
  std::condition_variable steps_finished_;

  std::unique_ptr<Backend> backend_;  // used by the worker thread only, as is loop_
  TrainingLoop loop_;
  ModelShape shape_;
  TrainingRecipe recipe_;  // of the weights being trained (trainer thread)
  LiveControls applied_;   // the rates last given to the backend (trainer thread)
  int image_count_ = 0;
  ImageSet images_;  // kept for a backend of another model (reset_model)
  std::chrono::steady_clock::time_point last_weight_check_;

  mutable std::mutex snapshot_mutex_;
  std::shared_ptr<const LiveSnapshot> snapshot_ = std::make_shared<LiveSnapshot>();
  MetricsHistory history_;
  uint64_t history_id_ = 1;       // LiveSnapshot::history of the weights being trained (history_.history)
  uint64_t last_history_id_ = 1;  // the largest number given
  LiveStatus status_;
  std::vector<double> publish_waits_ms_;  // since the last take_publish_waits
  std::unique_ptr<Undo> undo_;  // what the last reset or load replaced

  std::function<void()> on_publish_;
  std::atomic<bool> stopping_{false};  // the destructor runs: queued steps end early
  std::thread worker_;
};

}  // namespace ganvas
