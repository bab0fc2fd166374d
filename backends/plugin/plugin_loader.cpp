#include "backends/plugin/plugin_loader.h"

#include <dlfcn.h>

#include <cstring>
#include <memory>

#include "backends/plugin/tconv_plugin.h"

namespace tconv {

namespace {

// The dlopen handle; shared by the factory and every backend instance so that the code they
// call stays mapped.
struct Library {
  void* handle = nullptr;
  const tconv_plugin_v1* table = nullptr;
  std::string path;
  ~Library() {
    if (handle) ::dlclose(handle);
  }
};

std::string message_text(const tconv_message& m) {
  return std::string(m.message, ::strnlen(m.message, sizeof m.message));
}

tconv_problem to_c(const Problem& p) {
  tconv_problem c{};
  c.n = p.n, c.c_in = p.c_in, c.c_out = p.c_out, c.groups = p.groups;
  c.h_in = p.h_in, c.w_in = p.w_in, c.kh = p.kh, c.kw = p.kw;
  c.stride_h = p.stride_h, c.stride_w = p.stride_w, c.dil_h = p.dil_h, c.dil_w = p.dil_w;
  c.pad_top = p.crop_top, c.pad_bottom = p.crop_bottom, c.pad_left = p.crop_left, c.pad_right = p.crop_right;
  c.h_out = p.h_out(), c.w_out = p.w_out();
  c.bias = p.bias ? 1 : 0;
  c.dtype = static_cast<int32_t>(p.dtype);
  c.layout = static_cast<int32_t>(p.layout);
  c.weight_layout = static_cast<int32_t>(p.weight_layout);
  return c;
}

// The C enums mirror the C++ ones value for value; these keep the two from drifting apart.
static_assert(TCONV_DTYPE_BF16 == static_cast<int>(DType::bf16));
static_assert(TCONV_LAYOUT_X == static_cast<int>(Layout::X));
static_assert(TCONV_LAYOUT_OIHW_FLIPPED == static_cast<int>(Layout::OIHW_FLIPPED));
static_assert(TCONV_DIR_BWD_BIAS == static_cast<int>(Direction::bwd_bias));
static_assert(TCONV_STATUS_ERROR == static_cast<int>(StatusCode::error));

// The C ABI's answer (a TCONV_STATUS_* code and a tconv_message) as a Status: the one place the
// plugin's encoding becomes the tree's. `silent` is the message when the plugin wrote none; an
// unknown code reads as StatusCode::error.
Status from_c(int32_t code, const tconv_message& m, const std::string& silent) {
  if (code == TCONV_STATUS_OK) return Status::Ok();
  const bool known = code > TCONV_STATUS_OK && code <= TCONV_STATUS_ERROR;
  std::string text = message_text(m);
  if (text.empty()) text = silent;
  return Status::Error(known ? static_cast<StatusCode>(code) : StatusCode::error, std::move(text));
}

tconv_tensor to_c(const HostTensor& t) {
  tconv_tensor c{};
  c.dtype = static_cast<int32_t>(t.dtype());
  c.layout = static_cast<int32_t>(t.layout());
  const Dims phys = t.physical_dims();
  c.rank = physical_rank(t.layout());
  for (int i = 0; i < 4; ++i) {
    c.dims[i] = t.dims()[i];
    c.physical[i] = i < c.rank ? phys[i] : 1;
  }
  c.numel = t.numel();
  c.data = const_cast<void*>(t.data());  // inputs are documented const
  return c;
}

template <class E>
std::vector<E> from_mask(std::uint32_t mask, int count) {
  std::vector<E> out;
  for (int i = 0; i < count; ++i)
    if (mask & (1u << i)) out.push_back(static_cast<E>(i));
  return out;
}

class PluginBackend final : public Backend {
 public:
  PluginBackend(std::shared_ptr<const Library> lib, std::string variant, void* instance)
      : lib_(std::move(lib)), variant_(std::move(variant)), instance_(instance) {}
  ~PluginBackend() override {
    if (lib_->table->destroy) lib_->table->destroy(instance_);
  }

  std::string name() const override { return lib_->table->name; }
  std::string variant() const override { return variant_; }

  Capabilities capabilities() const override {
    tconv_capabilities c{};
    lib_->table->capabilities(instance_, &c);
    Capabilities caps;
    caps.dtypes = from_mask<DType>(c.dtypes, 4);
    caps.layouts = from_mask<Layout>(c.layouts & 0x3u, 2);
    caps.weight_layouts = from_mask<Layout>(c.weight_layouts & 0x3cu, 6);
    caps.directions = from_mask<Direction>(c.directions, 4);
    caps.groups = c.groups != 0;
    caps.dilation = c.dilation != 0;
    caps.asymmetric_crops = c.asymmetric_crops != 0;
    caps.negative_crops = c.negative_crops != 0;
    caps.max_elements = c.max_elements;
    caps.on_device = c.on_device != 0;
    caps.deterministic = c.deterministic != 0;
    caps.supervised = true;  // code the project does not control
    return caps;
  }

  Status check(const Problem& p, Direction d) const override {
    if (Status s = Backend::check(p, d); !s.ok()) return s;
    if (!lib_->table->check) return Status::Ok();
    tconv_message why{};
    const tconv_problem cp = to_c(p);
    if (lib_->table->check(instance_, &cp, static_cast<int32_t>(d), &why)) return Status::Ok();
    return from_c(TCONV_STATUS_UNSUPPORTED, why, name() + " declines (no reason given)");
  }

