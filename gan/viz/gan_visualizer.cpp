// The GAN visualizer: training thread, sampling on the render thread, GL passes and panels.
#include "gan_visualizer.h"

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "atomic_file.h"
#include "checkpoint.h"
#include "cpu/cpu_ops.h"
#include "error.h"
#include "app.h"
#include "gl.h"
#include "philox.h"
#include "sampler.h"

namespace ganvas {
namespace {

constexpr int kImagePixels = 784;
constexpr int kDirections = 5;
constexpr size_t kFrameHistory = 240;
// The checkpoint shipped in assets/ ($GANVAS_ASSETS_DIR overrides where assets/ is).
std::string bundled_checkpoint() {
  const char* dir = std::getenv("GANVAS_ASSETS_DIR");
  return std::string(dir && *dir ? dir : GANVAS_ASSETS_DIR) + "/mnist-gan-20k.safetensors";
}

}  // namespace

VizConfig VizConfig::parse(const std::string& text) {
  VizConfig config;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const size_t eq = line.find('=');
    if (line.empty()) continue;
    if (eq == std::string::npos) GANVAS_THROW("visualizer setting '" + line + "' is not key=value");
    const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    const auto number = [&](long long lo, long long hi) {
      char* end = nullptr;
      const long long v = std::strtoll(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || v < lo || v > hi) {
        GANVAS_THROW("visualizer setting " + key + "=" + value + " is not a whole number in [" + std::to_string(lo) +
                     ", " + std::to_string(hi) + "]");
      }
      return v;
    };
    if (key == "data_dir") config.data_dir = value;
    else if (key == "dataset") config.dataset = value;
    else if (key == "checkpoint") config.checkpoint = value;
    else if (key == "device") config.device = value;
    else if (key == "seed") config.seed = static_cast<uint64_t>(number(0, INT64_MAX));
    else if (key == "train") config.train = value == "1";
    else if (key == "grid") config.grid = static_cast<int>(number(2, 16));
    else if (key == "strip") config.strip = static_cast<int>(number(2, 32));
    else if (key == "interop") config.interop = value == "1";
    else if (key == "walk") config.walk = value == "1";
    else if (key == "lockstep") config.lockstep = value == "1";
    else if (key == "steps_per_frame") config.steps_per_frame = static_cast<int>(number(0, 100000));
    else GANVAS_THROW("unknown visualizer setting '" + key + "'");
  }
  return config;
}

std::string VizConfig::to_text() const {
  return "data_dir=" + data_dir + "\ndataset=" + dataset + "\ncheckpoint=" + checkpoint + "\ndevice=" + device +
         "\nseed=" + std::to_string(seed) + "\ntrain=" + (train ? "1" : "0") + "\ngrid=" + std::to_string(grid) +
         "\nstrip=" + std::to_string(strip) + "\ninterop=" + (interop ? "1" : "0") + "\nwalk=" + (walk ? "1" : "0") +
         "\nlockstep=" + (lockstep ? "1" : "0") + "\nsteps_per_frame=" + std::to_string(steps_per_frame) + "\n";
}

GanVisualizer::GanVisualizer(VizConfig config) : config_(std::move(config)), strip_(config_.strip) {
  start_trainer();
  const int noise = snapshot_.shape.noise;
  grid_latents_ = sample_latents(config_.seed, config_.grid * config_.grid, noise);
  anchor_a_ = Latent(grid_latents_.begin(), grid_latents_.begin() + noise);
  anchor_b_ = Latent(grid_latents_.begin() + noise, grid_latents_.begin() + 2 * noise);
  set_explorer_base(interpolated(t_));
}

GanVisualizer::~GanVisualizer() = default;

