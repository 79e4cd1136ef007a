// D's landscape map: the background of D's scores, the scored dots, the PC axes and the colour scale.
#include "gan/viz/landscape_map.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/widgets.h"

namespace ganvas {
namespace {

constexpr float kLogOddsReach = 10;  // the colour scale spans D's log-odds from -10 to 10
constexpr ImU32 kRealOutline = IM_COL32(255, 255, 255, 255);
constexpr ImU32 kFakeOutline = IM_COL32(255, 60, 200, 255);
constexpr ImU32 kAxis = IM_COL32(150, 150, 160, 255);
constexpr ImU32 kText = IM_COL32(200, 200, 210, 255);

// Where D's score lies on the colour scale, 0 (log-odds -10 or less) to 1 (10 or more).
float scale_position(float score) {
  const float p = std::clamp(score, 1e-6f, 1.0f - 1e-6f);
  return std::clamp(0.5f + 0.5f * std::log(p / (1.0f - p)) / kLogOddsReach, 0.0f, 1.0f);
}

float score_at_position(float t) { return 1.0f / (1.0f + std::exp(-(t * 2 - 1) * kLogOddsReach)); }

// Tick labels in standard deviations along both axes of the map [min, min + side].
void draw_ticks(ImDrawList& draw, ImVec2 min, float side, float reach) {
  const float line = ImGui::GetTextLineHeight();
  const ImVec2 max(min.x + side, min.y + side);
  draw.AddRect(min, max, kAxis);
  char text[8];
  for (int v = static_cast<int>(-reach); v <= static_cast<int>(reach); ++v) {
    const float f = (v / reach) * 0.5f + 0.5f;
    std::snprintf(text, sizeof(text), "%d", v);
    const ImVec2 size = ImGui::CalcTextSize(text);
    const float x = min.x + f * side, y = max.y - f * side;
    draw.AddLine(ImVec2(x, max.y), ImVec2(x, max.y + 3), kAxis);
    draw.AddText(ImVec2(x - size.x * 0.5f, max.y + 3), kText, text);
    draw.AddLine(ImVec2(min.x - 3, y), ImVec2(min.x, y), kAxis);
    draw.AddText(ImVec2(min.x - 5 - size.x, std::clamp(y - line * 0.5f, min.y, max.y - line)), kText, text);
  }
}

// Each image where it falls on the plane, filled with the colour of D's score of that image.
void draw_dots(ImDrawList& draw, const InsightViews& v, ImVec2 min, float side) {
  const float reach = v.landscape.reach;
  const auto at = [&](const std::array<float, 2>& p) {
    return ImVec2(min.x + (p[0] / reach * 0.5f + 0.5f) * side, min.y + (0.5f - p[1] / reach * 0.5f) * side);
  };
  draw.PushClipRect(min, ImVec2(min.x + side, min.y + side), true);
  for (size_t i = 0; i < v.real_points.size() && i < v.real_point_scores.size(); ++i) {
    draw.AddCircleFilled(at(v.real_points[i]), 3.0f, score_colour_u32(v.real_point_scores[i]));
    draw.AddCircle(at(v.real_points[i]), 3.0f, kRealOutline, 0, 1.0f);
  }
  for (size_t i = 0; i < v.fake_points.size() && i < v.fake_point_scores.size(); ++i) {
    draw.AddCircleFilled(at(v.fake_points[i]), 3.5f, score_colour_u32(v.fake_point_scores[i]));
    draw.AddCircle(at(v.fake_points[i]), 3.5f, kFakeOutline, 0, 1.5f);
  }
  draw.PopClipRect();
}

// Under the pointer: D's score of the plane's image there, and of the image of a dot there.
void map_tooltip(const InsightViews& v, ImVec2 min, float side) {
  const ImVec2 m = ImGui::GetIO().MousePos;
  const int n = v.landscape.side;
  const int column = std::clamp(static_cast<int>((m.x - min.x) / side * n), 0, n - 1);
  const int row = std::clamp(static_cast<int>((m.y - min.y) / side * n), 0, n - 1);
  std::string tip = "background (the plane's image here): D = ";
  char text[96];
  std::snprintf(text, sizeof(text), "%.3f", v.landscape.scores[static_cast<size_t>(row) * n + column]);
  tip += text;
  const float reach = v.landscape.reach;
  const auto dot_here = [&](const std::vector<std::array<float, 2>>& points, const std::vector<float>& scores,
                        const char* kind) {
    for (size_t i = 0; i < points.size() && i < scores.size(); ++i) {
      const float x = min.x + (points[i][0] / reach * 0.5f + 0.5f) * side;
      const float y = min.y + (0.5f - points[i][1] / reach * 0.5f) * side;
      if (std::hypot(x - m.x, y - m.y) > 4.0f) continue;
      std::snprintf(text, sizeof(text), "\n%s image here: D = %.3f", kind, scores[i]);
      tip += text;
      return;
    }
  };
  dot_here(v.real_points, v.real_point_scores, "a real");
  dot_here(v.fake_points, v.fake_point_scores, "a fake");
  ImGui::SetTooltip("%s", tip.c_str());
}

// A bar of the colours 0..1 with its meaning, `width` wide from `left`.
void draw_colour_scale(float left, float width) {
  ImGui::SetCursorScreenPos(ImVec2(left, ImGui::GetCursorScreenPos().y));
  ImGui::TextUnformatted("D's score: 0 fake .. 1 real");
  const float line = ImGui::GetTextLineHeight(), bar = line * 0.8f;
  ImGui::SetCursorScreenPos(ImVec2(left, ImGui::GetCursorScreenPos().y));
  const ImVec2 min = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("Landscape colour scale", ImVec2(width, bar + line));
  ui::remember("Landscape colour scale");
  ui::tooltip("The colour of D's score, its belief from 0 to 1 that an image is real. The colours follow the\n"
              "log-odds, so 0.99 and 0.9999 still differ: grey is even odds.");
  ImDrawList& draw = *ImGui::GetWindowDrawList();
  constexpr int kSegments = 48;
  for (int i = 0; i < kSegments; ++i) {
    const float a = min.x + width * i / kSegments, b = min.x + width * (i + 1) / kSegments;
    const ImU32 left_colour = score_colour_u32(score_at_position(static_cast<float>(i) / kSegments));
    const ImU32 right_colour = score_colour_u32(score_at_position(static_cast<float>(i + 1) / kSegments));
    draw.AddRectFilledMultiColor(ImVec2(a, min.y), ImVec2(b, min.y + bar), left_colour, right_colour, right_colour,
                                 left_colour);
  }
  draw.AddRect(min, ImVec2(min.x + width, min.y + bar), kAxis);
  const auto label = [&](float score, const char* text, float align) {
    const float x = min.x + scale_position(score) * width - ImGui::CalcTextSize(text).x * align;
    draw.AddText(ImVec2(x, min.y + bar), kText, text);
  };
  label(0.0f, "0", 0.0f);
  label(0.5f, "0.5", 0.5f);
  label(1.0f, "1", 1.0f);
  if (width > ImGui::CalcTextSize("0.99").x * 8) {
    label(0.01f, "0.01", 0.5f);
    label(0.99f, "0.99", 0.5f);
  }
}

}  // namespace

void score_colour(float score, uint8_t* rgba) {
  const float t = scale_position(score);
  const float fake[3] = {150, 60, 180}, middle[3] = {70, 70, 78}, real[3] = {40, 170, 70};
  for (int c = 0; c < 3; ++c) {
    const float v = t < 0.5f ? fake[c] + (middle[c] - fake[c]) * (t * 2) : middle[c] + (real[c] - middle[c]) * (t * 2 - 1);
    rgba[c] = static_cast<uint8_t>(v);
  }
  rgba[3] = 255;
}

ImU32 score_colour_u32(float score) {
  uint8_t c[4];
  score_colour(score, c);
  return IM_COL32(c[0], c[1], c[2], c[3]);
}

std::vector<uint8_t> landscape_rgba(const Landscape& landscape) {
  std::vector<uint8_t> rgba(landscape.scores.size() * 4);
  for (size_t i = 0; i < landscape.scores.size(); ++i) score_colour(landscape.scores[i], &rgba[i * 4]);
  return rgba;
}

void draw_landscape_map(const InsightViews& views, const PanelImage& map, float max_side) {
  ImGui::TextWrapped("%s", kLandscapeCaption);
  ui::remember("Landscape caption");
  ui::tooltip("Why a dot's colour can differ from the ground under it: the plane's image at a point is the\n"
              "mean image plus the two components, a blur no real digit looks like, while a dot is scored on\n"
              "its own image.");
  const float line = ImGui::GetTextLineHeight();
  const float margin = ImGui::CalcTextSize("-3").x + 8, right = ImGui::CalcTextSize("3").x;
  const float side = std::max(line * 4, std::min(ImGui::GetContentRegionAvail().x - margin - right, max_side));
  ImGui::TextUnformatted("PC2 (standard deviations)");
  ui::remember("PC2 axis");
  ui::tooltip("The data's second principal component: the direction, across the first, in which the training\n"
              "images vary most. Numbers are the data's standard deviations along it.");
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 min(origin.x + margin, origin.y);
  ImGui::SetCursorScreenPos(min);
  map.draw(side, side);
  ui::remember("D's landscape map");
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList& draw = *ImGui::GetWindowDrawList();
  draw_dots(draw, views, min, side);
  draw_ticks(draw, min, side, views.landscape.reach);
  if (hovered) map_tooltip(views, min, side);
  ImGui::SetCursorScreenPos(ImVec2(origin.x, min.y + side + ImGui::GetStyle().ItemSpacing.y));
  ImGui::Dummy(ImVec2(margin + side + right, line));  // the ticks' numbers
  const char* pc1 = "PC1 (standard deviations)";
  ImGui::SetCursorScreenPos(ImVec2(min.x + std::max(0.0f, (side - ImGui::CalcTextSize(pc1).x) * 0.5f),
                                   ImGui::GetCursorScreenPos().y));
  ImGui::TextUnformatted(pc1);
  ui::remember("PC1 axis");
  ui::tooltip("The data's first principal component: the direction in which the training images vary most.\n"
              "Numbers are the data's standard deviations along it.");
  draw_colour_scale(min.x, side);
}

}  // namespace ganvas
