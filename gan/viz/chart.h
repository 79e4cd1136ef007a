// A line chart for the panels: a title, a y scale, step numbers on the x axis, and the step and
// value under the mouse.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace ganvas {

struct ChartHover {
  bool active = false;
  float step = 0;
  float value = 0;
};

struct ChartRange {
  float lo = 0, hi = 1;
  bool fit = false;  // fit the range to the data (losses); else fixed (probabilities)
  bool log = false;  // a logarithmic y axis (positive values; fitted to the data)
};

// Points charted over training (one per evaluation or per view), at most `capacity` of them, so a
// run of hours costs what one of minutes does: when full, every other point goes and from then on
// every other new one is kept, so the points stay evenly spread over all of training. The latest
// point is always the last, kept until the next one that stays replaces it.
template <class Point>
class ChartHistory {
 public:
  explicit ChartHistory(size_t capacity) : capacity_(capacity < 2 ? 2 : capacity) {}

  void add(Point point) {
    if (latest_only_) points_.pop_back();
    if (points_.size() >= capacity_) {
      // Points 0, 2, 4, ... stay, as 0, 1, 2, ...; point 0 is not moved onto itself, which would
      // empty a point that holds a vector.
      const size_t size = points_.size();
      for (size_t i = 2; i < size; i += 2) points_[i / 2] = std::move(points_[i]);
      points_.erase(points_.begin() + static_cast<std::ptrdiff_t>((size + 1) / 2), points_.end());
      stride_ *= 2;
    }
    latest_only_ = added_ % stride_ != 0;
    points_.push_back(std::move(point));
    ++added_;
  }
  void clear() { *this = ChartHistory(capacity_); }

  const std::vector<Point>& points() const { return points_; }
  size_t size() const { return points_.size(); }
  bool empty() const { return points_.empty(); }
  const Point& back() const { return points_.back(); }
  size_t capacity() const { return capacity_; }

 private:
  size_t capacity_;
  std::vector<Point> points_;
  uint64_t added_ = 0;       // points offered since the start
  uint64_t stride_ = 1;      // every stride-th point offered is kept
  bool latest_only_ = false;  // the last point is off the stride: kept only until the next
};

// Draws `values` against `steps` (same length) in the panel's full width and `height` pixels.
// `empty_text` stands in the plot when there is nothing to draw; `help`, when given, is the tooltip of
// a "(?)" after the title (remembered as "<title> (?)"). Returns what the mouse is over.
ChartHover line_chart(const char* title, const std::vector<float>& steps, const std::vector<float>& values,
                      ChartRange range, float height, const char* empty_text, const char* help = nullptr);

}  // namespace ganvas