void GanVisualizer::start_trainer() {
  ImageSet images;
  std::string data_problem;
  const DatasetKind kind = parse_dataset_kind(config_.dataset);  // a wrong name is an error, not "no data"
  const bool explore_only = config_.data_dir.empty();             // e.g. a recorded latent walk
  try {
    if (!explore_only) images = load_training_set(kind, config_.data_dir, false);
  } catch (const Error& e) {
    data_problem = e.what();
  }
  GanState state;
  std::string checkpoint = config_.checkpoint;
  if (checkpoint.empty() && images.count == 0) checkpoint = bundled_checkpoint();
  state = checkpoint.empty() ? initial_state(ModelShape{}, config_.seed) : load_checkpoint(checkpoint);
  BackendChoice choice = make_backend(parse_device(config_.device), state.shape, 128);
  trainer_ = std::make_unique<LiveTrainer>(std::move(choice.backend), state, images);
  LiveControls controls;
  controls.running = config_.train && trainer_->status().has_data;
  controls.steps_per_frame = config_.steps_per_frame;
  trainer_->set_controls(controls);
  trainer_->copy_snapshot_if_newer(snapshot_);
  if (!data_problem.empty()) {
    std::fprintf(stderr,
                 "ganvas: no training data (%s); exploring %s. Fetch MNIST with 'bash scripts/run.sh' "
                 "(or pass --data-dir) to train.\n",
                 data_problem.c_str(), checkpoint.c_str());
  } else if (!choice.note.empty()) {
    std::fprintf(stderr, "ganvas: %s\n", choice.note.c_str());
  }
}

void GanVisualizer::attach(const PluginHost& host) {
  // A plugin module has its own glad and Dear ImGui: point both at the host's.
  gl::load(host.gl_loader);
  ImGui::SetCurrentContext(static_cast<ImGuiContext*>(host.imgui_context));
  context_ = host.context;
  pass_ = std::make_unique<ImageGridPass>();
  images_buffer_ = gl::create_buffer();
  const int max_images = config_.grid * config_.grid + 32 + 1;
  glNamedBufferStorage(images_buffer_.get(), static_cast<GLsizeiptr>(size_t(max_images) * kImagePixels * sizeof(float)),
                       nullptr, GL_DYNAMIC_STORAGE_BIT);
  gl::check("creating the image buffer");
  std::string why_not = "training runs on the CPU";
  if (config_.interop && trainer_->status().backend == "cuda") {
    interop_ = make_cuda_gl_images(images_buffer_.get(), max_images, snapshot_.shape, why_not);
  } else if (!config_.interop) {
    why_not = "interop switched off";
  }
  image_path_ = interop_ ? "CUDA-GL interop (zero copy)" : "CPU upload (" + why_not + ")";
  images_dirty_ = true;
}

void GanVisualizer::detach() {
  interop_.reset();
  pass_.reset();
  images_buffer_.reset();
  context_ = nullptr;
}

Latent GanVisualizer::interpolated(float t) const { return slerp_ ? slerp(anchor_a_, anchor_b_, t) : lerp(anchor_a_, anchor_b_, t); }

void GanVisualizer::set_explorer_base(const Latent& base) {
  explorer_base_ = base;
  explorer_ = base;
  direction_amounts_.assign(kDirections, 0.0f);
  directions_step_ = ~0ull;  // recompute around the new point
  images_dirty_ = true;
}

void GanVisualizer::recompute_directions() {
  GanState state;
  state.shape = snapshot_.shape;
  state.generator.shape = snapshot_.shape.generator();
  state.generator.params = snapshot_.generator;
  directions_ = principal_directions(state, explorer_base_, kDirections);
  directions_step_ = snapshot_.step;
}

// Walks on through latent space: A to B in two seconds, then B becomes A and a new B is drawn.
void GanVisualizer::walk_on(double delta) {
  t_ += static_cast<float>(delta / 2.0);
  if (t_ >= 1.0f) {
    t_ -= 1.0f;
    anchor_a_ = anchor_b_;
    anchor_b_ = sample_latents(++latent_seed_ * 7919 + 3, 1, snapshot_.shape.noise);
  }
  set_explorer_base(interpolated(t_));
}

