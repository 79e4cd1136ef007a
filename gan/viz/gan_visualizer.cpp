// The GAN visualizer: training thread, sampling on the render thread, GL passes, the canvas's marks
// and input. The panels are in panels_*.cpp.
#include "gan/viz/gan_visualizer.h"
#include "gan/viz/shortcuts.h"
#include "gan/viz/trainer_setup.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <chrono>
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
#include "common/user_dirs.h"
#include "engine/gl.h"
#include "engine/gl_state.h"
#include "gan/philox.h"
#include "gan/sampler.h"
#include "engine/widgets.h"

namespace ganvas {
namespace {

constexpr int kKeyF = 70;            // GLFW_KEY_F: ImGui's keys are the window's key codes
constexpr int kKeyF1 = 290;          // GLFW_KEY_F1
constexpr size_t kFrameHistory = 240;
constexpr ImU32 kAnchorColours[2] = {IM_COL32(255, 170, 40, 255), IM_COL32(80, 200, 255, 255)};
constexpr const char* kAnchorNames[2] = {"A", "B"};

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

GanVisualizer::GanVisualizer(VizConfig config) : config_(std::move(config)) {
  if (config_.lockstep && config_.train && config_.steps_per_frame < 1) {
    GANVAS_THROW("lockstep frames wait for their training steps, so they need steps_per_frame of 1 or more "
                 "(training as fast as possible never rests)");
  }
  start_trainer();
  base_grid_ = config_.grid;
  set_up_for_model(config_.seed, std::max(2, config_.strip));
  export_ = std::make_unique<ExploreExport>(config_.output_dir);
  insight_ = std::make_unique<InsightPanel>(trainer_->status().has_data ? config_.data_dir : "", config_.dataset);
}

GanVisualizer::~GanVisualizer() = default;

void GanVisualizer::start_trainer() {
  TrainerSetup setup;
  setup.data_dir = config_.data_dir;
  setup.data_required = config_.data_required;
  setup.dataset = config_.dataset;
  setup.checkpoint = config_.checkpoint;
  setup.preset = config_.preset;
  setup.device = config_.device;
  setup.seed = config_.seed;
  StartedTrainer started = ganvas::start_trainer(setup);
  trainer_ = std::move(started.trainer);
  model_source_ = started.model_source;
  for (const std::string& note : started.notes) std::fprintf(stderr, "ganvas: %s\n", note.c_str());
  // Save and Load start from an absolute path, whatever folder the host runs in.
  const std::string& checkpoint = config_.checkpoint;
  copy_path(checkpoint_path_, sizeof(checkpoint_path_), checkpoint.empty() ? user_data_file("visualizer.safetensors") : checkpoint);
  trainer_->set_steps_per_frame(config_.steps_per_frame);
  trainer_->set_running(config_.train && trainer_->status().has_data);
  snapshot_ = trainer_->snapshot();
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
  pass_ = std::make_unique<ImageGridPass>(snapshot_->shape.image_side());
  images_buffer_ = gl::create_buffer();
  // Room for a conditional model's ten rows, should the user switch to one.
  const int side = std::max(config_.grid, 10);
  const int max_images = max_images_ = side * side + 32 + 1;
  glNamedBufferStorage(images_buffer_.get(), static_cast<GLsizeiptr>(size_t(max_images) * snapshot_->shape.image * sizeof(float)),
                       nullptr, GL_DYNAMIC_STORAGE_BIT);
  gl::check("creating the image buffer");
  make_sampler();
  insight_->attach(side * side, snapshot_->shape.image);
  register_settings();  // last: a failed attach leaves no handler pointing at this visualizer
}

void GanVisualizer::detach() {
  unregister_settings();
  // A walk being written is finished now, while GL is current: quitting loses no export.
  if (pass_) export_->continue_walk(*pass_, std::chrono::hours(1));
  sampler_.reset();
  pass_.reset();
  insight_->detach();
  overlay_.reset();  // it points at the context's shared draw data
  images_buffer_.reset();
  context_ = nullptr;
  loop_ = nullptr;
}

void GanVisualizer::update(const FrameInfo& frame) {
  layout_scale_ = context_ ? context_->content_scale() : 1.0f;
  const float scale = layout_scale_;
  panel_width_ = panel_column_width(static_cast<float>(frame.framebuffer.width), scale);
  laid_out_ = layout_canvas(frame.framebuffer, panel_width_, scale, explorer_->strip(), canvas_footer(scale, false));
  canvas_ = view_.on_screen(laid_out_);
  trainer_->frame_tick();
  // This frame shows exactly its steps. Training without a per-frame budget never rests, so a
  // lockstep frame waits only while there is one.
  const LiveControls controls = trainer_->controls();
  if (config_.lockstep && !(controls.running && controls.steps_per_frame == 0)) trainer_->wait_idle();
  if (std::shared_ptr<const LiveSnapshot> latest = trainer_->snapshot(); latest != snapshot_) {
    snapshot_ = std::move(latest);
    images_dirty_ = true;
    if (!(snapshot_->shape == model_shape_)) on_model_changed();
  }
  if (config_.walk) explorer_->walk_on(frame.delta);
  explorer_->advance(frame.delta, frame.frame);
  collect_analysis(frame.time);
  request_analysis(frame.time);
  insight_->update(snapshot_, grid_latents_, grid_revision_, frame.time,
                   tab_ == PanelTab::kInsight || insight_->overlay_on(), controls.running);
}

// Directions that arrived since the last frame; ignored when the point has moved on since.
void GanVisualizer::collect_analysis(double time) {
  if (std::optional<AnalysisWorker::Directions> found = analysis_.take_directions()) {
    explorer_->set_directions(std::move(found->directions), found->around, found->step, time);
  }
  if (std::optional<AnalysisWorker::Scores> scores = analysis_.take_scores()) {
    if (scores->grid == grid_revision_) d_scores_ = std::move(scores);
  }
}

// Principal directions cost a few milliseconds: computed on the analysis thread, not while a
// slider is held (e.g. t), and while training every 2 seconds at most (LatentExplorer says when).
void GanVisualizer::request_analysis(double time) {
  const bool dragging = ImGui::GetCurrentContext() && ImGui::IsAnyItemActive();
  if (!dragging && !analysis_.directions_pending() && explorer_->wants_directions(snapshot_->step, time)) {
    analysis_.request_directions(snapshot_, explorer_->base());
  }
}

void GanVisualizer::refresh_images() {
  const int noise = snapshot_->shape.latent();
  const int cells = config_.grid * config_.grid;
  const int strip = explorer_->strip();
  const int count = cells + strip + 1;
  latents_ = grid_latents_;
  const std::vector<float> strip_latents = explorer_->strip_latents();
  latents_.insert(latents_.end(), strip_latents.begin(), strip_latents.end());
  latents_.insert(latents_.end(), explorer_->point().begin(), explorer_->point().end());
  GANVAS_CHECK(latents_.size() == static_cast<size_t>(count) * noise, "one latent per image");
  sampled_revision_ = explorer_->revision();
  sampler_->write(*snapshot_, latents_, count);
}

// D's verdict on a grid cell, for the tooltip: asked of the analysis thread once per snapshot.
std::optional<float> GanVisualizer::grid_score(int cell) {
  const bool current = d_scores_ && d_scores_->version == snapshot_->version;
  if (!current && !analysis_.scores_pending()) analysis_.request_scores(snapshot_, grid_latents_, grid_revision_);
  if (!d_scores_ || static_cast<size_t>(cell) >= d_scores_->scores.size()) return std::nullopt;
  return d_scores_->scores[static_cast<size_t>(cell)];
}

// The grid (a row for every digit of a conditional model) and the explorer, for the model on screen.
void GanVisualizer::set_up_for_model(uint64_t latent_seed, int strip) {
  const ModelShape& shape = snapshot_->shape;
  model_shape_ = shape;
  config_.grid = shape.conditional() ? std::max(base_grid_, shape.classes) : base_grid_;
  grid_digit_ = -1;
  grid_latents_ = model_latents(shape, latent_seed, config_.grid * config_.grid, {}, config_.grid);
  explorer_.emplace(grid_latents_, shape.latent(), strip, shape.classes);
}

void GanVisualizer::on_model_changed() {
  set_up_for_model(grid_seed_ * 104729, explorer_->strip());
  ++grid_revision_;
  d_scores_.reset();
  if (images_buffer_) make_sampler();  // attached: a sampler for the new model
}

// The sampler that writes the model's images into the GL buffer: through CUDA-GL interop when
// training runs on CUDA, else uploaded from the CPU.
void GanVisualizer::make_sampler() {
  sampler_.reset();  // an interop sampler lets go of the buffer before another takes it
  ChosenSampler chosen = make_gl_sampler(images_buffer_.get(), max_images_, snapshot_->shape,
                                         trainer_->status().backend, config_.interop);
  sampler_ = std::move(chosen.sampler);
  image_path_ = std::move(chosen.path);
  images_dirty_ = true;
}

void GanVisualizer::resample_grid() {
  ++grid_seed_;
  redraw_grid();
}

void GanVisualizer::redraw_grid() {
  const std::vector<int> digits = grid_digit_ >= 0 ? std::vector<int>{grid_digit_} : std::vector<int>{};
  grid_latents_ = model_latents(snapshot_->shape, grid_seed_ * 104729, config_.grid * config_.grid, digits, config_.grid);
  ++grid_revision_;
  explorer_->forget_anchor_cells();  // the anchors keep their latents, no longer on the grid
  d_scores_.reset();                 // the hover scores belonged to the old digits
  images_dirty_ = true;
}

float GanVisualizer::canvas_width(const FrameInfo& frame) const {
  const float width = static_cast<float>(frame.framebuffer.width);
  return frame.canvas_only ? width : std::max(0.0f, width - panel_width_);
}

void GanVisualizer::render(const FrameInfo& frame) {
  const gl::StateGuard keep;  // the host finds its GL state as it left it
  if (images_dirty_ || sampled_revision_ != explorer_->revision()) {  // new weights, or the explorer moved
    refresh_images();
    images_dirty_ = false;
  }
  // The canvas alone (a recording) scales its margins and marks with the video's height.
  const float video_scale = frame.framebuffer.height / 720.0f;
  const CanvasLayout layout =
      frame.canvas_only
          ? layout_canvas(frame.framebuffer, 0.0f, video_scale, explorer_->strip(), canvas_footer(video_scale, frame.caption))
          : canvas_;
  glClearColor(0.11f, 0.11f, 0.13f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  const int w = frame.framebuffer.width, h = frame.framebuffer.height;
  // Zoomed in, the images stay on the canvas and never spill under the panel column.
  gl::StateGuard::plain_drawing();  // whatever culling, masks or modes a host had on
  glEnable(GL_SCISSOR_TEST);
  glScissor(0, 0, static_cast<GLsizei>(canvas_width(frame)), h);
  const int cells = config_.grid * config_.grid;
  const bool tinted = insight_->overlay_shown(grid_revision_);
  pass_->draw(images_buffer_.get(), 0, config_.grid, config_.grid, layout.grid, w, h, invert_,
              tinted ? insight_->overlay_buffer() : 0, tinted ? insight_->overlay_scale() : 0.0f);
  const int strip = explorer_->strip();
  pass_->draw(images_buffer_.get(), cells, strip, 1, layout.strip, w, h, invert_);
  pass_->draw(images_buffer_.get(), cells + strip, 1, 1, layout.explorer, w, h, invert_);
  glDisable(GL_SCISSOR_TEST);
  draw_overlay(frame, layout, frame.canvas_only ? video_scale : layout_scale_);
  if (frame.canvas_only) return;
  run_exports();
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
  return std::string(text) + (s.conditional() ? "   conditional GAN " : "   GAN ") + layer_widths(s.generator()) + ", " + trainer_->status().backend;
}

// Marks over the canvas: the anchors on the grid and the strip's ends, t on the strip, a caption.
// Their size follows `scale` (the display's, or the video's), not the view's zoom.
void GanVisualizer::draw_overlay(const FrameInfo& frame, const CanvasLayout& layout, float scale) {
  if (!draw_overlay_ || !ImGui::GetCurrentContext()) return;
  const float font = std::max(13.0f, 18.0f * scale);
  if (!overlay_) overlay_ = std::make_unique<ImDrawList>(ImGui::GetDrawListSharedData());
  ImDrawList& list = *overlay_;  // its buffers are kept from frame to frame
  list._ResetForNewFrame();
  list.PushTextureID(ImGui::GetIO().Fonts->TexID);
  list.PushClipRect(ImVec2(0, 0), ImVec2(canvas_width(frame), static_cast<float>(frame.framebuffer.height)));
  const float cell = layout.grid.width / static_cast<float>(config_.grid);
  for (int which = 0; which < 2; ++which) {
    const int index = explorer_->anchor_cell(which);
    if (index < 0) continue;
    const ImVec2 corner(layout.grid.x + cell * static_cast<float>(index % config_.grid),
                        layout.grid.y + cell * static_cast<float>(index / config_.grid));
    list.AddRect(corner, ImVec2(corner.x + cell, corner.y + cell), kAnchorColours[which], 0, 0, 2.0f);
    draw_tag(list, corner, kAnchorNames[which], kAnchorColours[which], font);
  }
  const PixelRect& strip = layout.strip;
  draw_tag(list, ImVec2(strip.x, strip.y), "A", kAnchorColours[0], font);
  draw_tag(list, ImVec2(strip.x + strip.width - font, strip.y), "B", kAnchorColours[1], font);
  const float x = strip_x(strip, explorer_->strip(), explorer_->t());
  list.AddTriangleFilled(ImVec2(x, strip.y + strip.height), ImVec2(x - font * 0.4f, strip.y + strip.height + font * 0.6f),
                         ImVec2(x + font * 0.4f, strip.y + strip.height + font * 0.6f), IM_COL32(255, 255, 255, 255));
  char t_text[32];
  std::snprintf(t_text, sizeof(t_text), "t = %.2f", static_cast<double>(explorer_->t()));
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

// Keys: space toggles training, F fits the canvas to the window, F1 shows the shortcuts. The
// pointer: see handle_pointer.
void GanVisualizer::handle_input() {
  const ImGuiIO& io = ImGui::GetIO();
  if (!io.WantCaptureKeyboard) {
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false) && trainer_->status().has_data) {
      acted();
      trainer_->set_running(!trainer_->controls().running);
    }
    if (ImGui::IsKeyPressed(kKeyF, false)) view_.fit();
    if (ImGui::IsKeyPressed(kKeyF1, false)) shortcuts_open_ = !shortcuts_open_;
  }
  if (!io.WantCaptureMouse) handle_pointer(io);
}

namespace {

// Dear ImGui's mouse state as a pointer event in framebuffer pixels.
PointerEvent pointer_event(const ImGuiIO& io) {
  const glm::vec2 scale(io.DisplayFramebufferScale.x, io.DisplayFramebufferScale.y);
  PointerEvent event;
  event.position = glm::vec2(io.MousePos.x, io.MousePos.y) * scale;
  event.wheel = io.MouseWheel;
  if (ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
    const ImVec2 moved = ImGui::GetMouseDragDelta(ImGuiMouseButton_Left);
    event.drag = glm::vec2(moved.x, moved.y) * scale;
    ImGui::ResetMouseDragDelta(ImGuiMouseButton_Left);
  }
  event.released = ImGui::IsMouseReleased(ImGuiMouseButton_Left);
  event.right_pressed = ImGui::IsMouseClicked(ImGuiMouseButton_Right);
  return event;
}

}  // namespace

// Over the canvas: zoom, pan and anchor clicks (canvas_input.h); over a grid cell at rest, a
// tooltip with D's score.
void GanVisualizer::handle_pointer(const ImGuiIO& io) {
  const PointerOutcome outcome = apply_pointer(pointer_event(io), view_, laid_out_.grid, config_.grid, panning_);
  if (outcome.cell < 0) return;
  const int noise = snapshot_->shape.latent();
  const Latent z(grid_latents_.begin() + outcome.cell * noise, grid_latents_.begin() + (outcome.cell + 1) * noise);
  if (outcome.anchor >= 0) explorer_->set_anchor(outcome.anchor, z, outcome.cell);
  if (outcome.panning) return;
  const std::optional<float> score = grid_score(outcome.cell);
  char verdict[64] = "D(G(z)) being computed";
  if (score) std::snprintf(verdict, sizeof(verdict), "D(G(z)) = %.3f (D's belief that it is real)", static_cast<double>(*score));
  ImGui::SetTooltip("cell %d: %s\nleft click: anchor A, right click: anchor B\nwheel: zoom, drag: pan, F: fit",
                    outcome.cell, verdict);
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
    if (ui::tab("Insight", "why training goes well or badly: quality over training, real against fake, D's landscape, "
                "the gradient G receives, the networks' norms",
                select && wanted == PanelTab::kInsight)) {
      tab_ = PanelTab::kInsight;
      insight_->draw(*trainer_, invert_);
      ImGui::EndTabItem();
    }
    // At the bar's right end: it takes no row from the tabs, which fill the column's height.
    if (ImGui::TabItemButton("?", ImGuiTabItemFlags_Trailing)) shortcuts_open_ = !shortcuts_open_;
    ui::tooltip("Shortcuts (F1): every key and mouse action of the window");
    ui::remember("?");
    ImGui::EndTabBar();
  }
  ImGui::End();
  draw_shortcuts_window(&shortcuts_open_);
}

}  // namespace ganvas
