// The C API (include/ganvas/ganvas.h): handles that are tokens checked against the live contexts,
// every exception caught and turned into a result code and a per-context message.
#include "ganvas/ganvas.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <exception>
#include <cstddef>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"
#include "common/printable.h"
#include "gan/backends/device_info.h"
#include "gan/embed/embedded_gan.h"
#include "gan/model/sampler.h"

namespace {

// What a handle stands for. ganvas_context itself is never defined: a handle is a token, not an address.
struct Context {
  std::unique_ptr<ganvas::EmbeddedGan> gan;
  ganvas_log_fn log = nullptr;
  void* log_user = nullptr;
  std::mutex error_mutex;
  std::string last_error;
};

// A failed call with the code it returns.
struct ApiError : std::runtime_error {
  ApiError(int32_t code, const std::string& message) : std::runtime_error(message), code(code) {}
  int32_t code;
};

// The live contexts, in slots. A handle is a slot's number and the slot's generation packed into the
// pointer's bits (as sokol's ids are): destroying a context moves its slot to the next generation, so
// its handle is refused for good, even once the slot or the memory serves another context.
class Registry {
 public:
  // The new context's handle; throws when no slot is left (on a 32-bit machine, 65535 live contexts).
  ganvas_context* add(std::unique_ptr<Context> context) {
    std::lock_guard lock(mutex_);
    size_t index = 0;
    if (free_.empty()) {
      if (slots_.size() >= kMaxSlots) throw std::runtime_error("too many live ganvas contexts");
      slots_.emplace_back();
      free_.reserve(slots_.size());  // so that remove never allocates
      index = slots_.size() - 1;
    } else {
      index = free_.back();
      free_.pop_back();
    }
    slots_[index].context = std::move(context);
    return make_handle(index, slots_[index].generation);
  }

  // The live context `handle` stands for, or nullptr.
  Context* find(ganvas_context* handle) {
    std::lock_guard lock(mutex_);
    Slot* slot = slot_of(handle);
    return slot ? slot->context.get() : nullptr;
  }

  // Takes the context out (to be destroyed outside the lock), or nullptr when `handle` is not live.
  std::unique_ptr<Context> remove(ganvas_context* handle) {
    std::lock_guard lock(mutex_);
    Slot* slot = slot_of(handle);
    if (slot == nullptr) return nullptr;
    std::unique_ptr<Context> context = std::move(slot->context);
    // A generation is never used twice: a slot that has used them all is retired.
    if (++slot->generation != kGenerationMask) free_.push_back(static_cast<size_t>(slot - slots_.data()));
    return context;
  }

 private:
  // Half the pointer's bits for the slot (numbered from 1, so no handle is null), half for the generation.
  static constexpr int kGenerationBits = sizeof(uintptr_t) * CHAR_BIT / 2;
  static constexpr uintptr_t kGenerationMask = (uintptr_t{1} << kGenerationBits) - 1;
  static constexpr size_t kMaxSlots = kGenerationMask;

  struct Slot {
    uintptr_t generation = 0;
    std::unique_ptr<Context> context;  // null while the slot is free
  };

  static ganvas_context* make_handle(size_t index, uintptr_t generation) {
    return reinterpret_cast<ganvas_context*>(((uintptr_t(index) + 1) << kGenerationBits) | generation);
  }

  // The slot `handle` names when it is live (with mutex_ held), else nullptr.
  Slot* slot_of(ganvas_context* handle) {
    const uintptr_t bits = reinterpret_cast<uintptr_t>(handle);
    const uintptr_t number = bits >> kGenerationBits;
    if (number == 0 || number > slots_.size()) return nullptr;
    Slot& slot = slots_[number - 1];
    return slot.context && slot.generation == (bits & kGenerationMask) ? &slot : nullptr;
  }