void GanVisualizer::update(const FrameInfo& frame) {
  trainer_->frame_tick();
  if (config_.lockstep) trainer_->wait_idle();  // this frame shows exactly its steps
  if (trainer_->copy_snapshot_if_newer(snapshot_)) images_dirty_ = true;
  if (config_.walk) walk_on(frame.delta);
  if (animate_) {
    animate_time_ += frame.delta;
    t_ = 0.5f - 0.5f * static_cast<float>(std::cos(animate_time_ * 0.8));
    set_explorer_base(interpolated(t_));
  }
  if (random_walk_) {
    // A step of expected length walk_speed per second, folded back into [-1, 1].
    const float scale = walk_speed_ * static_cast<float>(frame.delta) / std::sqrt(static_cast<float>(explorer_.size()));
    for (size_t i = 0; i < explorer_.size(); ++i) {
      float v = explorer_[i] + scale * 3.0f * noise_value(latent_seed_, frame.frame, RngStream::kSample, i);
      if (v > 1) v = 2 - v;
      if (v < -1) v = -2 - v;
      explorer_[i] = v;
    }
    explorer_base_ = explorer_;
    direction_amounts_.assign(kDirections, 0.0f);
    images_dirty_ = true;
  }
  // The Jacobian costs a few milliseconds: not while the point moves every frame, and while training,
  // every 2 seconds at most and only while the direction sliders rest at zero.
  const bool sliders_at_rest =
      std::all_of(direction_amounts_.begin(), direction_amounts_.end(), [](float a) { return a == 0.0f; });
  const bool stale = directions_step_ == ~0ull ||
                     (directions_step_ != snapshot_.step && frame.time - directions_time_ > 2.0 && sliders_at_rest);
  const bool dragging = ImGui::GetCurrentContext() && ImGui::IsAnyItemActive();  // e.g. the t slider
  if (stale && !animate_ && !random_walk_ && !dragging) {
    recompute_directions();
    directions_time_ = frame.time;
  }
}

void GanVisualizer::refresh_images() {
  const int noise = snapshot_.shape.noise;
  const int cells = config_.grid * config_.grid;
  const int count = cells + strip_ + 1;
  latents_.resize(static_cast<size_t>(count) * noise);
  std::copy(grid_latents_.begin(), grid_latents_.end(), latents_.begin());
  for (int i = 0; i < strip_; ++i) {
    const Latent point = interpolated(static_cast<float>(i) / static_cast<float>(strip_ - 1));
    std::copy(point.begin(), point.end(), latents_.begin() + static_cast<std::ptrdiff_t>(cells + i) * noise);
  }
  std::copy(explorer_.begin(), explorer_.end(), latents_.begin() + static_cast<std::ptrdiff_t>(cells + strip_) * noise);
  if (interop_) {
    interop_->write(snapshot_, latents_, count);
    images_.clear();
    return;
  }
  hidden_scratch_.resize(static_cast<size_t>(count) * snapshot_.shape.hidden);
  images_.resize(static_cast<size_t>(count) * kImagePixels);
  cpu::generator_forward(snapshot_.shape.generator(), snapshot_.generator.data(), latents_.data(), count,
                         hidden_scratch_.data(), images_.data());
  glNamedBufferSubData(images_buffer_.get(), 0, static_cast<GLsizeiptr>(images_.size() * sizeof(float)),
                       images_.data());
  gl::check("uploading images");
}

// D's verdict on each grid cell, on the CPU, once per snapshot: only the hover tooltip needs it.
const std::vector<float>& GanVisualizer::grid_scores() {
  if (d_scores_version_ == snapshot_.version && !d_scores_.empty()) return d_scores_;
  const int cells = config_.grid * config_.grid;
  std::vector<float> hidden(static_cast<size_t>(cells) * snapshot_.shape.hidden);
  std::vector<float> images(static_cast<size_t>(cells) * kImagePixels);
  cpu::generator_forward(snapshot_.shape.generator(), snapshot_.generator.data(), grid_latents_.data(), cells,
                         hidden.data(), images.data());
  std::vector<float> d_hidden(static_cast<size_t>(cells) * snapshot_.shape.disc_hidden);
  d_scores_.resize(cells);
  cpu::discriminator_logits(snapshot_.shape.discriminator(), snapshot_.discriminator.data(), images.data(), cells,
                            d_hidden.data(), d_scores_.data());
  for (float& score : d_scores_) score = sigmoid(score);
  d_scores_version_ = snapshot_.version;
  return d_scores_;
}

