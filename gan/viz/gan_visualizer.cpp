// The GAN visualizer: training thread, sampling on the render thread, GL passes, the canvas's marks
// and input. The panels are in panels_*.cpp.
#include "gan/viz/gan_visualizer.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cfloat>
#include <utility>

#include "gan/checkpoint.h"
#include "gan/cpu/cpu_ops.h"
#include "gan/dataset.h"
#include "common/error.h"
#include "engine/gl.h"
#include "gan/philox.h"
#include "gan/sampler.h"
#include "engine/widgets.h"

namespace ganvas {
namespace {

constexpr int kImagePixels = 784;
constexpr int kDirections = 5;
constexpr size_t kFrameHistory = 240;
constexpr ImU32 kAnchorColours[2] = {IM_COL32(255, 170, 40, 255), IM_COL32(80, 200, 255, 255)};
constexpr const char* kAnchorNames[2] = {"A", "B"};

// The checkpoint shipped in assets/ ($GANVAS_ASSETS_DIR overrides where assets/ is).
std::string bundled_checkpoint() {
  const char* dir = std::getenv("GANVAS_ASSETS_DIR");
  return std::string(dir && *dir ? dir : GANVAS_ASSETS_DIR) + "/mnist-gan-20k.safetensors";
}

void copy_path(char* out, size_t size, const std::string& path) {
  std::snprintf(out, size, "%s", path.c_str());
}

// A letter in a filled box with its top-left corner at `at`.
void draw_tag(ImDrawList& list, ImVec2 at, const char* text, ImU32 colour, float font_size) {
  const ImVec2 size = ImGui::GetFont()->CalcTextSizeA(font_size, FLT_MAX, 0, text);
  const float pad = font_size * 0.2f;
  list.AddRectFilled(at, ImVec2(at.x + size.x + 2 * pad, at.y + size.y + pad), colour);
  list.AddText(ImGui::GetFont(), font_size, ImVec2(at.x + pad, at.y + pad * 0.5f), IM_COL32(0, 0, 0, 255), text);
}

}  // namespace

GanVisualizer::GanVisualizer(VizConfig config) : config_(std::move(config)), strip_(config_.strip) {
  if (config_.lockstep && config_.train && config_.steps_per_frame < 1) {
    GANVAS_THROW("lockstep frames wait for their training steps, so they need steps_per_frame of 1 or more "
                 "(training as fast as possible never rests)");
  }
  start_trainer();
  const int noise = snapshot_->shape.noise;
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
  std::string checkpoint = config_.checkpoint;
  if (checkpoint.empty() && images.count == 0) checkpoint = bundled_checkpoint();
  const GanState state = checkpoint.empty() ? initial_state(ModelShape{}, config_.seed) : load_checkpoint(checkpoint);
  if (!checkpoint.empty()) copy_path(checkpoint_path_, sizeof(checkpoint_path_), checkpoint);
  BackendChoice choice = make_backend(parse_device(config_.device), state.shape, 128);
  trainer_ = std::make_unique<LiveTrainer>(std::move(choice.backend), state, images);
  trainer_->set_steps_per_frame(config_.steps_per_frame);
  trainer_->set_running(config_.train && trainer_->status().has_data);
  snapshot_ = trainer_->snapshot();
  if (!data_problem.empty()) {
    std::fprintf(stderr,
                 "ganvas: no training data (%s); exploring %s. Fetch MNIST with 'bash scripts/run.sh' "
                 "(or pass --data-dir) to train. %s\n",
                 data_problem.c_str(), checkpoint.c_str(), describe_mnist_search().c_str());
  } else if (!choice.note.empty()) {
    std::fprintf(stderr, "ganvas: %s\n", choice.note.c_str());
  }
}

void GanVisualizer::attach(const PluginHost& host) {
  // A plugin module has its own glad and Dear ImGui: point both at the host's.
  gl::load(host.gl_loader);
  ImGui::SetCurrentContext(static_cast<ImGuiContext*>(host.imgui_context));
  context_ = host.context;
  loop_ = host.loop;
  draw_overlay_ = host.draw_overlay;
  if (loop_ && loop_->max_fps < 0) {
    // Training on the CPU shares its cores with rendering: 30 frames a second leave it most of them.
    loop_->max_fps = trainer_->status().backend == "cpu" ? 30.0 : 0.0;
  }
  pass_ = std::make_unique<ImageGridPass>();
  images_buffer_ = gl::create_buffer();
  const int max_images = config_.grid * config_.grid + 32 + 1;
  glNamedBufferStorage(images_buffer_.get(), static_cast<GLsizeiptr>(size_t(max_images) * kImagePixels * sizeof(float)),
                       nullptr, GL_DYNAMIC_STORAGE_BIT);
  gl::check("creating the image buffer");
  std::string why_not = "training runs on the CPU";
  if (config_.interop && trainer_->status().backend == "cuda") {
    interop_ = make_cuda_gl_images(images_buffer_.get(), max_images, snapshot_->shape, why_not);
  } else if (!config_.interop) {
    why_not = "interop switched off";
  }
  image_path_ = interop_ ? "CUDA-GL interop (zero copy)" : "CPU upload (" + why_not + ")";
  images_dirty_ = true;
  register_settings();  // last: a failed attach leaves no handler pointing at this visualizer
}

void GanVisualizer::detach() {
  unregister_settings();
  interop_.reset();
  pass_.reset();
  overlay_.reset();  // it points at the context's shared draw data
  images_buffer_.reset();
  context_ = nullptr;
  loop_ = nullptr;
}

Latent GanVisualizer::interpolated(float t) const { return slerp_ ? slerp(anchor_a_, anchor_b_, t) : lerp(anchor_a_, anchor_b_, t); }

void GanVisualizer::set_anchor(int which, const Latent& z, int cell) {
  (which == 0 ? anchor_a_ : anchor_b_) = z;
  anchor_cells_[which] = cell;
  set_explorer_base(interpolated(t_));
}

void GanVisualizer::set_explorer_base(const Latent& base) {
  explorer_base_ = base;
  explorer_ = base;
  direction_amounts_.assign(kDirections, 0.0f);
  directions_step_ = ~0ull;  // recompute around the new point
  images_dirty_ = true;
}

void GanVisualizer::move_along_directions() {
  explorer_ = explorer_base_;
  for (size_t i = 0; i < directions_.size() && i < direction_amounts_.size(); ++i) {
    for (size_t j = 0; j < explorer_.size(); ++j) explorer_[j] += direction_amounts_[i] * directions_[i].direction[j];
  }
  images_dirty_ = true;
}

void GanVisualizer::recompute_directions() {
  GanState state;
  state.shape = snapshot_->shape;
  state.generator.shape = snapshot_->shape.generator();
  state.generator.params = snapshot_->generator;
  directions_ = principal_directions(state, explorer_base_, kDirections);
  directions_step_ = snapshot_->step;
}

// Walks on through latent space: A to B in two seconds, then B becomes A and a new B is drawn.
void GanVisualizer::walk_on(double delta) {
  t_ += static_cast<float>(delta / 2.0);
  if (t_ >= 1.0f) {
    t_ -= 1.0f;
    anchor_a_ = anchor_b_;
    anchor_b_ = sample_latents(++latent_seed_ * 7919 + 3, 1, snapshot_->shape.noise);
    anchor_cells_[0] = anchor_cells_[1] = -1;
  }
  set_explorer_base(interpolated(t_));
}

void GanVisualizer::update(const FrameInfo& frame) {
  const float scale = context_ ? context_->content_scale() : 1.0f;
  panel_width_ = panel_column_width(static_cast<float>(frame.framebuffer.width), scale);
  canvas_ = layout_canvas(frame.framebuffer, panel_width_, scale, strip_, canvas_footer(scale, false));
  trainer_->frame_tick();
  // This frame shows exactly its steps. Training without a per-frame budget never rests, so a
  // lockstep frame waits only while there is one.
  const LiveControls controls = trainer_->controls();
  if (config_.lockstep && !(controls.running && controls.steps_per_frame == 0)) trainer_->wait_idle();
  if (std::shared_ptr<const LiveSnapshot> latest = trainer_->snapshot(); latest != snapshot_) {
    snapshot_ = std::move(latest);
    images_dirty_ = true;
  }
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
                     (directions_step_ != snapshot_->step && frame.time - directions_time_ > 2.0 && sliders_at_rest);
  const bool dragging = ImGui::GetCurrentContext() && ImGui::IsAnyItemActive();  // e.g. the t slider
  if (stale && !animate_ && !random_walk_ && !dragging) {
    recompute_directions();
    directions_time_ = frame.time;
  }
}

void GanVisualizer::refresh_images() {
  const int noise = snapshot_->shape.noise;
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
    interop_->write(*snapshot_, latents_, count);
    images_.clear();
    return;
  }
  hidden_scratch_.resize(static_cast<size_t>(count) * snapshot_->shape.hidden);
  images_.resize(static_cast<size_t>(count) * kImagePixels);
  cpu::generator_forward(snapshot_->shape.generator(), snapshot_->generator.data(), latents_.data(), count,
                         hidden_scratch_.data(), images_.data());
  glNamedBufferSubData(images_buffer_.get(), 0, static_cast<GLsizeiptr>(images_.size() * sizeof(float)),
                       images_.data());
  gl::check("uploading images");
}