  std::mutex mutex_;
  std::vector<Slot> slots_;
  std::vector<size_t> free_;
};

Registry& registry() {
  static Registry contexts;
  return contexts;
}

void log(Context& context, int32_t level, const std::string& message) {
  if (context.log) context.log(context.log_user, level, message.c_str());
}

int32_t fail(Context& context, int32_t code, const std::string& message) {
  const std::string shown = ganvas::one_line_message(message);  // it may quote a file: one printable line
  {
    std::lock_guard lock(context.error_mutex);
    context.last_error = shown;
  }
  log(context, GANVAS_LOG_ERROR, shown);
  return code;
}

// Runs `call` on a live context: GANVAS_OK, or the failure's code (`code` for ganvas::Error) with
// its message kept as the context's last error.
template <class Call>
int32_t run(ganvas_context* handle, int32_t code, Call call) {
  Context* context = registry().find(handle);
  if (context == nullptr) return GANVAS_ERROR_INVALID_HANDLE;
  try {
    // The run folder's upkeep rides on the host's calls: an autosave or a followed checkpoint when due.
    if (const std::string problem = context->gan->keep_run(); !problem.empty()) log(*context, GANVAS_LOG_ERROR, problem);
    call(*context);
    std::lock_guard lock(context->error_mutex);
    context->last_error.clear();
    return GANVAS_OK;
  } catch (const ApiError& e) {
    return fail(*context, e.code, e.what());
  } catch (const ganvas::Error& e) {
    return fail(*context, code, e.what());
  } catch (const std::exception& e) {
    return fail(*context, GANVAS_ERROR_INTERNAL, e.what());
  } catch (...) {
    return fail(*context, GANVAS_ERROR_INTERNAL, "an unknown error");
  }
}

void require(bool condition, const std::string& message) {
  if (!condition) throw ApiError(GANVAS_ERROR_INVALID_ARGUMENT, message);
}

// The host's loader, called through GLAD's signature (no cast between function pointer types).
struct HostLoader {
  ganvas_get_proc_address_fn get_proc_address;
  void* user;
};

GLADapiproc call_host_loader(void* loader, const char* name) {
  const auto* host = static_cast<const HostLoader*>(loader);
  return reinterpret_cast<GLADapiproc>(host->get_proc_address(host->user, name));
}

ganvas::GanView checked_view(int32_t view) {
  require(view >= GANVAS_VIEW_GRID && view <= GANVAS_VIEW_POINT, "no view " + std::to_string(view));
  return static_cast<ganvas::GanView>(view);
}

ganvas::Device checked_device(int32_t device) {
  require(device >= GANVAS_DEVICE_AUTO && device <= GANVAS_DEVICE_CUDA, "no device " + std::to_string(device));
  return device == GANVAS_DEVICE_CPU ? ganvas::Device::kCpu
         : device == GANVAS_DEVICE_CUDA ? ganvas::Device::kCuda
                                        : ganvas::Device::kAuto;
}

ganvas::EmbedConfig embed_config(const ganvas_create_info& info) {
  ganvas::EmbedConfig config;
  config.trainer.data_dir = info.data_dir ? info.data_dir : "";
  config.trainer.data_required = info.data_dir != nullptr;  // a host that names data means to train
  config.trainer.checkpoint = info.checkpoint ? info.checkpoint : "";
  config.trainer.seed = info.seed;
  config.trainer.device = checked_device(info.device);
  config.grid = info.grid == 0 ? 6 : info.grid;
  config.strip = info.strip == 0 ? 8 : info.strip;
  require(config.grid >= 2 && config.grid <= 16, "grid must be 2 to 16 cells a side");
  require(config.strip >= 2 && config.strip <= 32, "strip must be 2 to 32 images");
  if (info.on_new_weights) {
    config.trainer.on_publish = [callback = info.on_new_weights, user = info.frame_user] { callback(user); };
  }
  if (info.struct_size < sizeof(ganvas_create_info)) return config;  // version 2: no run folder
  config.run_dir = info.run_dir ? info.run_dir : "";
  config.follow = info.follow != 0;
  require(!config.follow || !config.run_dir.empty(), "follow needs a run_dir");
  require(info.autosave_seconds >= 0, "autosave_seconds must not be negative");
  if (info.autosave_seconds > 0) config.autosave_seconds = info.autosave_seconds;
  return config;
}

}  // namespace