void GanVisualizer::layout(Size framebuffer, bool canvas_only) {
  const float scale = context_ ? context_->content_scale() : 1.0f;
  const float panels = canvas_only ? 0.0f : std::min(420.0f * scale, framebuffer.width * 0.45f);
  if (!canvas_only) panel_width_ = panels;
  const float margin = 12.0f * scale;
  const float canvas_width = framebuffer.width - panels - 2 * margin;
  const float canvas_height = framebuffer.height - 2 * margin;
  const float strip_cell = std::min(canvas_width / strip_, canvas_height * 0.18f);
  const float grid_side = std::max(0.0f, std::min(canvas_width * 0.6f, canvas_height - strip_cell - margin));
  grid_rect_ = {margin, margin, grid_side, grid_side};
  const float explorer_side = std::max(0.0f, std::min(canvas_width - grid_side - margin, grid_side));
  explorer_rect_ = {margin + grid_side + margin, margin, explorer_side, explorer_side};
  strip_rect_ = {margin, margin + grid_side + margin, strip_cell * strip_, strip_cell};
}

void GanVisualizer::render(const FrameInfo& frame) {
  if (images_dirty_) {  // new weights, or a control moved in this frame's panels
    refresh_images();
    images_dirty_ = false;
  }
  const PixelRect window_rects[] = {grid_rect_, strip_rect_, explorer_rect_};
  layout(frame.framebuffer, frame.canvas_only);
  glClearColor(0.11f, 0.11f, 0.13f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  const int w = frame.framebuffer.width, h = frame.framebuffer.height;
  const int cells = config_.grid * config_.grid;
  pass_->draw(images_buffer_.get(), 0, config_.grid, config_.grid, grid_rect_, w, h, invert_);
  pass_->draw(images_buffer_.get(), cells, strip_, 1, strip_rect_, w, h, invert_);
  pass_->draw(images_buffer_.get(), cells + strip_, 1, 1, explorer_rect_, w, h, invert_);
  if (frame.canvas_only) {  // a second render of this frame, for the recorder: keep the window's layout
    grid_rect_ = window_rects[0];
    strip_rect_ = window_rects[1];
    explorer_rect_ = window_rects[2];
    return;
  }
  frame_ms_.push_back(frame.delta * 1000.0);
  if (frame_ms_.size() > kFrameHistory) frame_ms_.pop_front();
}

// Space toggles training; over the grid, a tooltip shows D's score and clicks pick anchors.
void GanVisualizer::handle_input() {
  const ImGuiIO& io = ImGui::GetIO();
  if (!io.WantCaptureKeyboard && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false)) {
    LiveControls controls = trainer_->controls();
    controls.running = !controls.running;
    trainer_->set_controls(controls);
  }
  if (io.WantCaptureMouse) return;
  const float x = io.MousePos.x * io.DisplayFramebufferScale.x, y = io.MousePos.y * io.DisplayFramebufferScale.y;
  if (!grid_rect_.contains(x, y)) return;
  const int column = static_cast<int>((x - grid_rect_.x) / grid_rect_.width * config_.grid);
  const int row = static_cast<int>((y - grid_rect_.y) / grid_rect_.height * config_.grid);
  const int cell = std::clamp(row * config_.grid + column, 0, config_.grid * config_.grid - 1);
  const int noise = snapshot_.shape.noise;
  const Latent z(grid_latents_.begin() + cell * noise, grid_latents_.begin() + (cell + 1) * noise);
  if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
    anchor_a_ = z;
    set_explorer_base(interpolated(t_));
  } else if (ImGui::IsMouseClicked(ImGuiMouseButton_Right)) {
    anchor_b_ = z;
    set_explorer_base(interpolated(t_));
  }
  ImGui::SetTooltip("cell %d: D(G(z)) = %.3f\nleft click: anchor A, right click: anchor B", cell, grid_scores()[cell]);
}

