// The visualizer command: options, window or EGL context, built-in or loaded plugin, benchmarks.
#include "gan/cli/visualizer_command.h"

#include <chrono>
#include <filesystem>
#include <cstdio>
#include <thread>

#include "engine/app.h"
#include "common/atomic_file.h"
#include "gan/cli/args.h"
#include "gan/io/checkpoint.h"
#include "gan/cli/gan_options.h"
#include "gan/io/dataset.h"
#include "engine/context.h"
#include "common/error.h"
#include "common/printable.h"
#include "gan/session/run_folder.h"
#include "gan/viz/gan_visualizer.h"
#include "engine/imgui_layer.h"
#include <imgui.h>
#include "engine/plugin_loader.h"
#include "engine/recording_panel.h"
#include "engine/render_target.h"
#include "common/stop_signal.h"
#include "common/user_dirs.h"

namespace ganvas::cli {
namespace {

Size parse_size(const std::string& text) {
  int width = 0, height = 0;
  char x = 0, extra = 0;
  if (std::sscanf(text.c_str(), "%d%c%d%c", &width, &x, &height, &extra) != 3 || x != 'x' || width < 64 ||
      height < 64 || width > 8192 || height > 8192) {
    throw UsageError("--size expects WIDTHxHEIGHT between 64 and 8192, got '" + text + "'");
  }
  return {width, height};
}

void print_frame_stats(const char* label, const LoopResult& result) {
  std::printf("%-34s p50 %6.2f ms  p99 %6.2f ms  (%llu frames, %.0f fps at p50)\n", label,
              percentile_ms(result.frame_ms, 0.5), percentile_ms(result.frame_ms, 0.99),
              static_cast<unsigned long long>(result.frames), 1000.0 / percentile_ms(result.frame_ms, 0.5));
}

// How long the trainer took to copy the weights out of the backend for each snapshot: on a GPU
// mostly waiting for the steps queued ahead of the copy, on the CPU the copy itself.
void print_publish_waits(const std::vector<double>& waits_ms) {
  if (waits_ms.empty()) return;
  std::printf("weights handed to the renderer:    %zu times, the copy took p50 %.2f ms  p99 %.2f ms\n",
              waits_ms.size(), percentile_ms(waits_ms, 0.5), percentile_ms(waits_ms, 0.99));
}

// Steps/s the trainer makes in `seconds` with nothing else running.
double training_rate_alone(LiveTrainer& trainer, double seconds) {
  trainer.set_steps_per_frame(0);
  trainer.set_running(true);
  const uint64_t first = trainer.status().step;
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  const uint64_t last = trainer.status().step;
  trainer.set_running(false);
  return static_cast<double>(last - first) / seconds;
}

// Frame times with training off and on, and training's rate with and without rendering.
void run_benchmark(GlContext& context, ImGuiLayer& imgui, GanVisualizer& viz, uint64_t frames, double max_fps,
                   RenderTarget* target) {
  LoopOptions options;
  options.max_frames = frames;
  options.max_fps = max_fps;
  if (max_fps > 0) std::printf("frames paced to at most %.0f per second\n", max_fps);
  viz.session().trainer().set_running(false);
  viz.session().trainer().wait_idle();
  print_frame_stats("frames, training paused:", run_frames(context, imgui, viz, options, target));
  const bool can_train = viz.session().trainer().status().has_data;
  if (!can_train) {
    std::printf("no training data: training rates not measured\n");
    return;
  }
  viz.session().trainer().set_running(true);
  const uint64_t first = viz.session().trainer().status().step;
  viz.session().trainer().take_publish_waits();
  const auto start = std::chrono::steady_clock::now();
  print_frame_stats("frames, training running:", run_frames(context, imgui, viz, options, target));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double with_rendering = static_cast<double>(viz.session().trainer().status().step - first) / seconds;
  std::printf("frames per second while training:  %.0f\n", frames / seconds);
  print_publish_waits(viz.session().trainer().take_publish_waits());
  const double alone = training_rate_alone(viz.session().trainer(), 3.0);
  std::printf("training while rendering:          %.0f steps/s\n", with_rendering);
  std::printf("training alone:                    %.0f steps/s (rendering keeps %.0f%%)\n", alone,
              100.0 * with_rendering / alone);
}

const char* kHelp =
    "The visualizer: trains the GAN while a digit grid (fixed latents) and a latent-space explorer\n"
    "redraw every frame; panels control training, the explorer and the display.\n"
    "Without a display, --headless renders offscreen through EGL.\n\n";

Args view_args(int argc, char** argv, int first) {
  return Args("[view]",
              {{"headless", "", "render offscreen (EGL) instead of opening a window"},
               {"frames", "N", "stop after N frames (needed with --headless)"},
               {"screenshot", "FILE.png", "write the last frame, panels included, as PNG (with --frames)"},
               {"bench-frames", "N", "measure frame times with training paused and running, N frames each"},
               {"size", "WxH", "window or canvas size (default 1280x720)"},
               {"max-fps", "F", "pace frames to at most F per second, 0 for no cap (default: 30 while training on "
                                "the CPU, else the display's rate; no cap headless); the View tab changes it"},
               {"checkpoint", "FILE", "start from a checkpoint (default: fresh weights; without data, the bundled one)"},
               {"preset", "NAME", "fresh weights of: tutorial (default) or clean-digits (a conditional GAN: pick the digit)"},
               {"data-dir", "DIR", "MNIST IDX files (default data/mnist or $GANVAS_DATA_DIR)"},
               {"dataset", "NAME", "mnist (default) or fashion"},
               {"device", "NAME", "training backend: auto (default), cpu or cuda"},
               {"seed", "S", "seed of fresh weights and of the grid's latents (default 0)"},
               {"paused", "", "start with training paused"},
               {"run", "DIR", "keep the run in DIR: reopened where it was when DIR holds one (weights, Adam, "
                              "step, charts), else started there (default: a new folder in ~/.local/share/ganvas/runs "
                              "when there is data to train)"},
               {"follow", "DIR", "show the run another process trains in DIR (e.g. ganvas train --out DIR), "
                                 "taking in each checkpoint it writes"},
               {"autosave-minutes", "M", "save the run every M minutes of training (default 5); "
                                         "it is saved on every way out too"},
               {"no-run", "", "keep no run folder (train, then forget)"},
               {"compare", "DIR[,DIR...]", "show up to three run folders beside this run: their grids from the same "
                                           "latents, their losses over the charts, their scores in the Runs tab"},
               {"plugin", "FILE.so", "load the visualizer from a plugin module instead of the built-in one"}},
              argc, argv, first);
}

// How `ganvas view` runs: a window or offscreen, how many frames, what it measures and writes.
struct ViewPlan {
  bool headless = false;
  uint64_t frames = 0, bench_frames = 0;
  Size size;
  double max_fps = 0;
  LoopControls controls;
  std::string screenshot;
};

ViewPlan view_plan(const Args& args) {
  ViewPlan plan;
  plan.headless = args.flag("headless");
  plan.frames = static_cast<uint64_t>(args.integer("frames", 0, 1, 100000000));
  plan.bench_frames = static_cast<uint64_t>(args.integer("bench-frames", 0, 10, 100000));
  plan.size = parse_size(args.text("size", "1280x720"));
  plan.max_fps = args.real("max-fps", 0.0, Args::kFromZero, 1000.0);  // 0: no cap
  // Unpaced headless runs measure; in a window the visualizer picks a cap unless told one.
  plan.controls.max_fps = args.has("max-fps") || plan.headless ? plan.max_fps : -1.0;
  if (plan.frames > 0 && plan.bench_frames > 0) throw UsageError("--bench-frames runs frames of its own: leave out --frames");
  if (plan.headless && plan.frames == 0 && plan.bench_frames == 0) {
    throw UsageError("--headless needs --frames N or --bench-frames N");
  }
  plan.screenshot = args.text("screenshot", "");
  if (!plan.screenshot.empty() && plan.frames == 0) throw UsageError("--screenshot needs --frames N");
  if (plan.bench_frames > 0 && args.has("plugin")) {
    throw UsageError("--bench-frames measures the built-in visualizer; leave out --plugin");
  }
  return plan;
}

// A checkpoint named on the command line is read before any window opens or frame is drawn, so a
// missing or broken one fails at once with its own message.
void check_checkpoint(const std::string& path) {
  if (!path.empty()) load_checkpoint(path);
}

// Whether the data set's training images are there: then the window trains, and keeps a run.
bool has_training_data(const VizConfig& config) {
  if (config.data_dir.empty()) return false;
  try {
    require_regular_file(training_files(config.dataset, config.data_dir).images);
    return true;
  } catch (const Error&) {
    return false;
  }
}

// What the window showed of its run at the end, for scripts: "showing step N of run DIR".
void say_run_shown(const Session& session) {
  std::printf("showing step %llu of run %s\n", static_cast<unsigned long long>(session.snapshot().step),
              shown_path(session.run_dir()).c_str());
}

// --compare's folders, each one that holds a run.
std::vector<std::string> compared_runs(const std::string& list, size_t most = Comparison::kMostRuns) {
  std::vector<std::string> dirs;
  size_t start = 0;
  while (start < list.size()) {
    const size_t comma = list.find(',', start);
    const std::string dir = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!dir.empty()) {
      if (!holds_run(dir)) throw UsageError(shown_path(dir) + " holds no run (no checkpoint.safetensors)");
      dirs.push_back(dir);
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (dirs.size() > most) throw UsageError("at most " + std::to_string(most) + " runs are compared");
  return dirs;
}

// Where the window keeps its run: the folder named, or a new one among the user's runs when there
// is data to train (a model explored without data is no run).
void choose_run_folder(const Args& args, VizConfig& config) {
  const int named = args.has("run") + args.has("follow") + args.flag("no-run");
  if (named > 1) throw UsageError("--run, --follow and --no-run each say what to do with the run: give one");
  config.run.autosave_seconds = 60.0 * args.real("autosave-minutes", 5.0, 0.05, 24 * 60.0);
  if (args.has("follow")) {
    if (args.has("checkpoint") || args.has("preset")) throw UsageError("--follow shows the run's own weights: leave out --checkpoint and --preset");
    config.run.dir = args.text("follow", "");
    config.run.follow = true;
    config.train = false;
  } else if (args.has("run")) {
    config.run.dir = args.text("run", "");
    if (holds_run(config.run.dir) && (args.has("checkpoint") || args.has("preset"))) {
      throw UsageError(shown_path(config.run.dir) + " holds a run: it goes on from its own weights; leave out "
                       "--checkpoint and --preset, or name another folder");
    }
  } else if (!args.flag("no-run") && !runs_root().empty() && has_training_data(config)) {
    ModelShape shape;
    if (config.preset == "clean-digits") shape.classes = 10;
    config.run.dir = new_run_path(runs_root(), shape);
  }
  if (args.has("run") || args.has("follow")) {
    if (config.run.dir.empty()) throw UsageError("--run and --follow need a folder");
  }
  config.run.compare = compared_runs(args.text("compare", ""));
  std::error_code error;
  config.run.program = std::filesystem::read_symlink("/proc/self/exe", error).string();  // forks run this ganvas
}

VizConfig view_config(const Args& args) {
  VizConfig config;
  config.dataset = dataset_option(args);
  config.data_dir = data_dir_option(args, config.dataset);
  config.data_required = args.has("data-dir");  // a folder the user named is read, or the run fails
  config.device = device_option(args);
  config.checkpoint = args.text("checkpoint", "");
  config.preset = args.text("preset", "tutorial");
  check_choice("preset", config.preset, {"tutorial", "clean-digits"});
  if (args.has("preset") && args.has("checkpoint")) throw UsageError("--preset makes fresh weights: leave out --checkpoint");
  check_checkpoint(config.checkpoint);
  config.seed = args.unsigned_integer("seed", 0);
  config.train = !args.flag("paused");
  choose_run_folder(args, config);
  return config;
}

// A window, or an offscreen context when headless; null (after saying why) when there is no display.
std::unique_ptr<GlContext> open_context(const ViewPlan& plan) {
  try {
    return plan.headless ? create_headless(plan.size) : create_window("ganvas", plan.size);
  } catch (const NoDisplayError& e) {
    std::fprintf(stderr, "ganvas: %s; to render offscreen, run: ganvas --headless --frames 300 --screenshot frame.png\n",
                 e.what());
    return nullptr;
  }
}

// Frames until the window closes (or the counted frames are drawn), then what they did.
void show(GlContext& context, ImGuiLayer& imgui, Plugin& plugin, ViewPlan& plan, RenderTarget* target,
          GanVisualizer* built_in, RecordingPanel& recording) {
  LoopOptions options;
  options.max_frames = plan.frames;
  options.screenshot = plan.screenshot;
  options.controls = &plan.controls;
  if (!plan.headless) options.recording_panel = &recording;
  std::vector<std::string> outputs;
  if (!options.screenshot.empty()) outputs.push_back(options.screenshot);
  const CreatedFolders folders = check_outputs(outputs);
  const LoopResult result = run_frames(context, imgui, plugin, options, target);
  std::printf("rendered %llu frames", static_cast<unsigned long long>(result.frames));
  if (!result.frame_ms.empty()) {  // frame times are kept for a counted run
    std::printf(" (p50 %.2f ms, p99 %.2f ms)", percentile_ms(result.frame_ms, 0.5), percentile_ms(result.frame_ms, 0.99));
  }
  std::printf("\n");
  if (built_in) {
    const LiveStatus status = built_in->session().trainer().status();
    std::printf("training: step %llu on %s\n", static_cast<unsigned long long>(status.step), status.backend.c_str());
  }
  if (!options.screenshot.empty()) std::printf("wrote %s\n", shown_path(options.screenshot).c_str());
}

Args record_args(int argc, char** argv) {
  return Args("record",
              {{"out", "FILE.mp4", "the video to write (H.264 in MP4)"},
               {"seconds", "S", "length of the video (default 10)"},
               {"fps", "R", "frames per second (default 30)"},
               {"content", "NAME", "walk (default: a slerp walk through latent space of a checkpoint), "
                                   "timelapse (training from scratch, --steps-per-frame steps a frame) or "
                                   "compare (the grids of --runs side by side, each run's latest checkpoint)"},
               {"runs", "DIR,DIR[,...]", "with --content compare: two to four run folders, the first shown whole"},
               {"checkpoint", "FILE", "the model to walk through (default: the bundled one)"},
               {"steps-per-frame", "N", "training steps between frames of a timelapse (default 20)"},
               {"size", "WxH", "video size, even numbers (default 1280x720)"},
               {"quality", "Q", "constant quality, 10 (best) to 40 (default 20)"},
               {"panels", "", "record the whole window, panels included, instead of the canvas alone"},
               {"caption", "", "write the step, the losses and the model into the canvas"},
               {"headless", "", "accepted for clarity: recording always renders offscreen"},
               {"data-dir", "DIR", "MNIST IDX files for a timelapse (default data/mnist or $GANVAS_DATA_DIR)"},
               {"device", "NAME", "training backend: auto (default), cpu or cuda"},
               {"seed", "S", "seed of the weights and latents (default 0)"}},
              argc, argv, 2);
}

// A comparison: the first run is shown (its latest checkpoint, nothing trained), the others beside it;
// the explorer walks, so the video moves.
VizConfig compare_config(const Args& args, VizConfig config) {
  for (const char* option : {"steps-per-frame", "data-dir", "checkpoint"}) {
    if (args.has(option)) throw UsageError(std::string("--") + option + " is not for --content compare: the runs bring their weights");
  }
  std::vector<std::string> runs = compared_runs(args.text("runs", ""), Comparison::kMostRuns + 1);
  if (runs.size() < 2) throw UsageError("--content compare needs two to four run folders in --runs");
  config.train = false;
  config.scripted.walk = true;
  config.run.dir = runs.front();
  config.run.follow = true;
  config.run.compare.assign(runs.begin() + 1, runs.end());
  return config;
}

// A walk explores a checkpoint without data; a timelapse trains, lockstep with the frames.
VizConfig record_config(const Args& args, const std::string& content) {
  VizConfig config;
  config.device = device_option(args);
  config.seed = args.unsigned_integer("seed", 0);
  config.scripted.lockstep = true;
  if (args.has("runs") != (content == "compare")) throw UsageError("--runs names the runs of --content compare, and it needs them");
  if (content == "compare") return compare_config(args, config);
  if (content == "walk") {
    for (const char* option : {"steps-per-frame", "data-dir"}) {
      if (args.has(option)) throw UsageError(std::string("--") + option + " is for --content timelapse; a walk trains nothing");
    }
    config.train = false;
    config.scripted.walk = true;
    config.checkpoint = args.text("checkpoint", "");
    check_checkpoint(config.checkpoint);
    return config;  // no data: the checkpoint is explored
  }
  config.data_dir = data_dir_option(args, DatasetKind::kMnist);
  config.data_required = true;
  try {  // it trains: without data it would only record a walk
    require_regular_file(training_files(DatasetKind::kMnist, config.data_dir).images);
  } catch (const Error& e) {
    GANVAS_THROW(std::string("a timelapse trains the GAN and needs MNIST: ") + e.what() + ". " + describe_mnist_search());
  }
  config.steps_per_frame = static_cast<int>(args.integer("steps-per-frame", 20, 1, 100000));
  return config;
}

// Every frame into the video: the canvas alone (with or without a caption) or the whole window.
LoopOptions record_options(const Args& args, const std::string& out, Size size) {
  LoopOptions options;
  const double seconds = args.real("seconds", 10.0, 0.0, 3600.0);
  const int fps = static_cast<int>(args.integer("fps", 30, 1, 240));
  options.max_frames = static_cast<uint64_t>(std::max(1.0, seconds * fps));
  options.record_path = out;
  options.record_video.width = size.width;
  options.record_video.height = size.height;
  options.record_video.fps = fps;
  options.record_video.quality = static_cast<int>(args.integer("quality", 20, 10, 40));
  options.record_canvas = !args.flag("panels");
  options.record_caption = args.flag("caption");
  if (options.record_caption && !options.record_canvas) throw UsageError("--caption is for the canvas alone; leave out --panels");
  options.fixed_delta = 1.0 / fps;
  return options;
}

}  // namespace

int run_visualizer(int argc, char** argv, int first) {
  const Args args = view_args(argc, argv, first);
  if (args.help()) {
    std::printf("%s%s", kHelp, args.usage().c_str());
    return 0;
  }
  ViewPlan plan = view_plan(args);
  const VizConfig config = view_config(args);
  const std::unique_ptr<GlContext> context = open_context(plan);
  if (!context) return 1;
  std::unique_ptr<RenderTarget> target = plan.headless ? std::make_unique<RenderTarget>(plan.size) : nullptr;
  std::printf("ganvas visualizer: %s\n", context->description().c_str());
  std::unique_ptr<GanVisualizer> built_in;
  std::unique_ptr<LoadedPlugin> loaded;
  if (args.has("plugin")) {
    loaded = std::make_unique<LoadedPlugin>(load_plugin(args.text("plugin", ""), config.to_text()));
  } else {
    built_in = std::make_unique<GanVisualizer>(config);
  }
  Plugin& plugin = built_in ? static_cast<Plugin&>(*built_in) : loaded->plugin();
  // A window remembers its layout in the user's config folder; headless runs are scripted and keep none.
  ImGuiLayer imgui(*context, plan.headless ? "" : user_config_file("layout.ini"));
  RecordingPanel recording("out");  // its corner is in the layout file, saved below
  plugin.attach(PluginHost{context.get(), context->gl_loader(), ImGui::GetCurrentContext(), &plan.controls, &draw_overlay});
  if (plan.bench_frames > 0) {
    run_benchmark(*context, imgui, *built_in, plan.bench_frames, plan.max_fps, target.get());
  } else {
    show(*context, imgui, plugin, plan, target.get(), built_in.get(), recording);
  }
  imgui.save_settings();  // while the plugin's settings handler is still there
  plugin.detach();  // saves the run
  if (built_in && !config.run.dir.empty()) say_run_shown(built_in->session());
  return 0;
}

int run_record(int argc, char** argv) {
  const Args args = record_args(argc, argv);
  if (args.help()) {
    std::printf("Renders a scripted video offscreen and encodes every frame (nothing is dropped).\n\n%s",
                args.usage().c_str());
    return 0;
  }
  const std::string out = args.required("out");
  const std::string content = args.text("content", "walk");
  check_choice("content", content, {"walk", "timelapse", "compare"});
  const Size size = parse_size(args.text("size", "1280x720"));
  if (size.width % 2 || size.height % 2) throw UsageError("--size must be even in both directions for H.264");
  // H.264's largest level (6.2) holds frames of up to 139,264 macroblocks of 16x16 (8192x4320):
  // a larger video would be written, and refused by most players.
  constexpr long long kMaxMacroblocks = 139264;
  if (static_cast<long long>((size.width + 15) / 16) * ((size.height + 15) / 16) > kMaxMacroblocks) {
    throw UsageError("--size " + std::to_string(size.width) + "x" + std::to_string(size.height) +
                     " is past H.264's largest frame (8192x4320 pixels, or as many in another shape)");
  }
  const LoopOptions options = record_options(args, out, size);
  const VizConfig config = record_config(args, content);
  const CreatedFolders folders = check_outputs({out});  // before the frames, not after them
  std::unique_ptr<GlContext> context = create_headless(size);
  RenderTarget target(size);
  GanVisualizer viz(config);
  ImGuiLayer imgui(*context);
  viz.attach(PluginHost{context.get(), context->gl_loader(), ImGui::GetCurrentContext(), nullptr, &draw_overlay});
  std::printf("recording %s: %llu frames at %d fps, %dx%d, %s\n", content.c_str(),
              static_cast<unsigned long long>(options.max_frames), options.record_video.fps, size.width, size.height,
              context->description().c_str());
  const auto start = std::chrono::steady_clock::now();
  const LoopResult result = run_frames(*context, imgui, viz, options, &target);
  viz.detach();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!result.recording.error.empty()) {
    std::fprintf(stderr, "ganvas: error: %s\n", result.recording.error.c_str());
    return 1;
  }
  if (stop_requested()) std::printf("stopped by a signal after %llu frames\n", static_cast<unsigned long long>(result.frames));
  std::printf("wrote %s: %lld frames, %.1f s of video, encoder %s, %lld dropped, %.1f frames/s rendered and encoded\n",
              shown_path(out).c_str(), static_cast<long long>(result.recording.written), result.recording.seconds,
              result.recording.encoder.c_str(), static_cast<long long>(result.recording.dropped),
              result.recording.written / wall);
  return 0;
}

}  // namespace ganvas::cli
