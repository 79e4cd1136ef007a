// The UI test driver.
#include "tests/ui_driver.h"

#include <gtest/gtest.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
}

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>

#include "tests/test_support.h"

namespace ganvas::test {

UiDriver::UiDriver(Size size, VizConfig config, const std::string& output_dir, const std::string& settings_file)
    : size_(size) {
  context_ = create_headless(size);
  target_ = std::make_unique<RenderTarget>(size);
  viz_ = std::make_unique<GanVisualizer>(std::move(config));
  imgui_ = std::make_unique<ImGuiLayer>(*context_, settings_file);
  recording_ = std::make_unique<RecordingPanel>(output_dir);
  controls_.max_fps = -1;  // the visualizer's own choice, as in a window
  viz_->attach(PluginHost{context_.get(), context_->gl_loader(), ImGui::GetCurrentContext(), &controls_, &draw_overlay});
  LoopOptions options;
  options.recording_panel = recording_.get();
  options.controls = &controls_;
  loop_ = std::make_unique<FrameLoop>(*context_, *imgui_, *viz_, options, target_.get());
  controls_.max_fps = 0;  // tests run frames as fast as they can
  frames(2);              // widgets are found in the frame before
}

UiDriver::~UiDriver() {
  loop_->finish();
  loop_.reset();
  imgui_->save_settings();
  viz_->detach();
  recording_.reset();
  imgui_.reset();
  viz_.reset();
}

void UiDriver::frames(int n) {
  for (int i = 0; i < n; ++i) {
    loop_->run_frame();
    ImGui::GetIO().MouseWheel = 0;
  }
}

void UiDriver::resize(Size size) {
  auto target = std::make_unique<RenderTarget>(size);
  loop_->set_offscreen(target.get());
  target_ = std::move(target);
  size_ = size;
  frames(2);
}

ui::WidgetInfo UiDriver::widget(const std::string& name) {
  const ui::WidgetInfo* info = ui::find(name);
  EXPECT_NE(info, nullptr) << "no widget '" << name << "' in the latest frame";
  return info ? *info : ui::WidgetInfo{};
}

bool UiDriver::has_widget(const std::string& name) { return ui::find(name) != nullptr; }

void UiDriver::move_to(ImVec2 point) {
  ImGui::GetIO().MousePos = point;
  frames(1);
}

namespace {

ImVec2 frame_centre(const ui::WidgetInfo& info) {
  return ImVec2((info.frame_min.x + info.frame_max.x) * 0.5f, (info.frame_min.y + info.frame_max.y) * 0.5f);
}

}  // namespace

void UiDriver::click_at(ImVec2 point, int button) {
  press_and_release(point, button, [] {});
}

void UiDriver::press_and_release(ImVec2 point, int button, const std::function<void()>& while_pressed) {
  move_to(point);
  ImGui::GetIO().MouseDown[button] = true;
  frames(1);
  while_pressed();
  ImGui::GetIO().MouseDown[button] = false;
  frames(2);  // the release acts, and the next frame shows its effect
}

void UiDriver::drag(ImVec2 from, ImVec2 to, int button) {
  move_to(from);
  ImGuiIO& io = ImGui::GetIO();
  io.MouseDown[button] = true;
  frames(1);
  for (int step = 1; step <= 4; ++step) {
    io.MousePos = ImVec2(from.x + (to.x - from.x) * step / 4.0f, from.y + (to.y - from.y) * step / 4.0f);
    frames(1);
  }
  io.MouseDown[button] = false;
  frames(2);
}

void UiDriver::scroll(ImVec2 point, float notches) {
  move_to(point);
  ImGui::GetIO().MouseWheel = notches;
  frames(1);
  frames(1);  // the next frame shows its effect
}

ui::WidgetInfo UiDriver::aim(const std::string& name) {
  ui::WidgetInfo info = widget(name);
  for (int tries = 0; tries < 8; ++tries) {  // a window still growing moves its widgets: follow them
    move_to(frame_centre(info));
    const ui::WidgetInfo now = widget(name);
    const bool still = now.frame_min.x == info.frame_min.x && now.frame_min.y == info.frame_min.y;
    info = now;
    if (still) break;
  }
  const ImVec2 centre = frame_centre(info);
  EXPECT_TRUE(centre.x >= info.visible_min.x && centre.x <= info.visible_max.x && centre.y >= info.visible_min.y &&
              centre.y <= info.visible_max.y)
      << "'" << name << "' is out of view: a user would scroll to it or fold what is above it";
  return info;
}

void UiDriver::click(const std::string& name, int button) {
  const ui::WidgetInfo info = aim(name);
  press_and_release(frame_centre(info), button, [&] {
    const ui::WidgetInfo pressed = widget(name);
    EXPECT_TRUE(pressed.frame_min.x == info.frame_min.x && pressed.frame_min.y == info.frame_min.y)
        << "'" << name << "' moved from under the pointer while it was pressed: the layout changed mid-click";
  });
}

ImVec2 UiDriver::slider_point(const ui::WidgetInfo& slider, float fraction, int steps) const {
  // Dear ImGui 1.86's slider: a 2-pixel padding, a grab at least GrabMinSize wide (an integer slider's
  // grab takes its share of the track), positions measured from the grab's centre.
  const float padding = 2.0f;
  const float track = slider.frame_max.x - slider.frame_min.x - 2 * padding;
  float grab = ImGui::GetStyle().GrabMinSize;
  if (steps > 0) grab = std::max(grab, track / static_cast<float>(steps + 1));
  const float x = slider.frame_min.x + padding + grab * 0.5f + fraction * (track - grab);
  return ImVec2(x, (slider.frame_min.y + slider.frame_max.y) * 0.5f);
}

void UiDriver::drag_slider(const std::string& name, float fraction) {
  const ui::WidgetInfo info = aim(name);
  ImGuiIO& io = ImGui::GetIO();
  move_to(ImVec2(info.frame_min.x + 4, (info.frame_min.y + info.frame_max.y) * 0.5f));
  io.MouseDown[0] = true;
  frames(1);
  const ImVec2 target = slider_point(info, fraction);
  for (int step = 1; step <= 4; ++step) {  // a drag in a few moves, as a hand makes it
    io.MousePos = ImVec2(info.frame_min.x + 4 + (target.x - info.frame_min.x - 4) * step / 4.0f, target.y);
    frames(1);
  }
  io.MouseDown[0] = false;
  frames(2);
}

void UiDriver::press_key(int key, bool ctrl) {
  ImGuiIO& io = ImGui::GetIO();
  io.KeyCtrl = ctrl;
  io.KeysDown[key] = true;
  frames(1);
  io.KeysDown[key] = false;
  io.KeyCtrl = false;
  frames(2);
}

void UiDriver::type_text(const std::string& text) {
  for (const char c : text) {
    ImGui::GetIO().AddInputCharacter(static_cast<unsigned char>(c));
    frames(1);
  }
}

std::vector<uint8_t> UiDriver::pixels(const PixelRect& rect) {
  const std::vector<uint8_t> all = read_pixels(target_->framebuffer(), size_);
  std::vector<uint8_t> out;
  for (int y = static_cast<int>(rect.y); y < static_cast<int>(rect.y + rect.height); ++y) {
    for (int x = static_cast<int>(rect.x); x < static_cast<int>(rect.x + rect.width); ++x) {
      const size_t at = (static_cast<size_t>(y) * size_.width + x) * 4;
      out.insert(out.end(), all.begin() + static_cast<std::ptrdiff_t>(at), all.begin() + static_cast<std::ptrdiff_t>(at + 4));
    }
  }
  return out;
}

bool differs(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  if (a.size() != b.size()) return true;
  int changed = 0;
  for (size_t i = 0; i < a.size(); ++i) changed += std::abs(int(a[i]) - int(b[i])) > 8;
  return changed > static_cast<int>(a.size() / 100);
}

void unfold_recording(UiDriver& ui) {
  const ui::WidgetInfo title = ui.widget("Recording");
  ui.click_at(ImVec2(title.min.x + ImGui::GetStyle().FramePadding.x + ImGui::GetFontSize() * 0.5f,
                     (title.min.y + title.max.y) * 0.5f));
}

double video_seconds(const std::string& path) {
  AVFormatContext* format = nullptr;
  if (avformat_open_input(&format, path.c_str(), nullptr, nullptr) != 0) return -1;
  avformat_find_stream_info(format, nullptr);
  const double seconds = format->duration > 0 ? static_cast<double>(format->duration) / AV_TIME_BASE : -1;
  avformat_close_input(&format);
  return seconds;
}

std::vector<std::vector<uint8_t>> decode_video(const std::string& path, int& width, int& height) {
  AVFormatContext* format = nullptr;
  EXPECT_EQ(avformat_open_input(&format, path.c_str(), nullptr, nullptr), 0);
  avformat_find_stream_info(format, nullptr);
  const int stream = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  const AVCodec* codec = avcodec_find_decoder(format->streams[stream]->codecpar->codec_id);
  AVCodecContext* context = avcodec_alloc_context3(codec);
  avcodec_parameters_to_context(context, format->streams[stream]->codecpar);
  avcodec_open2(context, codec, nullptr);
  width = context->width;
  height = context->height;
  SwsContext* scaler = sws_getContext(width, height, context->pix_fmt, width, height, AV_PIX_FMT_RGBA, SWS_BILINEAR,
                                      nullptr, nullptr, nullptr);
  AVPacket* packet = av_packet_alloc();
  AVFrame* frame = av_frame_alloc();
  std::vector<std::vector<uint8_t>> frames;
  const auto receive = [&] {
    while (avcodec_receive_frame(context, frame) == 0) {
      // Room past the last row: swscale's vector code writes whole blocks, beyond a width like 504.
      std::vector<uint8_t> rgba(static_cast<size_t>(width) * (height + 1) * 4);
      uint8_t* out[] = {rgba.data()};
      const int stride[] = {width * 4};
      sws_scale(scaler, frame->data, frame->linesize, 0, height, out, stride);
      rgba.resize(static_cast<size_t>(width) * height * 4);
      frames.push_back(std::move(rgba));
    }
  };
  while (av_read_frame(format, packet) >= 0) {
    if (packet->stream_index == stream) {
      avcodec_send_packet(context, packet);
      receive();
    }
    av_packet_unref(packet);
  }
  avcodec_send_packet(context, nullptr);
  receive();
  av_frame_free(&frame);
  av_packet_free(&packet);
  sws_freeContext(scaler);
  avcodec_free_context(&context);
  avformat_close_input(&format);
  return frames;
}

VizConfig paused_config() {
  VizConfig config;
  config.data_dir = mnist_dir();
  config.device = Device::kCpu;
  config.train = false;
  return config;
}

std::string scratch(const std::string& name) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("ganvas-ui-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

void settle(UiDriver& ui) {
  EXPECT_FALSE(ui.viz().session().trainer().controls().running) << "training runs: a Pause click missed";
  if (!ui.viz().session().trainer().controls().running) ui.viz().session().trainer().wait_idle();
  ui.frames(2);
}

}  // namespace ganvas::test
