// The step graph: nodes in three rows, arrows between them, each node's live tensor, the walk.
#include "gan/viz/step_graph.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>

#include "engine/widgets.h"

namespace ganvas {
namespace {

struct Stage {
  const char* name;
  int column, row;
};

// In the order a step runs them; the bottom row runs right to left, back towards the networks.
constexpr Stage kStageList[StepGraph::kStages] = {
    {"noise z", 0, 0}, {"G", 1, 0},      {"fakes G(z)", 2, 0}, {"real x", 0, 1},  {"D", 1, 1},
    {"scores", 2, 1},  {"losses", 2, 2}, {"gradients", 1, 2},  {"updates", 0, 2},
};

std::string activation_words(Activation a) { return a == Activation::kLeakyRelu ? "leaky ReLU (slope 0.2)" : "ReLU"; }

// "784-256-1, ReLU hidden layer" or "..., 2 leaky ReLU (slope 0.2) hidden layers".
std::string network_words(const MlpShape& net) {
  const std::string layers = net.hidden_layers == 1 ? " hidden layer" : " hidden layers";
  return layer_widths(net) + ", " + (net.hidden_layers == 1 ? "" : std::to_string(net.hidden_layers) + " ") +
         activation_words(net.activation) + layers;
}

// The losses' formulas under the run's objective (D's target for reals, when smoothed).
std::string loss_caption(const TrainingRecipe& recipe) {
  const bool smoothed = recipe.real_target < 1.0f && recipe.loss != Loss::kHinge;
  char target[96] = "";
  if (smoothed) {
    std::snprintf(target, sizeof(target), " D's target for real images is %.2g, not 1 (one-sided label smoothing).",
                  static_cast<double>(recipe.real_target));
  }
  std::string text;
  switch (recipe.loss) {
    case Loss::kNonSaturating:
      text = "Non-saturating loss (the tutorial's): D's loss -log D(x) - log(1 - D(G(z))); G's loss -log D(G(z)).";
      break;
    case Loss::kMinimax:
      text = "Minimax loss (the original): D's loss -log D(x) - log(1 - D(G(z))); G minimizes log(1 - D(G(z))), "
             "which gives G little gradient while D wins.";
      break;
    case Loss::kLeastSquares:
      text = "Least-squares loss on D's raw score s: D's loss (s(x) - 1)^2 / 2 + s(G(z))^2 / 2; G's loss "
             "(s(G(z)) - 1)^2 / 2.";
      break;
    case Loss::kHinge:
      text = "Hinge loss on D's raw score s: D's loss max(0, 1 - s(x)) + max(0, 1 + s(G(z))); G's loss -s(G(z)).";
      break;
  }
  return text + target;
}

// How the networks move: the optimizer, and whether the run's own steps are simultaneous as this
// view's is, or k D steps per G step.
std::string update_caption(const StepRun& run) {
  const TrainingRecipe& recipe = run.recipe;
  char optimizer[64];
  if (recipe.optimizer == Optimizer::kSgd) {
    std::snprintf(optimizer, sizeof(optimizer), "SGD (momentum %.2g)", static_cast<double>(recipe.beta1));
  } else {
    std::snprintf(optimizer, sizeof(optimizer), "Adam (beta1 %.2g)", static_cast<double>(recipe.beta1));
  }
  std::string text = std::string(optimizer) + " moves each network against its gradient. ";
  if (run.schedule.alternate) {
    const int k = run.schedule.d_steps;
    text += "This view computes both gradients from the same weights, but this run alternates: it takes " +
            std::to_string(k) + (k == 1 ? " D step" : " D steps") +
            " (D alone updated) for each G step (G alone), each on a batch of its own.";
  } else {
    text += "Both gradients came from the weights before either update: this run takes a simultaneous step, "
            "as the tutorial does. Then the next step begins.";
  }
  if (recipe.generator_ema > 0) {
    char ema[128];
    std::snprintf(ema, sizeof(ema), " The images shown come from an average of G's weights (EMA, decay %.4g).",
                  static_cast<double>(recipe.generator_ema));
    text += ema;
  }
  return text;
}

// Arrows between stages: from, to.
constexpr int kArrows[][2] = {{0, 1}, {1, 2}, {2, 4}, {3, 4}, {4, 5}, {5, 6}, {6, 7}, {7, 8}};

constexpr ImU32 kNode = IM_COL32(40, 44, 56, 255);
constexpr ImU32 kBorder = IM_COL32(110, 120, 140, 255);
constexpr ImU32 kActive = IM_COL32(255, 210, 60, 255);
constexpr ImU32 kText = IM_COL32(220, 220, 230, 255);
constexpr ImU32 kReal = IM_COL32(60, 200, 90, 255);
constexpr ImU32 kFake = IM_COL32(200, 90, 230, 255);

// Bars of `counts` in the rectangle [min, max], scaled to the largest.
void bars(ImDrawList& draw, const std::vector<float>& counts, ImVec2 min, ImVec2 max, ImU32 colour) {
  const float top = std::max(1.0f, *std::max_element(counts.begin(), counts.end()));
  const float width = (max.x - min.x) / static_cast<float>(counts.size());
  for (size_t i = 0; i < counts.size(); ++i) {
    const float x = min.x + width * static_cast<float>(i);
    draw.AddRectFilled(ImVec2(x + 1, max.y - (max.y - min.y) * counts[i] / top), ImVec2(x + width - 1, max.y), colour);
  }
}

// An arrowhead halfway along a to b, where the gap between two boxes shows it.
void arrowhead(ImDrawList& draw, ImVec2 a, ImVec2 b, ImU32 colour) {
  const float dx = b.x - a.x, dy = b.y - a.y, length = std::max(1.0f, std::sqrt(dx * dx + dy * dy));
  const float ux = dx / length, uy = dy / length;
  const ImVec2 tip((a.x + b.x) / 2 + ux * 5, (a.y + b.y) / 2 + uy * 5), back(tip.x - ux * 9, tip.y - uy * 9);
  draw.AddTriangleFilled(tip, ImVec2(back.x - uy * 5, back.y + ux * 5), ImVec2(back.x + uy * 5, back.y - ux * 5), colour);
}

void text_lines(ImDrawList& draw, ImVec2 at, std::initializer_list<const char*> lines) {
  for (const char* line : lines) {
    draw.AddText(at, kText, line);
    at.y += ImGui::GetTextLineHeight();
  }
}

}  // namespace

std::string stage_caption(int stage, const ModelShape& shape, const std::optional<StepRun>& run) {
  const std::string side = std::to_string(shape.image_side());
  const std::string digit = shape.conditional() ? ", joined to its digit's one-hot vector" : "";
  switch (stage) {
    case 0:
      return "G's input: a batch of noise vectors, " + std::to_string(shape.noise) + " numbers each, uniform in [-1, 1)" +
             (shape.conditional() ? ", each joined to a digit's one-hot vector (" + std::to_string(shape.classes) + " numbers)." : ".");
    case 1:
      return "The generator, " + network_words(shape.generator()) + ", sigmoid output: turns each vector into an image.";
    case 2: return "G's images: " + side + " x " + side + " pixels in [0, 1], one per noise vector.";
    case 3: return "A batch of real training images, as many as the fakes" + std::string(shape.conditional() ? ", with their digits." : ".");
    case 4:
      return "The discriminator, " + network_words(shape.discriminator()) + ", gives each image" + digit +
             " a raw score; its sigmoid is D's belief that the image is real.";
    case 5: return "D(x) for the reals (green) and D(G(z)) for the fakes (purple): D's belief that each is real.";
    case 6: return run ? loss_caption(run->recipe) : "D's loss and G's loss, from the scores.";
    case 7: return "Backpropagation: each loss's gradient with respect to its own network's weights.";
    default:
      return run ? update_caption(*run)
                 : "Each network moves against its gradient; this view computes both from the weights before either update.";
  }
}

std::string StepGraph::caption(int stage) const { return stage_caption(stage, shown_ ? shown_->shape : ModelShape{}, run_); }

void StepGraph::set(const StepExplained& step, uint64_t at_step, uint64_t version) {
  if (walking()) return;
  shown_ = step;
  at_step_ = at_step;
  version_ = version;
  uploaded_ = false;
}

void StepGraph::reset_gl() {
  reals_.reset();
  fakes_.reset();
  uploaded_ = false;
}

void StepGraph::upload(bool invert) {
  if (!shown_ || (uploaded_ && invert == uploaded_inverted_)) return;
  const int count = StepExplained::kThumbnails;
  const int side = static_cast<int>(std::lround(std::sqrt(shown_->fakes.size() / static_cast<double>(count))));
  reals_.upload(grey_row_rgba(shown_->real_thumbnails, count, side, invert), count * side, side);
  fakes_.upload(grey_row_rgba(shown_->fakes, count, side, invert), count * side, side);
  uploaded_ = true;
  uploaded_inverted_ = invert;
}

void StepGraph::advance(double time) {
  if (!walking() || !autoplay_ || time - stage_started_ < seconds_per_stage_) return;
  stage_started_ = time;
  if (++stage_ >= kStages) stage_ = -1;  // the walk ends; live data again
}

void StepGraph::draw_controls(double time) {
  if (ui::button(walking() ? "Stop the walk" : "Walk through one step",
                 "Freezes one training step and goes through it stage by stage, the node in play highlighted")) {
    stage_ = walking() ? -1 : 0;
    stage_started_ = time;
  }
  ImGui::SameLine();
  if (ui::button("Next stage", "Goes on to the next stage of the walk (or starts it)")) {
    stage_ = walking() ? (stage_ + 1 < kStages ? stage_ + 1 : -1) : 0;
    stage_started_ = time;
  }
  ui::checkbox("Play on its own", &autoplay_, "Moves to the next stage by itself, at the pace below");
  ui::slider_float("Seconds per stage", &seconds_per_stage_, 0.5f, 6.0f, "%.1f s", "How long the walk stays on each stage");
  advance(time);
}

void StepGraph::draw(float lr_g, float lr_d, bool invert) {
  draw_controls(ImGui::GetTime());
  if (!shown_) {
    ImGui::TextUnformatted("Computing...");
    return;
  }
  upload(invert);
  draw_graph(lr_g, lr_d);
  if (walking()) {
    ImGui::TextWrapped("Stage %d of %d, %s: %s", stage_ + 1, kStages, kStageList[stage_].name, caption(stage_).c_str());
  } else {
    ImGui::TextWrapped("A step at the weights of step %llu on a batch of %d, nothing updated. Hover a node for what it "
                       "does; Walk through one step goes through it slowly.",
                       static_cast<unsigned long long>(at_step_), shown_->batch);
  }
}

void StepGraph::draw_graph(float lr_g, float lr_d) {
  const float line = ImGui::GetTextLineHeight();
  const float width = ImGui::GetContentRegionAvail().x;
  const float gap = line * 1.2f, node_w = (width - 2 * gap) / 3, node_h = line * 4.4f;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("Step graph", ImVec2(width, 3 * node_h + 2 * gap));
  ui::remember("Step graph");
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList& draw = *ImGui::GetWindowDrawList();
  const auto box_min = [&](int s) {
    return ImVec2(origin.x + kStageList[s].column * (node_w + gap), origin.y + kStageList[s].row * (node_h + gap));
  };
  const auto centre = [&](int s) { return ImVec2(box_min(s).x + node_w / 2, box_min(s).y + node_h / 2); };
  for (const auto& arrow : kArrows) {
    const ImVec2 a = centre(arrow[0]), b = centre(arrow[1]);
    const bool live = walking() && arrow[1] == stage_;
    const ImU32 colour = live ? kActive : kBorder;
    draw.AddLine(a, b, colour, live ? 3.0f : 1.5f);
    arrowhead(draw, a, b, colour);
  }
  for (int s = 0; s < kStages; ++s) {
    const ImVec2 min = box_min(s), max(min.x + node_w, min.y + node_h);
    const bool active = walking() && s == stage_;
    draw.AddRectFilled(min, max, walking() && !active ? IM_COL32(30, 32, 40, 255) : kNode, 4.0f);
    draw.AddRect(min, max, active ? kActive : kBorder, 4.0f, 0, active ? 3.0f : 1.0f);
    draw.AddText(ImVec2(min.x + 4, min.y + 2), active ? kActive : kText, kStageList[s].name);
    draw_node_content(draw, s, ImVec2(min.x + 4, min.y + line + 4), ImVec2(max.x - 4, max.y - 4), lr_g, lr_d);
    if (hovered && ImGui::IsMouseHoveringRect(min, max)) ImGui::SetTooltip("%s: %s", kStageList[s].name, caption(s).c_str());
  }
}

// What a node shows of its tensor: a histogram, thumbnails, or numbers.
void StepGraph::draw_node_content(ImDrawList& draw, int s, ImVec2 body, ImVec2 body_max, float lr_g, float lr_d) const {
  const StepExplained& e = *shown_;
  const ImVec2 thumbnails_max(body_max.x, body.y + (body_max.x - body.x) / StepExplained::kThumbnails);
  char text[3][64];
  switch (s) {
    case 0: bars(draw, e.noise_histogram, body, body_max, IM_COL32(110, 180, 255, 255)); return;
    case 2: fakes_.add_to(draw, body, thumbnails_max); return;
    case 3: reals_.add_to(draw, body, thumbnails_max); return;
    case 5: draw_scores(draw, body, body_max); return;
    case 1:
    case 4: {
      const TensorNorms& w = s == 1 ? e.generator_weights : e.discriminator_weights;
      const MlpShape net = s == 1 ? e.shape.generator() : e.shape.discriminator();
      std::snprintf(text[0], sizeof(text[0]), "%s", layer_widths(net).c_str());
      std::snprintf(text[1], sizeof(text[1]), "|W1| %.2f", static_cast<double>(w.first_weight()));
      std::snprintf(text[2], sizeof(text[2]), "|Wout| %.2f", static_cast<double>(w.output_weight()));
      text_lines(draw, body, {text[0], text[1], text[2]});
      return;
    }
    default: {  // losses, gradients, updates
      const bool losses = s == 6, grads = s == 7;
      std::snprintf(text[0], sizeof(text[0]), losses ? "D loss %.3f" : grads ? "|dD| %.3g" : "lr D %.1e",
                    static_cast<double>(losses ? e.metrics.disc_loss : grads ? e.gradients.discriminator.total() : lr_d));
      std::snprintf(text[1], sizeof(text[1]), losses ? "G loss %.3f" : grads ? "|dG| %.3g" : "lr G %.1e",
                    static_cast<double>(losses ? e.metrics.gen_loss : grads ? e.gradients.generator.total() : lr_g));
      text_lines(draw, body, {text[0], text[1]});
    }
  }
}

// D's outputs: histograms of D(x) (green) and D(G(z)) (purple) over [0, 1], with the batch means.
void StepGraph::draw_scores(ImDrawList& draw, ImVec2 body, ImVec2 body_max) const {
  const StepExplained& e = *shown_;
  const float middle_y = (body.y + body_max.y) / 2;
  bars(draw, e.real_histogram, body, ImVec2(body_max.x, middle_y - 1), IM_COL32(40, 110, 60, 255));
  bars(draw, e.fake_histogram, ImVec2(body.x, middle_y + 1), body_max, IM_COL32(110, 55, 130, 255));
  char text[32];
  std::snprintf(text, sizeof(text), "D(x) %.2f", static_cast<double>(e.metrics.d_real));
  draw.AddText(body, kReal, text);
  std::snprintf(text, sizeof(text), "D(G(z)) %.2f", static_cast<double>(e.metrics.d_fake));
  draw.AddText(ImVec2(body.x, middle_y + 1), kFake, text);
}

}  // namespace ganvas