extern "C" {

int32_t ganvas_api_version(void) { return GANVAS_API_VERSION; }

const char* ganvas_result_string(int32_t result) {
  switch (result) {
    case GANVAS_OK: return "ok";
    case GANVAS_ERROR_INVALID_ARGUMENT: return "invalid argument";
    case GANVAS_ERROR_INVALID_HANDLE: return "invalid handle (null, or destroyed)";
    case GANVAS_ERROR_UNSUPPORTED: return "unsupported";
    case GANVAS_ERROR_FILE: return "file error";
    case GANVAS_ERROR_GL: return "OpenGL error";
    case GANVAS_ERROR_STATE: return "call out of order";
    case GANVAS_ERROR_INTERNAL: return "internal error";
    default: return "unknown result";
  }
}

int32_t ganvas_create(const ganvas_create_info* info, ganvas_context** out) {
  if (out == nullptr || info == nullptr) return GANVAS_ERROR_INVALID_ARGUMENT;
  *out = nullptr;
  if (info->struct_size > sizeof(ganvas_create_info)) return GANVAS_ERROR_UNSUPPORTED;  // from a newer header
  constexpr size_t kVersion2Size = offsetof(ganvas_create_info, run_dir);
  if (info->struct_size != kVersion2Size && info->struct_size != sizeof(ganvas_create_info)) {
    return GANVAS_ERROR_INVALID_ARGUMENT;  // a version 2 or 3 struct, nothing between
  }
  std::unique_ptr<Context> context;
  const auto refuse = [&](int32_t code, const char* message) {
    if (info->log) info->log(info->log_user, GANVAS_LOG_ERROR, message);
    return code;
  };
  try {
    context = std::make_unique<Context>();
    context->log = info->log;
    context->log_user = info->log_user;
    const ganvas::EmbedConfig config = embed_config(*info);
    if (config.trainer.device == ganvas::Device::kCuda && !ganvas::cuda_availability().usable) {
      return refuse(GANVAS_ERROR_UNSUPPORTED, ("CUDA asked for: " + ganvas::cuda_availability().detail).c_str());
    }
    std::vector<std::string> notes;
    context->gan = std::make_unique<ganvas::EmbeddedGan>(config, notes);
    for (const std::string& note : notes) log(*context, GANVAS_LOG_WARNING, note);
  } catch (const ApiError& e) {
    return refuse(e.code, e.what());
  } catch (const ganvas::Error& e) {
    return refuse(GANVAS_ERROR_FILE, e.what());  // the data or the checkpoint could not be read
  } catch (const std::exception& e) {
    return refuse(GANVAS_ERROR_INTERNAL, e.what());
  } catch (...) {
    return refuse(GANVAS_ERROR_INTERNAL, "an unknown error");
  }
  try {
    *out = registry().add(std::move(context));
  } catch (const std::exception& e) {
    return refuse(GANVAS_ERROR_INTERNAL, e.what());
  }
  return GANVAS_OK;
}

int32_t ganvas_destroy(ganvas_context* handle) {
  std::unique_ptr<Context> context = registry().remove(handle);
  if (context == nullptr) return GANVAS_ERROR_INVALID_HANDLE;
  if (const std::string problem = context->gan->finish_run(); !problem.empty()) log(*context, GANVAS_LOG_ERROR, problem);
  context.reset();  // outside the registry's lock: this joins the training thread
  return GANVAS_OK;
}

const char* ganvas_last_error(ganvas_context* handle) {
  Context* context = registry().find(handle);
  if (context == nullptr) return "invalid handle (null, or destroyed)";
  // A copy of this thread's own: another thread's next call cannot change or free it.
  thread_local std::string copy;
  std::lock_guard lock(context->error_mutex);
  copy = context->last_error;
  return copy.c_str();
}

int32_t ganvas_set_training(ganvas_context* context, int32_t running) {
  return run(context, GANVAS_ERROR_INTERNAL, [&](Context& c) {
    if (running && !c.gan->trainer().status().has_data) throw ApiError(GANVAS_ERROR_STATE, "no training data was given");
    if (!running) c.gan->trainer().cancel_requested_steps();  // a pause stops ganvas_train_steps' steps too
    c.gan->trainer().set_running(running != 0);
  });
}

int32_t ganvas_train_steps(ganvas_context* context, int32_t n) {
  return run(context, GANVAS_ERROR_INTERNAL, [&](Context& c) {
    require(n >= 0, "a negative number of steps");
    if (!c.gan->trainer().status().has_data) throw ApiError(GANVAS_ERROR_STATE, "no training data was given");
    c.gan->trainer().request_steps(n, ganvas::Update::kBoth);
  });
}

int32_t ganvas_wait(ganvas_context* context) {
  // The steps queued before this call only: free training, or steps another thread queues later,
  // never keep it waiting.
  // Paused, it also waits for the step that was under way to be published: a read or a render after
  // it sees the weights the pause left.
  return run(context, GANVAS_ERROR_INTERNAL, [&](Context& c) {
    c.gan->trainer().wait_requested_steps();
    c.gan->trainer().wait_settled_if_paused();
  });
}

int32_t ganvas_set_learning_rates(ganvas_context* context, float generator, float discriminator) {
  return run(context, GANVAS_ERROR_INTERNAL, [&](Context& c) {
    const auto valid = [](float lr) { return std::isfinite(lr) && lr > 0.0f && lr <= 1.0f; };
    require(valid(generator) && valid(discriminator), "learning rates must be in (0, 1]");
    c.gan->trainer().set_learning_rates(generator, discriminator);
  });
}

int32_t ganvas_get_stats(ganvas_context* context, ganvas_stats* stats) {
  return run(context, GANVAS_ERROR_INTERNAL, [&](Context& c) {
    require(stats != nullptr, "no stats struct");
    if (stats->struct_size > sizeof(ganvas_stats)) throw ApiError(GANVAS_ERROR_UNSUPPORTED, "ganvas_stats from a newer header");
    require(stats->struct_size == sizeof(ganvas_stats), "ganvas_stats.struct_size is not sizeof(ganvas_stats)");
    const ganvas::LiveStatus status = c.gan->trainer().status();
    *stats = ganvas_stats{};
    stats->struct_size = sizeof(ganvas_stats);
    stats->step = status.step;
    if (status.trained) {
      stats->gen_loss = status.latest.gen_loss;
      stats->disc_loss = status.latest.disc_loss;
      stats->d_real = status.latest.d_real;
      stats->d_fake = status.latest.d_fake;
    }
    stats->steps_per_second = status.steps_per_second;
    stats->training = c.gan->trainer().controls().running ? 1 : 0;
    stats->has_data = status.has_data ? 1 : 0;
  });
}

int32_t ganvas_load_checkpoint(ganvas_context* context, const char* path) {
  return run(context, GANVAS_ERROR_FILE, [&](Context& c) {
    require(path != nullptr && *path, "no path");
    c.gan->trainer().load(path).get();  // rethrows the loader's error
  });
}

int32_t ganvas_save_checkpoint(ganvas_context* context, const char* path) {
  return run(context, GANVAS_ERROR_FILE, [&](Context& c) {
    require(path != nullptr && *path, "no path");
    c.gan->trainer().save(path).get();
  });
}

int32_t ganvas_save_run(ganvas_context* context) {
  return run(context, GANVAS_ERROR_FILE, [&](Context& c) {
    if (!c.gan->has_run()) throw ApiError(GANVAS_ERROR_STATE, "this context keeps no run folder (or follows one)");
    if (const std::string problem = c.gan->save_run(); !problem.empty()) GANVAS_THROW(problem);
  });
}

int32_t ganvas_noise_width(ganvas_context* context, int32_t* width) {
  return run(context, GANVAS_ERROR_INTERNAL, [&](Context& c) {
    require(width != nullptr, "no width to set");
    *width = c.gan->noise();
  });
}

int32_t ganvas_set_anchor(ganvas_context* context, int32_t which, const float* z, int32_t count) {
  return run(context, GANVAS_ERROR_INTERNAL, [&](Context& c) {
    require(which == 0 || which == 1, "anchor 0 (A) or 1 (B)");
    require(z != nullptr && count == c.gan->noise(), "an anchor has exactly the noise width of values");
    require(std::all_of(z, z + count, [](float v) { return std::isfinite(v); }),
            "an anchor's values must be finite (no NaN or Inf)");
    c.gan->set_anchor(which, ganvas::Latent(z, z + count));
  });
}

int32_t ganvas_set_grid_anchor(ganvas_context* context, int32_t which, int32_t cell) {
  return run(context, GANVAS_ERROR_INVALID_ARGUMENT, [&](Context& c) {
    require(which == 0 || which == 1, "anchor 0 (A) or 1 (B)");
    c.gan->set_grid_anchor(which, cell);
  });
}

int32_t ganvas_set_t(ganvas_context* context, float t) {
  return run(context, GANVAS_ERROR_INTERNAL, [&](Context& c) {
    require(std::isfinite(t) && t >= 0.0f && t <= 1.0f, "t must be in [0, 1]");
    c.gan->set_t(t);
  });
}

int32_t ganvas_get_point(ganvas_context* context, float* z, int32_t count) {
  return run(context, GANVAS_ERROR_INTERNAL, [&](Context& c) {
    require(z != nullptr && count == c.gan->noise(), "room for exactly the noise width of values");
    const ganvas::Latent point = c.gan->point();
    std::copy(point.begin(), point.end(), z);
  });
}

int32_t ganvas_pointer_click(ganvas_context* context, int32_t view, float u, float v, int32_t button) {
  return run(context, GANVAS_ERROR_INTERNAL, [&](Context& c) {
    const ganvas::GanView checked = checked_view(view);
    require(std::isfinite(u) && std::isfinite(v) && u >= 0.0f && u <= 1.0f && v >= 0.0f && v <= 1.0f,
            "u and v are texture coordinates in [0, 1]");
    require(button == 0 || button == 1, "button 0 (anchor A) or 1 (anchor B)");
    c.gan->click(checked, u, v, button);
  });
}

int32_t ganvas_view_size(ganvas_context* context, int32_t view, int32_t* width, int32_t* height) {
  return run(context, GANVAS_ERROR_INTERNAL, [&](Context& c) {
    require(width != nullptr && height != nullptr, "no width or height to set");
    const ganvas::EmbeddedGan::Cells cells = c.gan->cells(checked_view(view));
    *width = cells.columns * c.gan->image_side();
    *height = cells.rows * c.gan->image_side();
  });
}

int32_t ganvas_read_view(ganvas_context* context, int32_t view, int32_t format, int32_t inverted, void* out,
                         size_t out_bytes) {
  return run(context, GANVAS_ERROR_INTERNAL, [&](Context& c) {
    require(format == GANVAS_FORMAT_RGBA8 || format == GANVAS_FORMAT_FLOAT, "format RGBA8 or FLOAT");
    const std::vector<float> pixels = c.gan->view_pixels(checked_view(view));
    const size_t needed = pixels.size() * (format == GANVAS_FORMAT_RGBA8 ? 4 : sizeof(float));
    require(out != nullptr && out_bytes >= needed,
            "the view needs " + std::to_string(needed) + " bytes, " + std::to_string(out_bytes) + " were given");
    if (format == GANVAS_FORMAT_FLOAT) {
      std::memcpy(out, pixels.data(), needed);
      return;
    }
    auto* rgba = static_cast<uint8_t*>(out);
    for (size_t i = 0; i < pixels.size(); ++i) {
      rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = ganvas::pixel_byte(pixels[i], inverted != 0);
      rgba[4 * i + 3] = 255;
    }
  });
}

int32_t ganvas_render_attach(ganvas_context* context, ganvas_get_proc_address_fn get_proc_address, void* user) {
  return run(context, GANVAS_ERROR_GL, [&](Context& c) {
    require(get_proc_address != nullptr, "no get_proc_address");
    if (c.gan->gl_attached()) throw ApiError(GANVAS_ERROR_STATE, "already attached: detach first");
    HostLoader loader{get_proc_address, user};  // used only while GL is loaded, within this call
    c.gan->attach_gl(call_host_loader, &loader);
    log(c, GANVAS_LOG_INFO, "images reach the host's textures by " + c.gan->image_path());
  });
}

int32_t ganvas_render_to_texture_rows(ganvas_context* context, int32_t view, uint32_t texture, int32_t inverted,
                                      int32_t rows) {
  return run(context, GANVAS_ERROR_GL, [&](Context& c) {
    const ganvas::GanView checked = checked_view(view);
    require(rows == GANVAS_ROWS_BOTTOM_FIRST || rows == GANVAS_ROWS_TOP_FIRST,
            "rows must be GANVAS_ROWS_BOTTOM_FIRST or GANVAS_ROWS_TOP_FIRST");
    if (!c.gan->gl_attached()) throw ApiError(GANVAS_ERROR_STATE, "ganvas_render_attach first");
    require(texture != 0, "texture 0 is no texture");
    c.gan->render(checked, texture, inverted != 0, rows == GANVAS_ROWS_TOP_FIRST);
  });
}

int32_t ganvas_render_to_texture(ganvas_context* context, int32_t view, uint32_t texture, int32_t inverted) {
  return ganvas_render_to_texture_rows(context, view, texture, inverted, GANVAS_ROWS_BOTTOM_FIRST);
}

int32_t ganvas_render_detach(ganvas_context* context) {
  return run(context, GANVAS_ERROR_GL, [&](Context& c) { c.gan->detach_gl(); });
}

}  // extern "C"
