// The ganvas command line: headless training, sampling checkpoints, and build information.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gan/backends/backend.h"
#include "gan/backends/backend_factory.h"
#include "gan/io/checkpoint.h"
#include "gan/model/cpu_ops.h"
#include "gan/backends/device_info.h"
#include "gan/eval/metrics_log.h"
#include "gan/model/presets.h"
#include "gan/io/run_record.h"
#include "gan/session/run_folder.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "common/printable.h"
#include "common/version.h"
#include "common/run_lock.h"
#include "gan/model/sampler.h"
#include "common/stop_signal.h"
#include "gan/train/trainer.h"
#include "gan/cli/args.h"
#include "gan/cli/gan_options.h"
#include "gan/cli/quality_commands.h"
#include "gan/cli/train_settings.h"
#if GANVAS_HAVE_VISUALIZER
#include "gan/cli/visualizer_command.h"
#endif

namespace ganvas::cli {
namespace {

constexpr int kDefaultGrid = 6;

const char* kTopUsage =
    "usage: ganvas [view] [options]      the visualizer (a window; --headless renders offscreen)\n"
    "       ganvas <command> [options]\n\n"
    "commands:\n"
    "  view     the visualizer (the default; 'ganvas view --help' lists its options)\n"
    "  record   render a scripted video offscreen (a latent walk or a training time-lapse) to MP4\n"
    "  train    train the GAN headless; writes checkpoints and sample grids\n"
    "  sample   draw an n x n digit grid from a checkpoint as PNG\n"
    "  eval     judge a checkpoint's digits: FID, Inception Score, which digits it draws\n"
    "  train-classifier\n"
    "           train the MNIST classifier that eval judges with\n"
    "  info     version, backends, BLAS and threads\n\n"
    "'ganvas <command> --help' describes each command's options.\n";

void print_metrics_line(const StepMetrics& m, uint64_t last_step, double steps_per_second) {
  const double remaining = steps_per_second > 0 ? static_cast<double>(last_step - m.step - 1) / steps_per_second : 0;
  std::printf("step %8llu  G loss %.4f  D loss %.4f  D(x) %.3f  D(G(z)) %.3f  %7.1f steps/s  %5.0f s left\n",
              static_cast<unsigned long long>(m.step + 1), m.gen_loss, m.disc_loss, m.d_real, m.d_fake,
              steps_per_second, remaining);
  std::fflush(stdout);
}

struct TrainOutputs {
  std::string dir;
  bool with_optimizer = true;
  bool half = false;
  Metadata settings;  // how it trains, for --resume (train_settings.h)
  RunRecord record;   // DIR/run.json: the run folder's description, its step set at each write
  std::shared_ptr<NumberedCheckpoints> numbered_checkpoints;  // with --save-every
  std::vector<float> grid_latents;
  int grid = kDefaultGrid;
};

// The checkpoint, and the grid as samples.png (`latest`) and/or samples-stepNNNNNNN.png (`numbered`).
void write_outputs(const TrainOutputs& out, const GanState& state, bool numbered, bool latest) {
  char numbered_name[64];
  std::snprintf(numbered_name, sizeof(numbered_name), "/samples-step%07llu.png", static_cast<unsigned long long>(state.step));
  std::vector<std::string> grids;
  if (numbered) grids.push_back(out.dir + numbered_name);
  if (latest) grids.push_back(out.dir + "/samples.png");
  const std::string checkpoint = out.dir + "/checkpoint.safetensors";
  save_checkpoint(checkpoint, state, out.with_optimizer, out.half, out.settings);
  if (numbered) {
    const std::string problem = out.numbered_checkpoints->add(state.step);
    if (!problem.empty()) std::fprintf(stderr, "ganvas: warning: %s\n", problem.c_str());
  }
  RunRecord record = out.record;
  record.step = state.step;
  record.updated = utc_now();
  write_run_record(out.dir, record);
  const std::vector<float> images = generate_images(state, out.grid_latents, out.grid * out.grid);
  for (const std::string& grid : grids) write_grid_png(grid, images, out.grid, true);
  std::printf("wrote %s and %s (step %llu)\n", shown_path(checkpoint).c_str(),
              (grids.size() == 2 ? shown_path(grids[0]) + " and " + shown_path(grids[1]) : shown_path(grids[0])).c_str(),
              static_cast<unsigned long long>(state.step));
  std::fflush(stdout);
}

// "conditional GAN 110-512-784 / 794-512-1, leaky-relu, loss hinge, adam": what is being trained.
std::string describe_model(const GanState& state) {
  const MlpShape g = state.shape.generator(), d = state.shape.discriminator();
  char smoothing[32] = "";
  if (state.recipe.real_target < 1.0f) {
    std::snprintf(smoothing, sizeof(smoothing), ", real target %.2f", static_cast<double>(state.recipe.real_target));
  }
  char text[256];
  std::snprintf(text, sizeof(text), "%s GAN %s / %s, %s, %s loss%s, %s",
                state.shape.conditional() ? "conditional" : "tutorial", layer_widths(g).c_str(), layer_widths(d).c_str(),
                activation_name(state.shape.activation), loss_name(state.recipe.loss), smoothing,
                optimizer_name(state.recipe.optimizer));
  return text;
}

Args train_args(int argc, char** argv) {
  return Args("train",
              {{"steps", "N", "training steps to run (default 1000; after --resume: further steps)"},
               {"out", "DIR", "where checkpoints and sample grids go (required; created if missing)"},
               {"resume", "CHECKPOINT", "continue from a checkpoint (its seed and step counter)"},
               {"seed", "S", "random seed of weights, noise and batch order (default 0)"},
               {"lr", "LR", "learning rate of both Adam optimizers (default 2e-4)"},
               {"lr-g", "LR", "the generator's learning rate (default: --lr)"},
               {"lr-d", "LR", "the discriminator's learning rate (default: --lr)"},
               {"batch", "B", "batch size (default 128)"},
               {"dataset", "NAME", "mnist (default) or fashion"},
               {"data-dir", "DIR", "folder of the IDX files (mnist default: data/mnist or $GANVAS_DATA_DIR;"
                                   " fashion default: /usr/share/datasets/fashion-mnist)"},
               {"all-train", "", "train on all 60,000 images instead of holding out the first 5,000"},
               {"alternate", "K", "instead of simultaneous steps, K discriminator steps then one generator step"},
               {"log-every", "N", "print a progress line every N steps (default 100)"},
               {"save-every", "N", "also write a checkpoint and a numbered grid every N steps"},
               {"weights-only", "", "leave Adam's state out of checkpoints (a third the size; resuming restarts Adam)"},
               {"half", "", "with --weights-only: store the weights as F16 (half that size again)"},
               {"device", "NAME", "auto (default: CUDA when a device answers, else the CPU), cpu or cuda"},
               {"tf32", "", "let cuBLAS use TF32 tensor cores (CUDA only; default FP32)"},
               {"threads", "T", "CPU threads (default: all cores)"},
               {"preset", "NAME", "tutorial (default) or clean-digits (a conditional GAN; see docs/quality.md); the "
                                  "options below override its choices"},
               {"model", "KIND", "tutorial (default) or conditional (the digit's one-hot vector joins G's noise and D's image)"},
               {"hidden", "N", "hidden units of both networks (default 256)"},
               {"layers", "1|2", "hidden layers of both networks (default 1, the tutorial's)"},
               {"activation", "NAME", "relu (default) or leaky-relu (slope 0.2) in both hidden layers"},
               {"loss", "NAME", "nonsaturating (default, the tutorial's), minimax, least-squares or hinge"},
               {"optimizer", "NAME", "adam (default) or sgd (with momentum --beta1)"},
               {"beta1", "B", "Adam's beta1, or SGD's momentum (default 0.9)"},
               {"label-smoothing", "S", "D's target for real images is 1 - S (one-sided; default 0)"},
               {"ema", "DECAY", "sample from a moving average of G's weights with this decay, e.g. 0.999 (default: off)"},
               {"eval-every", "N", "every N steps, judge 2,000 samples: FID, Inception Score, digit coverage (MNIST)"},
               {"eval-samples", "N", "samples each evaluation judges (default 2000)"},
               {"metrics-csv", "FILE", "write the losses of every logged step, and the scores, as CSV"}},
              argc, argv, 2);
}

// Everything `ganvas train` was asked to do, checked.
struct TrainPlan {
  uint64_t steps = 0;
  TrainOutputs outputs;
  int batch = 128;
  AdamConfig gen_adam, disc_adam;
  Schedule schedule;
  uint64_t log_every = 100, save_every = 0;
  DatasetKind kind = DatasetKind::kMnist;
  std::string data_dir;
  bool all_train = false;
  int threads = 1;
  Device device = Device::kAuto;
  bool tf32 = false;
  uint64_t eval_every = 0;
  int eval_samples = 2000;
  std::string metrics_csv;
  ModelShape shape;        // of fresh weights (--resume: the checkpoint's)
  TrainingRecipe recipe;   // likewise
  std::string rate_warning;  // learning_rate_warning's, of the rates it trains with
};

// The preset's model and recipe, then each model option given over it.
void model_options(const Args& args, TrainPlan& plan) {
  const Preset& preset = [&]() -> const Preset& {
    try {
      return find_preset(args.text("preset", "tutorial"));
    } catch (const Error& e) {
      throw UsageError(std::string("--preset: ") + e.what());
    }
  }();
  plan.shape = preset.shape;
  plan.recipe = preset.recipe;
  const bool lr_given = args.has("lr") || args.has("lr-g") || args.has("lr-d");
  if (!lr_given) plan.gen_adam.lr = plan.disc_adam.lr = preset.lr;
  if (args.has("beta1")) plan.recipe.beta1 = static_cast<float>(args.real("beta1", 0.9, Args::kFromZero, 0.999999));
  if (args.has("model")) {
    check_choice("model", args.text("model", ""), {"tutorial", "conditional"});
    plan.shape.classes = args.text("model", "") == "conditional" ? 10 : 0;
  }
  if (args.has("hidden")) plan.shape.hidden = plan.shape.disc_hidden = static_cast<int>(args.integer("hidden", 256, 1, 8192));
  if (args.has("layers")) plan.shape.hidden_layers = static_cast<int>(args.integer("layers", 1, 1, 2));
  if (args.has("activation")) {
    check_choice("activation", args.text("activation", ""), {"relu", "leaky-relu"});
    plan.shape.activation = parse_activation(args.text("activation", ""));
  }
  if (args.has("loss")) {
    check_choice("loss", args.text("loss", ""), {"nonsaturating", "minimax", "least-squares", "hinge"});
    plan.recipe.loss = parse_loss(args.text("loss", ""));
  }
  if (args.has("optimizer")) {
    check_choice("optimizer", args.text("optimizer", ""), {"adam", "sgd"});
    plan.recipe.optimizer = parse_optimizer(args.text("optimizer", ""));
  }
  if (args.has("ema")) plan.recipe.generator_ema = static_cast<float>(args.real("ema", 0.0, Args::kFromZero, 0.99999));
  if (args.has("label-smoothing")) {
    plan.recipe.real_target = 1.0f - static_cast<float>(args.real("label-smoothing", 0.0, Args::kFromZero, 0.5));
  }
}

// With --resume the checkpoint decides the model and how it trains.
void refuse_model_options_on_resume(const Args& args) {
  for (const char* option : {"preset", "model", "hidden", "layers", "activation", "loss", "optimizer", "beta1", "label-smoothing", "ema"}) {
    if (args.has(option)) {
      throw UsageError(std::string("--") + option + " cannot be combined with --resume (the checkpoint's model and "
                       "objective continue)");
    }
  }
}

TrainPlan train_plan(const Args& args) {
  TrainPlan plan;
  plan.steps = static_cast<uint64_t>(args.integer("steps", 1000, 1, 100000000));
  plan.outputs.dir = args.required("out");
  plan.outputs.with_optimizer = !args.flag("weights-only");
  plan.outputs.half = args.flag("half");
  if (plan.outputs.half && plan.outputs.with_optimizer) throw UsageError("--half needs --weights-only");
  plan.batch = static_cast<int>(args.integer("batch", 128, 1, 65536));
  const double lr = args.real("lr", 2e-4, 0.0, 1.0);
  plan.gen_adam.lr = static_cast<float>(args.real("lr-g", lr, 0.0, 1.0));
  plan.disc_adam.lr = static_cast<float>(args.real("lr-d", lr, 0.0, 1.0));
  if (args.has("resume")) refuse_model_options_on_resume(args);
  model_options(args, plan);
  if (args.has("alternate")) plan.schedule = Schedule{true, static_cast<int>(args.integer("alternate", 1, 1, 1000))};
  plan.log_every = static_cast<uint64_t>(args.integer("log-every", 100, 1, 100000000));
  plan.save_every = static_cast<uint64_t>(args.integer("save-every", 0, 0, 100000000));
  plan.kind = dataset_option(args);
  plan.data_dir = data_dir_option(args, plan.kind);
  plan.all_train = args.flag("all-train");
  plan.device = device_option(args);
  plan.tf32 = args.flag("tf32");
  plan.eval_every = static_cast<uint64_t>(args.integer("eval-every", 0, 0, 100000000));
  plan.eval_samples = static_cast<int>(args.integer("eval-samples", 2000, 2, 60000));
  plan.metrics_csv = args.text("metrics-csv", "");
  if (args.has("eval-samples") && !plan.eval_every) throw UsageError("--eval-samples is how many --eval-every judges: give --eval-every too");
  if (args.has("metrics-csv") && plan.metrics_csv.empty()) throw UsageError("--metrics-csv needs a file name");
  plan.threads = threads_option(args);
  if (args.has("resume") && args.has("seed")) throw UsageError("--seed cannot be combined with --resume (it continues the checkpoint's seed)");
  return plan;
}

TrainSettings settings_of(const TrainPlan& plan) {
  return {plan.gen_adam.lr, plan.disc_adam.lr, plan.batch, plan.schedule, plan.kind, plan.all_train};
}

// The checkpoint --resume names, and the settings it recorded in place of those not given again.
GanState resume(const Args& args, TrainPlan& plan) {
  const std::string path = args.text("resume", "");
  const SafetensorsFile file = read_safetensors(path, checkpoint_selection(path));
  GanState state = state_from_checkpoint(file, path);
  TrainSettings settings = settings_of(plan);
  if (take_recorded_settings(file.metadata, path, [&](const char* option) { return args.has(option); }, settings)) {
    plan.gen_adam.lr = settings.lr_g;
    plan.disc_adam.lr = settings.lr_d;
    plan.batch = settings.batch;
    plan.schedule = settings.schedule;
    plan.all_train = settings.all_train;
    if (settings.kind != plan.kind && !args.has("data-dir")) plan.data_dir = data_dir_option(args, settings.kind);
    plan.kind = settings.kind;
    std::printf("resuming as the checkpoint trained, where not given again: %s\n", describe_settings(settings).c_str());
  }
  return state;
}

// The training images; without --data-dir, a missing MNIST says where it was looked for.
ImageSet training_images(const TrainPlan& plan, bool data_dir_given) {
  try {
    return load_training_set(plan.kind, plan.data_dir, plan.all_train);
  } catch (const Error& e) {
    if (data_dir_given || plan.kind != DatasetKind::kMnist) throw;
    GANVAS_THROW(std::string(e.what()) + ". " + describe_mnist_search());
  }
}

// The rows DIR/metrics.csv held up to `step` (a run resumed in its folder goes on with its history).
std::vector<MetricsRow> earlier_rows(const std::string& dir, uint64_t step) {
  std::vector<MetricsRow> rows;
  try {
    for (const MetricsRow& row : read_saved_rows(dir)) {
      if (row.steps_done <= step) rows.push_back(row);
    }
  } catch (const Error& e) {
    std::fprintf(stderr, "ganvas: warning: %s; DIR/metrics.csv starts again\n", e.what());
  }
  return rows;
}

// What DIR/run.json says of this run: model, recipe, preset, seed, data, rates, batch, schedule.
RunRecord run_record_of(const TrainPlan& plan, const GanState& state, const std::string& preset) {
  RunRecord r;
  r.model = (state.shape.conditional() ? "conditional GAN " : "GAN ") + layer_widths(state.shape.generator());
  r.recipe = state.recipe;
  r.preset = preset;
  r.seed = state.seed;
  r.dataset = plan.kind;
  r.data_dir = plan.data_dir;
  r.lr_g = plan.gen_adam.lr;
  r.lr_d = plan.disc_adam.lr;
  r.batch = plan.batch;
  r.alternate = plan.schedule.alternate;
  r.d_steps = plan.schedule.d_steps;
  r.step = state.step;
  try {
    r.created = read_run_record(plan.outputs.dir).created;
  } catch (const Error&) {
    r.created = utc_now();  // a new run folder
  }
  return r;
}

// The scores --eval-every asks for, and the rows --metrics-csv writes.
struct TrainReports {
  std::unique_ptr<QualityJudge> judge;
  std::unique_ptr<MetricsCsvFile> csv;
  std::unique_ptr<MetricsCsvFile> run_csv;  // DIR/metrics.csv
  ModelShape shape;
  uint64_t seed = 0;  // of the evaluation's latents: the run's
  SaturationWatch saturation;
};

TrainReports train_reports(const TrainPlan& plan, const ModelShape& shape, uint64_t seed, uint64_t start_step) {
  TrainReports reports{nullptr, nullptr, nullptr, {}, 0, SaturationWatch(plan.rate_warning)};
  if (plan.eval_every) reports.judge = make_quality_judge("", plan.data_dir);
  if (!plan.metrics_csv.empty()) reports.csv = std::make_unique<MetricsCsvFile>(plan.metrics_csv);
  reports.run_csv = std::make_unique<MetricsCsvFile>(run_metrics(plan.outputs.dir), earlier_rows(plan.outputs.dir, start_step));
  reports.shape = shape;
  reports.seed = seed;
  return reports;
}

// A progress line (and a CSV row) for the step just taken, with its scores when it is evaluated.
void report_step(Backend& backend, TrainingLoop& loop, const TrainPlan& plan, TrainReports& reports, uint64_t last) {
  const StepMetrics losses = loop.checked_metrics();
  MetricsRow row{loop.next_step(), losses, std::nullopt};
  print_metrics_line(losses, last, loop.rate().read());
  for (const std::string& warning : reports.saturation.observe(losses)) {
    std::fprintf(stderr, "ganvas: warning: %s\n", warning.c_str());
  }
  if (reports.judge && loop.next_step() % plan.eval_every == 0) {
    std::vector<float> generator, discriminator;
    backend.copy_params(generator, discriminator);
    row.quality = reports.judge->judge_generator(reports.shape, generator, reports.seed, plan.eval_samples);
    std::printf("eval %8llu  %s\n", static_cast<unsigned long long>(loop.next_step()),
                scores_summary(*row.quality).c_str());
    std::fflush(stdout);
    loop.rate().restart();  // the evaluation's time is not training's
  }
  if (reports.csv) reports.csv->append(row);
  reports.run_csv->append(row);
}

// Steps from the backend's state to `last`, with progress lines and the periodic saves.
void train_until(Backend& backend, const TrainPlan& plan, const GanState& start, uint64_t last) {
  const uint64_t first = start.step;
  TrainingLoop loop(backend, first);
  TrainReports reports = train_reports(plan, start.shape, start.seed, first);
  while (loop.next_step() < last) {
    if (stop_requested()) {  // SIGINT/SIGTERM: keep what was trained, as at the end
      std::printf("stopped by a signal at step %llu; writing the outputs\n",
                  static_cast<unsigned long long>(loop.next_step()));
      break;
    }
    loop.step(plan.schedule);
    const uint64_t done = loop.next_step() - first;
    const bool evaluate = plan.eval_every && loop.next_step() % plan.eval_every == 0;
    if (done % plan.log_every == 0 || loop.next_step() == last || evaluate) {
      report_step(backend, loop, plan, reports, last);
    }
    if (plan.save_every && done % plan.save_every == 0 && loop.next_step() != last) {
      write_outputs(plan.outputs, backend.state(), true, false);
    }
  }
}

// The rates' warning, once before the steps (and named again if training saturates).
void warn_of_high_rates(TrainPlan& plan, Optimizer optimizer) {
  plan.rate_warning = learning_rate_warning(optimizer, plan.gen_adam.lr, plan.disc_adam.lr);
  if (!plan.rate_warning.empty()) {
    std::fprintf(stderr, "ganvas: warning: %s; expect D(G(z)) to fall to 0 and the generator to stop learning\n",
                 plan.rate_warning.c_str());
  }
}

std::vector<std::string> train_output_files(const TrainPlan& plan) {
  std::vector<std::string> outputs = {run_checkpoint(plan.outputs.dir), run_metrics(plan.outputs.dir),
                                      plan.outputs.dir + "/run.json"};
  if (!plan.metrics_csv.empty()) outputs.push_back(plan.metrics_csv);
  return outputs;
}

int run_train(int argc, char** argv) {
  const Args args = train_args(argc, argv);
  if (args.help()) {
    std::printf("Trains the tutorial's MNIST GAN headless and writes DIR/checkpoint.safetensors and\n"
                "DIR/samples.png (a 6x6 grid of generated digits).\n\n%s", args.usage().c_str());
    return 0;
  }
  TrainPlan plan = train_plan(args);
  GanState state = args.has("resume") ? resume(args, plan) : initial_state(plan.shape, args.unsigned_integer("seed", 0));
  if (!args.has("resume")) state.recipe = plan.recipe;
  // After --resume, which may have taken the data set from the checkpoint.
  if (plan.eval_every && plan.kind != DatasetKind::kMnist) throw UsageError("--eval-every judges MNIST digits only");
  plan.outputs.settings = settings_metadata(settings_of(plan));
  plan.gen_adam.beta1 = plan.disc_adam.beta1 = state.recipe.beta1;
  warn_of_high_rates(plan, state.recipe.optimizer);
  if (state.shape.conditional()) plan.outputs.grid = 10;  // one row per digit
  plan.outputs.record = run_record_of(plan, state, args.text("preset", args.has("resume") ? "" : "tutorial"));
  plan.outputs.numbered_checkpoints = std::make_shared<NumberedCheckpoints>(plan.outputs.dir);
  const CreatedFolders folders = check_outputs(train_output_files(plan));  // before the steps, not after them
  // The folder is this run's alone until it ends: a second run would interleave its checkpoints with these.
  const RunLock lock(plan.outputs.dir);
  const ImageSet images = training_images(plan, args.has("data-dir"));
  cpu::set_blas_threads(plan.threads);
  BackendChoice choice = make_backend(plan.device, state.shape, plan.batch, plan.tf32);
  if (!choice.note.empty()) std::printf("%s\n", choice.note.c_str());
  Backend& backend = *choice.backend;
  backend.set_state(state);
  backend.set_adam(plan.gen_adam, plan.disc_adam);
  backend.set_training_images(images);
  const int cells = plan.outputs.grid * plan.outputs.grid;
  plan.outputs.grid_latents = model_latents(state.shape, state.seed, cells, {}, plan.outputs.grid);
  std::printf("training on %s: %d images (%s), batch %d, backend %s, from step %llu\n", dataset_name(plan.kind),
              images.count, plan.all_train ? "all" : "5,000 held out", plan.batch, backend.name().c_str(),
              static_cast<unsigned long long>(state.step));
  std::printf("model: %s\n", describe_model(state).c_str());
  train_until(backend, plan, state, state.step + plan.steps);
  const GanState trained = backend.state();
  const uint64_t done = trained.step - state.step;  // fewer than asked when a signal stopped it
  write_outputs(plan.outputs, trained, plan.save_every && done > 0 && done % plan.save_every == 0, true);
  return 0;
}

// The generator's images of latents z [n, latent], in passes of at most 1,024 with a stop point
// between them: a 64 x 64 grid of a wide model takes seconds.
std::vector<float> grid_images(const GanState& state, const std::vector<float>& z, int n) {
  constexpr int kPass = 1024;
  const size_t latent = static_cast<size_t>(state.shape.latent());
  std::vector<float> images;
  for (int first = 0; first < n; first += kPass) {
    stop_point();
    const int rows = std::min(kPass, n - first);
    const std::vector<float> part(z.begin() + static_cast<std::ptrdiff_t>(first * latent),
                                  z.begin() + static_cast<std::ptrdiff_t>((first + rows) * latent));
    const std::vector<float> drawn = generate_images(state, part, rows);
    images.insert(images.end(), drawn.begin(), drawn.end());
  }
  return images;
}

int run_sample(int argc, char** argv) {
  Args args("sample",
            {{"checkpoint", "FILE", "a checkpoint written by 'ganvas train' (or a PyTorch file with the same names)"},
             {"out", "FILE.png", "the PNG to write"},
             {"grid", "N", "cells per side (default 6; 10 for a conditional model: a row per digit)"},
             {"seed", "S", "seed of the latents (default 0)"},
             {"digit", "D", "a conditional model draws this digit in every cell (default: digit r in row r)"},
             {"no-invert", "", "keep the generator's colours (default: inverted, as the tutorial shows them)"}},
            argc, argv, 2);
  if (args.help()) {
    std::printf("Draws an N x N grid of generated digits (N*28 pixels square) from a checkpoint.\n\n%s",
                args.usage().c_str());
    return 0;
  }
  const AbandonOnStop abandon;  // a grid cut short is worth nothing: a stop ends it, writing nothing
  const std::string checkpoint = args.required("checkpoint");
  const std::string out = args.required("out");
  const int grid_given = static_cast<int>(args.integer("grid", kDefaultGrid, 1, 64));
  const uint64_t seed = args.unsigned_integer("seed", 0);
  const int digit = static_cast<int>(args.integer("digit", -1, 0, 9));
  const GanState state = load_checkpoint(checkpoint);
  // Digit r in row r: a conditional model's grid has a row for each of the ten unless told otherwise.
  const bool every_digit = state.shape.conditional() && digit < 0 && !args.has("grid");
  const int grid = every_digit ? 10 : grid_given;
  if (args.has("digit") && !state.shape.conditional()) {
    throw UsageError("--digit needs a conditional model; " + checkpoint + " holds the tutorial's unconditional GAN");
  }
  const CreatedFolders folders = check_outputs({out});
  const std::vector<int> digits = digit >= 0 ? std::vector<int>{digit} : std::vector<int>{};
  const std::vector<float> z = model_latents(state.shape, seed, grid * grid, digits, grid);
  const std::vector<float> images = grid_images(state, z, grid * grid);
  stop_point();  // the last moment to give up: the PNG is written whole or not at all
  write_grid_png(out, images, grid, !args.flag("no-invert"));
  std::printf("wrote %s (%dx%d digits from %s, step %llu)\n", shown_path(out).c_str(), grid, grid, checkpoint.c_str(),
              static_cast<unsigned long long>(state.step));
  return 0;
}

int run_info(int argc, char** argv) {
  Args args("info", {}, argc, argv, 2);
  if (args.help()) {
    std::printf("Prints the version, the backends and why one is unavailable, BLAS and threads.\n\n%s",
                args.usage().c_str());
    return 0;
  }
  const CudaAvailability cuda = cuda_availability();
  std::printf("ganvas %s\n", kVersion);
  std::printf("backend cpu:  available (OpenBLAS, %d threads)\n", cpu::blas_threads());
  std::printf("backend cuda: %s\n", cuda.usable ? ("available: " + cuda.detail).c_str() : cuda.detail.c_str());
  std::printf("BLAS:         %s (kernels: %s)\n", cpu::blas_description(), cpu::blas_core_name());
  std::printf("cores:        %u\n", std::thread::hardware_concurrency());
  return 0;
}

int dispatch(int argc, char** argv) {
  if (argc >= 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::fputs(kTopUsage, stdout);
    return 0;
  }
  const std::string command = argc >= 2 ? argv[1] : "view";
#if GANVAS_HAVE_VISUALIZER
  if (command == "view") return run_visualizer(argc, argv, argc >= 2 ? 2 : 1);
  if (command == "record") return run_record(argc, argv);
  if (command.rfind("--", 0) == 0 && command != "--version") return run_visualizer(argc, argv, 1);
#else
  if (command == "view" || (command.rfind("--", 0) == 0 && command != "--version")) {
    throw UsageError("this ganvas was built without the visualizer (GANVAS_VISUALIZER=OFF)");
  }
#endif
  if (command == "train") return run_train(argc, argv);
  if (command == "sample") return run_sample(argc, argv);
  if (command == "eval") return run_eval(argc, argv);
  if (command == "train-classifier") return run_train_classifier(argc, argv);
  if (command == "info") return run_info(argc, argv);
  if (command == "--version") return std::printf("ganvas %s\n", kVersion), 0;
  throw UsageError("unknown command '" + command + "' (expected view, record, train, sample, eval, train-classifier or info; see 'ganvas --help')");
}

}  // namespace
}  // namespace ganvas::cli