void GanVisualizer::draw_panels(const FrameInfo&) {
  handle_input();
  // ImGui places windows in its own units; the canvas layout uses framebuffer pixels.
  const ImGuiIO& io = ImGui::GetIO();
  const float to_ui = io.DisplayFramebufferScale.x > 0 ? 1.0f / io.DisplayFramebufferScale.x : 1.0f;
  const float width = panel_width_ * to_ui;
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x - width, 0), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(width, io.DisplaySize.y), ImGuiCond_Always);
  ImGui::Begin("ganvas", nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
  if (ImGui::CollapsingHeader("Training", ImGuiTreeNodeFlags_DefaultOpen)) draw_training_panel();
  if (ImGui::CollapsingHeader("Charts", ImGuiTreeNodeFlags_DefaultOpen)) draw_charts_panel();
  if (ImGui::CollapsingHeader("Latent explorer", ImGuiTreeNodeFlags_DefaultOpen)) draw_explorer_panel();
  if (ImGui::CollapsingHeader("Performance", ImGuiTreeNodeFlags_DefaultOpen)) draw_performance_panel();
  ImGui::End();
}

void GanVisualizer::draw_training_panel() {
  LiveControls controls = trainer_->controls();
  const LiveStatus status = trainer_->status();
  bool changed = false;
  if (!status.has_data) ImGui::TextWrapped("No training data: exploring the checkpoint. Run 'bash scripts/run.sh' to fetch MNIST.");
  ImGui::BeginDisabled(!status.has_data);
  if (ImGui::Button(controls.running ? "Pause (space)" : "Play (space)")) {
    controls.running = !controls.running;
    changed = true;
  }
  ImGui::SameLine();
  if (ImGui::Button("Step")) trainer_->request_steps(1, Update::kBoth);
  ImGui::SameLine();
  if (ImGui::Button("Step D")) trainer_->request_steps(1, Update::kDiscriminator);
  ImGui::SameLine();
  if (ImGui::Button("Step G")) trainer_->request_steps(1, Update::kGenerator);
  changed |= ImGui::Checkbox("k D steps per G step", &controls.schedule.alternate);
  if (controls.schedule.alternate) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(100);
    changed |= ImGui::SliderInt("k", &controls.schedule.d_steps, 1, 10);
  }
  changed |= ImGui::SliderFloat("lr G", &controls.lr_g, 1e-5f, 1e-2f, "%.1e", ImGuiSliderFlags_Logarithmic);
  changed |= ImGui::SliderFloat("lr D", &controls.lr_d, 1e-5f, 1e-2f, "%.1e", ImGuiSliderFlags_Logarithmic);
  changed |= ImGui::SliderInt("steps/frame", &controls.steps_per_frame, 0, 64, controls.steps_per_frame == 0 ? "as fast as possible" : "%d");
  ImGui::EndDisabled();
  if (changed) trainer_->set_controls(controls);
  ImGui::SetNextItemWidth(120);
  ImGui::InputInt("seed", &reset_seed_);
  ImGui::SameLine();
  if (ImGui::Button("Reset weights")) trainer_->reset(static_cast<uint64_t>(std::max(0, reset_seed_)));
  ImGui::InputText("file", checkpoint_path_, sizeof(checkpoint_path_));
  if (ImGui::Button("Load")) trainer_->load(checkpoint_path_);
  ImGui::SameLine();
  if (ImGui::Button("Save")) {
    create_parent_directories(checkpoint_path_);
    trainer_->save(checkpoint_path_);
  }
  ImGui::Text("device %s   step %llu   %.0f steps/s", status.backend.c_str(),
              static_cast<unsigned long long>(status.step), status.steps_per_second);
  if (!status.message.empty()) ImGui::TextWrapped("%s", status.message.c_str());
}

void GanVisualizer::draw_charts_panel() {
  const MetricsHistory history = trainer_->history();

  const auto plot = [](const char* label, const std::vector<float>& values, float lo, float hi) {
    char overlay[64];
    std::snprintf(overlay, sizeof(overlay), "%s %.3f", label, values.empty() ? 0.0f : values.back());
    ImGui::PlotLines("##plot", values.data(), static_cast<int>(values.size()), 0, overlay, lo, hi,
                     ImVec2(ImGui::GetContentRegionAvail().x, 48));
  };
  ImGui::PushID("charts");
  ImGui::PushID(0);
  plot("G loss", history.gen_loss, 0.0f, FLT_MAX);
  ImGui::PopID();
  ImGui::PushID(1);
  plot("D loss", history.disc_loss, 0.0f, FLT_MAX);
  ImGui::PopID();
  ImGui::PushID(2);
  plot("D(x)", history.d_real, 0.0f, 1.0f);
  ImGui::PopID();
  ImGui::PushID(3);
  plot("D(G(z))", history.d_fake, 0.0f, 1.0f);
  ImGui::PopID();
  ImGui::PopID();
}