// D's verdict on each grid cell, on the CPU, once per snapshot: only the hover tooltip needs it.
const std::vector<float>& GanVisualizer::grid_scores() {
  if (d_scores_version_ == snapshot_->version && !d_scores_.empty()) return d_scores_;
  const int cells = config_.grid * config_.grid;
  std::vector<float> hidden(static_cast<size_t>(cells) * snapshot_->shape.hidden);
  std::vector<float> images(static_cast<size_t>(cells) * kImagePixels);
  cpu::generator_forward(snapshot_->shape.generator(), snapshot_->generator.data(), grid_latents_.data(), cells,
                         hidden.data(), images.data());
  std::vector<float> d_hidden(static_cast<size_t>(cells) * snapshot_->shape.disc_hidden);
  d_scores_.resize(cells);
  cpu::discriminator_logits(snapshot_->shape.discriminator(), snapshot_->discriminator.data(), images.data(), cells,
                            d_hidden.data(), d_scores_.data());
  for (float& score : d_scores_) score = sigmoid(score);
  d_scores_version_ = snapshot_->version;
  return d_scores_;
}

void GanVisualizer::render(const FrameInfo& frame) {
  if (images_dirty_) {  // new weights, or a control moved in this frame's panels
    refresh_images();
    images_dirty_ = false;
  }
  // The canvas alone (a recording) scales its margins and marks with the video's height.
  const float video_scale = frame.framebuffer.height / 720.0f;
  const CanvasLayout layout =
      frame.canvas_only
          ? layout_canvas(frame.framebuffer, 0.0f, video_scale, strip_, canvas_footer(video_scale, frame.caption))
          : canvas_;
  glClearColor(0.11f, 0.11f, 0.13f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  const int w = frame.framebuffer.width, h = frame.framebuffer.height;
  const int cells = config_.grid * config_.grid;
  pass_->draw(images_buffer_.get(), 0, config_.grid, config_.grid, layout.grid, w, h, invert_);
  pass_->draw(images_buffer_.get(), cells, strip_, 1, layout.strip, w, h, invert_);
  pass_->draw(images_buffer_.get(), cells + strip_, 1, 1, layout.explorer, w, h, invert_);
  draw_overlay(frame, layout);
  if (frame.canvas_only) return;
  frame_ms_.push_back(frame.delta * 1000.0);
  if (frame_ms_.size() > kFrameHistory) frame_ms_.pop_front();
}

std::string GanVisualizer::caption() const {
  const MetricsHistory history = trainer_->history();
  char text[256];
  const int n = std::snprintf(text, sizeof(text), "step %llu", static_cast<unsigned long long>(snapshot_->step));
  if (!history.gen_loss.empty() && n > 0) {
    std::snprintf(text + n, sizeof(text) - n, "   G loss %.3f   D loss %.3f", static_cast<double>(history.gen_loss.back()),
                  static_cast<double>(history.disc_loss.back()));
  }
  const ModelShape& s = snapshot_->shape;
  return std::string(text) + "   GAN " + std::to_string(s.noise) + "-" + std::to_string(s.hidden) + "-" +
         std::to_string(s.image) + ", " + trainer_->status().backend;
}

// Marks over the canvas: the anchors on the grid and the strip's ends, t on the strip, a caption.
void GanVisualizer::draw_overlay(const FrameInfo& frame, const CanvasLayout& layout) {
  if (!draw_overlay_ || !ImGui::GetCurrentContext()) return;
  const float scale = layout.grid.x / 12.0f;  // the layout's margin is 12 pixels at scale 1
  const float font = std::max(13.0f, 18.0f * scale);
  if (!overlay_) overlay_ = std::make_unique<ImDrawList>(ImGui::GetDrawListSharedData());
  ImDrawList& list = *overlay_;  // its buffers are kept from frame to frame
  list._ResetForNewFrame();
  list.PushTextureID(ImGui::GetIO().Fonts->TexID);
  list.PushClipRect(ImVec2(0, 0), ImVec2(static_cast<float>(frame.framebuffer.width), static_cast<float>(frame.framebuffer.height)));
  const float cell = layout.grid.width / static_cast<float>(config_.grid);
  for (int which = 0; which < 2; ++which) {
    const int index = anchor_cells_[which];
    if (index < 0) continue;
    const ImVec2 corner(layout.grid.x + cell * static_cast<float>(index % config_.grid),
                        layout.grid.y + cell * static_cast<float>(index / config_.grid));
    list.AddRect(corner, ImVec2(corner.x + cell, corner.y + cell), kAnchorColours[which], 0, 0, 2.0f);
    draw_tag(list, corner, kAnchorNames[which], kAnchorColours[which], font);
  }
  const PixelRect& strip = layout.strip;
  draw_tag(list, ImVec2(strip.x, strip.y), "A", kAnchorColours[0], font);
  draw_tag(list, ImVec2(strip.x + strip.width - font, strip.y), "B", kAnchorColours[1], font);
  const float x = strip_x(strip, strip_, t_);
  list.AddTriangleFilled(ImVec2(x, strip.y + strip.height), ImVec2(x - font * 0.4f, strip.y + strip.height + font * 0.6f),
                         ImVec2(x + font * 0.4f, strip.y + strip.height + font * 0.6f), IM_COL32(255, 255, 255, 255));
  char t_text[32];
  std::snprintf(t_text, sizeof(t_text), "t = %.2f", static_cast<double>(t_));
  list.AddText(ImGui::GetFont(), font, ImVec2(x + font * 0.5f, strip.y + strip.height + font * 0.1f),
               IM_COL32(220, 220, 230, 255), t_text);
  if (frame.caption) {
    const std::string text = caption();
    list.AddText(ImGui::GetFont(), 24.0f * scale,
                 ImVec2(layout.grid.x, strip.y + strip.height + canvas_footer(scale, true) - 30.0f * scale),
                 IM_COL32(235, 235, 240, 255), text.c_str());
  }
  list.PopClipRect();
  list.PopTextureID();
  draw_overlay_(list, frame.framebuffer);
}

// Space toggles training; over the grid, a tooltip shows D's score and clicks pick anchors.
void GanVisualizer::handle_input() {
  const ImGuiIO& io = ImGui::GetIO();
  if (!io.WantCaptureKeyboard && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false) &&
      trainer_->status().has_data) {
    acted();
    trainer_->set_running(!trainer_->controls().running);
  }
  if (io.WantCaptureMouse) return;
  const float x = io.MousePos.x * io.DisplayFramebufferScale.x, y = io.MousePos.y * io.DisplayFramebufferScale.y;
  const int cell = grid_cell_at(canvas_.grid, config_.grid, x, y);
  if (cell < 0) return;
  const int noise = snapshot_->shape.noise;
  const Latent z(grid_latents_.begin() + cell * noise, grid_latents_.begin() + (cell + 1) * noise);
  if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) set_anchor(0, z, cell);
  if (ImGui::IsMouseClicked(ImGuiMouseButton_Right)) set_anchor(1, z, cell);
  ImGui::SetTooltip("cell %d: D(G(z)) = %.3f (D's belief that it is real)\nleft click: anchor A, right click: anchor B",
                    cell, grid_scores()[cell]);
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
  if (ImGui::BeginTabBar("tabs")) {
    const bool select = std::exchange(select_tab_, false);
    const PanelTab wanted = tab_;  // the tab the settings restored, selected once
    if (ui::tab("Train", "training: play, pause, steps, learning rates, checkpoints, charts",
                select && wanted == PanelTab::kTrain)) {
      tab_ = PanelTab::kTrain;
      draw_training_tab();
      ImGui::EndTabItem();
    }
    if (ui::tab("Explore", "the latent explorer: anchors, interpolation, principal directions, every dimension",
                select && wanted == PanelTab::kExplore)) {
      tab_ = PanelTab::kExplore;
      draw_explorer_tab();
      ImGui::EndTabItem();
    }
    if (ui::tab("View", "display: colours, frame rate against training speed, performance",
                select && wanted == PanelTab::kView)) {
      tab_ = PanelTab::kView;
      draw_view_tab();
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::End();
}

}  // namespace ganvas