namespace {

// Runs as soon as the dynamic loader is done, before every library's initializer (the executable's
// pre-init array comes first). A SIGINT or SIGTERM that arrived between then and main's handlers
// ended the process, and one inherited as ignored was lost: the initializers take a while, OpenBLAS
// starts its threads in one, and prefer_fast_blas_kernels may execv ganvas again. Held back here,
// in the thread every other one starts from, a signal stays pending until main releases it, across
// that execv too (it keeps the mask and the pending signals).
void hold_stop_signals_from_the_start(int, char**, char**) { ganvas::hold_stop_signals(); }
[[gnu::used, gnu::section(".preinit_array")]] void (*const hold_at_preinit)(int, char**, char**) =
    hold_stop_signals_from_the_start;

}  // namespace

int main(int argc, char** argv) {
  try {
    ganvas::hold_stop_signals();  // again, for a start without the pre-init array
    ganvas::cpu::prefer_fast_blas_kernels(argv);
    ganvas::install_stop_signals();
    ganvas::release_stop_signals();  // a signal held back since the start is handled now: a stop request
    return ganvas::cli::dispatch(argc, argv);
  } catch (const ganvas::Stopped& e) {
    // eval, train-classifier and sample: cut short, they have nothing to keep (train and record
    // finish cleanly instead and exit 0).
    std::fprintf(stderr, "ganvas: %s before the end; nothing was written\n", e.what());
    return 128 + e.signal();
  } catch (const ganvas::cli::UsageError& e) {
    std::fprintf(stderr, "ganvas: %s\n", ganvas::one_line_message(e.what()).c_str());
    return 2;
  } catch (const ganvas::Error& e) {  // one printable line, whatever text from a file it carries
    std::fprintf(stderr, "ganvas: error: %s\n", ganvas::one_line_message(e.what()).c_str());
    return 1;
  } catch (const std::filesystem::filesystem_error& e) {
    std::fprintf(stderr, "ganvas: error: %s\n", ganvas::one_line_message(e.what()).c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ganvas: unexpected error: %s\n", ganvas::one_line_message(e.what()).c_str());
    return 1;
  }
}
