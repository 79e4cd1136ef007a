// Line charts drawn with Dear ImGui's draw lists.
#include "gan/viz/chart.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "engine/widgets.h"

namespace ganvas {
namespace {

constexpr ImU32 kAxis = IM_COL32(150, 150, 160, 255);
constexpr ImU32 kGrid = IM_COL32(70, 70, 80, 255);
constexpr ImU32 kLine = IM_COL32(110, 180, 255, 255);
constexpr ImU32 kText = IM_COL32(200, 200, 210, 255);

ChartRange fitted(const std::vector<float>& values, ChartRange range) {
  if (!range.fit || values.empty()) return range;
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  const float pad = std::max(1e-3f, (*hi - *lo) * 0.08f);
  return {std::isfinite(*lo) ? *lo - pad : range.lo, std::isfinite(*hi) ? *hi + pad : range.hi, true, range.log};
}

void format_step(char* out, size_t size, float step) {
  if (step >= 10000) {
    std::snprintf(out, size, "%.1fk", static_cast<double>(step) / 1000.0);
  } else {
    std::snprintf(out, size, "%.0f", static_cast<double>(step));
  }
}

// The point of the line nearest the pointer's step, marked, with its step and value in a tooltip.
ChartHover hover_point(const char* title, const std::vector<float>& steps, const std::vector<float>& values,
                       const std::vector<ImVec2>& points, ImVec2 plot_min, ImVec2 plot_max, ImDrawList& draw) {
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  if (mouse.x < plot_min.x || mouse.x > plot_max.x) return {};
  const float first = steps.front(), last = std::max(steps.back(), first + 1);
  const float step_at_mouse = first + (mouse.x - plot_min.x) / (plot_max.x - plot_min.x) * (last - first);
  const size_t i = static_cast<size_t>(std::lower_bound(steps.begin(), steps.end(), step_at_mouse) - steps.begin());
  size_t nearest = std::min(i, steps.size() - 1);
  if (nearest > 0 && step_at_mouse - steps[nearest - 1] < steps[nearest] - step_at_mouse) --nearest;
  const ChartHover hover{true, steps[nearest], values[nearest]};
  draw.AddLine(ImVec2(points[nearest].x, plot_min.y), ImVec2(points[nearest].x, plot_max.y), kAxis);
  draw.AddCircleFilled(points[nearest], 3.0f, kLine);
  ImGui::SetTooltip("%s\nstep %.0f: %.4f", title, static_cast<double>(hover.step), static_cast<double>(hover.value));
  return hover;
}

// The title, its "(?)" when there is help, and the latest value beside them when it fits, else under.
void chart_title(const char* title, const std::vector<float>& steps, const std::vector<float>& values, const char* help) {
  ImGui::TextUnformatted(title);
  if (help) {
    ImGui::SameLine();
    ImGui::TextDisabled("(?)");
    ui::remember((std::string(title) + " (?)").c_str());
    ui::tooltip(help);
  }
  // The cursor is back at the line's start: the title line ends where its last item does.
  const float title_width = ImGui::GetItemRectMax().x - ImGui::GetCursorScreenPos().x;
  if (!values.empty()) {
    char latest[64];
    std::snprintf(latest, sizeof(latest), "%.3f at step %.0f", static_cast<double>(values.back()),
                  static_cast<double>(steps.back()));
    const float beside = title_width + ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize(latest).x;
    if (beside <= ImGui::GetContentRegionAvail().x) ImGui::SameLine();  // else under the title, whole
    ImGui::TextDisabled("%s", latest);
  }
}

// The values of every line (on the axis's scale), to fit the range to; `first` and `last` grow to the
// steps of every line.
template <class AxisValue>
std::vector<float> with_others(const std::vector<float>& shown, const std::vector<ChartLine>& others, AxisValue axis_value,
                               float& first, float& last) {
  std::vector<float> every = shown;
  for (const ChartLine& other : others) {
    if (other.values->empty()) continue;
    for (float v : *other.values) every.push_back(axis_value(v));
    first = std::min(first, other.steps->front());
    last = std::max(last, other.steps->back());
  }
  return every;
}

// The first and last step under the plot, and "step" between them.
void draw_step_axis(ImDrawList& draw, ImVec2 plot_min, ImVec2 plot_max, float first, float last) {
  char text[32];
  format_step(text, sizeof(text), first);
  draw.AddText(ImVec2(plot_min.x, plot_max.y), kText, text);
  format_step(text, sizeof(text), last);
  draw.AddText(ImVec2(plot_max.x - ImGui::CalcTextSize(text).x, plot_max.y), kText, text);
  draw.AddText(ImVec2((plot_min.x + plot_max.x - ImGui::CalcTextSize("step").x) * 0.5f, plot_max.y), kText, "step");
}

}  // namespace

uint32_t chart_line_colour() { return kLine; }

ChartHover line_chart(const char* title, const std::vector<float>& steps, const std::vector<float>& values,
                      ChartRange range, float height, const char* empty_text, const char* help,
                      const std::vector<ChartLine>& others) {
  ChartHover hover;
  chart_title(title, steps, values, help);
  const float line = ImGui::GetTextLineHeight();
  const float axis_width = ImGui::CalcTextSize("-0.00").x + 6;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float width = ImGui::GetContentRegionAvail().x;
  ImGui::InvisibleButton(title, ImVec2(width, height + line));
  ui::remember(title);
  ImDrawList& draw = *ImGui::GetWindowDrawList();
  const ImVec2 plot_min(origin.x + axis_width, origin.y), plot_max(origin.x + width, origin.y + height);
  draw.AddRect(plot_min, plot_max, kAxis);
  if (values.empty()) {
    const ImVec2 text = ImGui::CalcTextSize(empty_text);
    draw.AddText(ImVec2((plot_min.x + plot_max.x - text.x) * 0.5f, (plot_min.y + plot_max.y - text.y) * 0.5f), kText,
                 empty_text);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s: %s", title, empty_text);
    return hover;
  }
  // On a log axis the line is drawn through log10 of the values; ticks and the hover say the values.
  const auto axis_value = [&](float v) { return range.log ? std::log10(std::max(v, 1e-6f)) : v; };
  std::vector<float> shown(values.size());
  std::transform(values.begin(), values.end(), shown.begin(), axis_value);
  float first = steps.front(), last = steps.back();
  range = fitted(with_others(shown, others, axis_value, first, last), range.log ? ChartRange{0, 1, true, true} : range);
  const auto y_of = [&](float v) {
    const float t = (v - range.lo) / std::max(1e-9f, range.hi - range.lo);
    return plot_max.y - std::clamp(t, 0.0f, 1.0f) * (plot_max.y - plot_min.y);
  };
  char text[32];
  for (const float tick : {range.lo, 0.5f * (range.lo + range.hi), range.hi}) {
    const float y = y_of(tick);
    draw.AddLine(ImVec2(plot_min.x, y), ImVec2(plot_max.x, y), kGrid);
    std::snprintf(text, sizeof(text), range.log ? "%.3g" : "%.2f", range.log ? std::pow(10.0, tick) : static_cast<double>(tick));
    draw.AddText(ImVec2(origin.x, std::clamp(y - line * 0.5f, plot_min.y - line * 0.5f, plot_max.y - line * 0.5f)),
                 kText, text);
  }
  last = std::max(last, first + 1);
  const auto x_of = [&](float step) { return plot_min.x + (step - first) / (last - first) * (plot_max.x - plot_min.x); };
  const auto polyline = [&](const std::vector<float>& xs, const std::vector<float>& ys, ImU32 colour) {
    std::vector<ImVec2> line(ys.size());
    for (size_t i = 0; i < ys.size(); ++i) line[i] = ImVec2(x_of(xs[i]), y_of(axis_value(ys[i])));
    draw.AddPolyline(line.data(), static_cast<int>(line.size()), colour, ImDrawFlags_None, 1.5f);
    return line;
  };
  draw.PushClipRect(plot_min, plot_max, true);
  for (const ChartLine& other : others) polyline(*other.steps, *other.values, other.colour);
  const std::vector<ImVec2> points = polyline(steps, values, kLine);
  draw.PopClipRect();
  draw_step_axis(draw, plot_min, plot_max, first, last);
  if (ImGui::IsItemHovered()) hover = hover_point(title, steps, values, points, plot_min, plot_max, draw);
  return hover;
}

}  // namespace ganvas