void GanVisualizer::draw_explorer_panel() {
  if (ImGui::Button("Random A")) {
    anchor_a_ = sample_latents(++latent_seed_ * 7919, 1, snapshot_.shape.noise);
    set_explorer_base(interpolated(t_));
  }
  ImGui::SameLine();
  if (ImGui::Button("Random B")) {
    anchor_b_ = sample_latents(++latent_seed_ * 7919 + 1, 1, snapshot_.shape.noise);
    set_explorer_base(interpolated(t_));
  }
  ImGui::SameLine();
  if (ImGui::Button("Resample grid")) {
    grid_latents_ = sample_latents(++latent_seed_ * 104729, config_.grid * config_.grid, snapshot_.shape.noise);
    d_scores_.clear();  // the hover scores belonged to the old digits
    images_dirty_ = true;
  }
  if (ImGui::SliderFloat("t", &t_, 0.0f, 1.0f)) set_explorer_base(interpolated(t_));
  if (ImGui::Checkbox("slerp", &slerp_)) set_explorer_base(interpolated(t_));
  ImGui::SameLine();
  ImGui::Checkbox("animate", &animate_);
  ImGui::SameLine();
  ImGui::Checkbox("invert", &invert_);  // a shader uniform: nothing to resample
  if (ImGui::SliderInt("strip", &strip_, 2, 32)) images_dirty_ = true;
  ImGui::Checkbox("random walk", &random_walk_);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(120);
  ImGui::SliderFloat("speed", &walk_speed_, 0.05f, 3.0f);
  ImGui::Text("principal directions (G's Jacobian at the point)");
  bool moved = false;
  for (size_t i = 0; i < directions_.size() && i < direction_amounts_.size(); ++i) {
    char label[48];
    std::snprintf(label, sizeof(label), "PC%zu (%.2f)", i + 1, directions_[i].strength);
    moved |= ImGui::SliderFloat(label, &direction_amounts_[i], -3.0f, 3.0f);
  }
  if (moved) {
    explorer_ = explorer_base_;
    for (size_t i = 0; i < directions_.size(); ++i) {
      for (size_t j = 0; j < explorer_.size(); ++j) explorer_[j] += direction_amounts_[i] * directions_[i].direction[j];
    }
    images_dirty_ = true;
  }
  if (ImGui::Button("Reset point")) set_explorer_base(interpolated(t_));
  ImGui::SameLine();
  if (ImGui::Button("Recompute directions")) set_explorer_base(explorer_);
  if (ImGui::TreeNode("All latent dimensions")) {
    ImGui::BeginChild("dimensions", ImVec2(0, 220), true);
    for (size_t j = 0; j < explorer_.size(); ++j) {
      char label[32];
      std::snprintf(label, sizeof(label), "z%zu", j);
      if (ImGui::SliderFloat(label, &explorer_[j], -1.0f, 1.0f)) {
        explorer_base_ = explorer_;
        direction_amounts_.assign(kDirections, 0.0f);
        images_dirty_ = true;
      }
    }
    ImGui::EndChild();
    ImGui::TreePop();
  }
}

void GanVisualizer::draw_performance_panel() {
  const std::vector<double> intervals(frame_ms_.begin(), frame_ms_.end());
  const double p50 = percentile_ms(intervals, 0.5), p99 = percentile_ms(intervals, 0.99);
  ImGui::Text("frame interval %.2f ms p50, %.2f ms p99 (%.0f fps)", p50, p99, p50 > 0 ? 1000.0 / p50 : 0.0);
  const LiveStatus status = trainer_->status();
  ImGui::Text("training %.0f steps/s on %s", status.steps_per_second, status.backend.c_str());
  ImGui::TextWrapped("images: %s", image_path_.c_str());
  if (context_) ImGui::TextWrapped("%s", context_->description().c_str());
  if (context_ && context_->window() && ImGui::Checkbox("vsync", &vsync_)) context_->set_vsync(vsync_);
}

}  // namespace ganvas