  Status run(const Problem& p, Direction d, const Operands& ops, RunContext& ctx) override {
    if (Status s = check_operands(p, d, ops); !s.ok()) return s;
    device_ms_.reset();
    tconv_tensor x{}, w{}, b{}, dy{}, out{};
    tconv_operands c{};
    if (ops.x) x = to_c(*ops.x), c.x = &x;
    if (ops.w) w = to_c(*ops.w), c.w = &w;
    if (ops.b) b = to_c(*ops.b), c.b = &b;
    if (ops.dy) dy = to_c(*ops.dy), c.dy = &dy;
    if (ops.y) out = to_c(*ops.y), c.y = &out;
    if (ops.dx) out = to_c(*ops.dx), c.dx = &out;
    if (ops.dw) out = to_c(*ops.dw), c.dw = &out;
    if (ops.db) out = to_c(*ops.db), c.db = &out;
    const tconv_problem cp = to_c(p);
    tconv_message error{};
    const int32_t code = lib_->table->run(instance_, &cp, static_cast<int32_t>(d), &c, ctx.threads, &error);
    Status s = from_c(code, error, "the plugin returned status " + std::to_string(code) + " without a message");
    if (s.ok()) {
      double ms = 0;
      if (lib_->table->last_device_time_ms && lib_->table->last_device_time_ms(instance_, &ms)) device_ms_ = ms;
    }
    return s;
  }

  MathMode math(const Problem& p) const override {
    if (!lib_->table->math) return default_math(p.dtype);
    tconv_math m{};
    const tconv_problem cp = to_c(p);
    lib_->table->math(instance_, &cp, &m);
    return {std::string(m.name, ::strnlen(m.name, sizeof m.name)), m.u_mul, m.u_acc};
  }

  std::optional<double> last_device_time_ms() const override { return device_ms_; }

 private:
  std::shared_ptr<const Library> lib_;
  std::string variant_;
  void* instance_;
  std::optional<double> device_ms_;
};

// Every mandatory field present and sane, else why not.
std::string validate_table(const tconv_plugin_v1& t) {
  if (t.abi_version != TCONV_PLUGIN_ABI_VERSION)
    return "ABI version " + std::to_string(t.abi_version) + ", this tconv speaks version " +
           std::to_string(TCONV_PLUGIN_ABI_VERSION) + " (rebuild the plugin against this tconv_plugin.h)";
  if (t.struct_size < sizeof(tconv_plugin_v1))
    return "table of " + std::to_string(t.struct_size) + " bytes, expected at least " +
           std::to_string(sizeof(tconv_plugin_v1));
  if (!t.name || !*t.name) return "no name";
  if (t.variant_count < 1 || !t.variants) return "no variants";
  for (int i = 0; i < t.variant_count; ++i)
    if (!t.variants[i] || !*t.variants[i]) return "variant " + std::to_string(i) + " has no name";
  if (!t.create || !t.capabilities || !t.run) return "create, capabilities and run are required";
  return "";
}

}  // namespace

Result<BackendFactory> load_plugin(const std::string& path) {
  using R = Result<BackendFactory>;
  auto lib = std::make_shared<Library>();
  lib->path = path;
  // A bare name would make dlopen search the library path: say "./libx.so" to mean a file here.
  lib->handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib->handle) {
    const char* e = ::dlerror();
    return R::failure("--plugin " + path + ": cannot load: " + (e ? e : "unknown error"));
  }
  ::dlerror();
  auto entry = reinterpret_cast<tconv_plugin_entry_fn>(::dlsym(lib->handle, TCONV_PLUGIN_ENTRY_SYMBOL));
  if (!entry)
    return R::failure("--plugin " + path + ": no symbol " TCONV_PLUGIN_ENTRY_SYMBOL
                      " (export it with TCONV_PLUGIN_EXPORT and extern \"C\")");
  lib->table = entry();
  if (!lib->table) return R::failure("--plugin " + path + ": " TCONV_PLUGIN_ENTRY_SYMBOL "() returned NULL");
  if (std::string why = validate_table(*lib->table); !why.empty())
    return R::failure("--plugin " + path + ": " + why);

  std::shared_ptr<const Library> shared = lib;
  BackendFactory f;
  f.name = lib->table->name;
  f.description = std::string(lib->table->description ? lib->table->description : "") + " (plugin " + path + ")";
  f.variants = [shared] {
    std::vector<std::string> v;
    for (int i = 0; i < shared->table->variant_count; ++i) v.emplace_back(shared->table->variants[i]);
    return v;
  };
  f.create = [shared](const std::string& variant) -> Result<std::unique_ptr<Backend>> {
    const tconv_plugin_v1& t = *shared->table;
    for (int i = 0; i < t.variant_count; ++i) {
      if (variant != t.variants[i]) continue;
      tconv_message err{};
      void* instance = t.create(i, &err);
      if (!instance) {
        const Status s = from_c(TCONV_STATUS_ERROR, err, "create failed");
        return Status::Error(s.code, t.name + std::string(": ") + s.message);
      }
      return std::unique_ptr<Backend>(std::make_unique<PluginBackend>(shared, variant, instance));
    }
    return Status::Invalid(std::string(t.name) + " has no variant '" + variant + "'");
  };
  return f;
}

}  // namespace tconv
