#include "conformance/conventions/pytorch_equivalent.h"

#include <algorithm>

namespace tconv::conventions {

namespace {

struct TorchPadding {
  std::int64_t padding = 0, output_padding = 0;
};

bool torch_accepts(std::int64_t op, std::int64_t s, std::int64_t d) { return op >= 0 && (op < s || op < d); }

std::string torch_params(const Problem& p, TorchPadding h, TorchPadding w) {
  std::string s = "n=" + std::to_string(p.n) + " c_in=" + std::to_string(p.c_in) + " c_out=" + std::to_string(p.c_out) +
                  " input=" + pair_param(p.h_in, p.w_in) + " kernel=" + pair_param(p.kh, p.kw) +
                  " stride=" + pair_param(p.stride_h, p.stride_w) + " padding=" + pair_param(h.padding, w.padding);
  if (h.output_padding || w.output_padding) s += " output_padding=" + pair_param(h.output_padding, w.output_padding);
  if (p.dil_h != 1 || p.dil_w != 1) s += " dilation=" + pair_param(p.dil_h, p.dil_w);
  if (p.groups != 1) s += " groups=" + std::to_string(p.groups);
  if (!p.bias) s += " bias=false";
  if (p.dtype != DType::f32) s += " dtype=" + std::string(to_string(p.dtype));
  if (p.layout != Layout::NCHW) s += " layout=" + std::string(to_string(p.layout));
  return s;
}

std::string torch_call(const Problem& p, TorchPadding h, TorchPadding w) {
  std::string s = "torch.nn.ConvTranspose2d(" + std::to_string(p.c_in) + ", " + std::to_string(p.c_out) +
                  ", kernel_size=" + tuple_text(p.kh, p.kw) + ", stride=" + tuple_text(p.stride_h, p.stride_w) +
                  ", padding=" + tuple_text(h.padding, w.padding);
  if (h.output_padding || w.output_padding) s += ", output_padding=" + tuple_text(h.output_padding, w.output_padding);
  if (p.groups != 1) s += ", groups=" + std::to_string(p.groups);
  if (!p.bias) s += ", bias=False";
  if (p.dil_h != 1 || p.dil_w != 1) s += ", dilation=" + tuple_text(p.dil_h, p.dil_w);
  s += ")";
  if (p.layout == Layout::NHWC) s += " on x.to(memory_format=torch.channels_last)";
  return s;
}

// Same output size, both crops as close as PyTorch allows: padding = ceil(total/2).
std::optional<TorchPadding> same_size(Crops c, std::int64_t s, std::int64_t d) {
  const std::int64_t total = c.begin + c.end;
  const std::int64_t pad = std::max<std::int64_t>(total > 0 ? (total + 1) / 2 : 0, 0);
  const TorchPadding t{pad, 2 * pad - total};
  return torch_accepts(t.output_padding, s, d) ? std::optional(t) : std::nullopt;
}

// The call with the least cropping work left: padding = the common part of both crops.
TorchPadding base_for_fixup(Crops c, std::int64_t s, std::int64_t d) {
  const std::int64_t pad = std::max<std::int64_t>(std::min(c.begin, c.end), 0);
  return {pad, std::clamp<std::int64_t>(pad - c.end, 0, std::max(s, d) - 1)};
}

std::string shift_text(std::int64_t rows, std::int64_t cols) {
  auto one = [](std::int64_t n, const char* pos, const char* neg, const char* what) -> std::string {
    if (n == 0) return "";
    const std::int64_t a = n > 0 ? n : -n;
    return std::to_string(a) + " " + what + (a == 1 ? "" : "s") + " " + (n > 0 ? pos : neg);
  };
  std::string r = one(rows, "lower", "higher", "row"), c = one(cols, "further right", "further left", "column");
  return r.empty() ? c : c.empty() ? r : r + " and " + c;
}

}  // namespace

Equivalent pytorch_equivalent(const Problem& p) {
  Equivalent e;
  e.convention = "pytorch";
  const Crops ch = crops_h(p), cw = crops_w(p);
  const TorchPadding h{ch.begin, ch.begin - ch.end}, w{cw.begin, cw.begin - cw.end};
  const bool h_ok = ch.begin >= 0 && torch_accepts(h.output_padding, p.stride_h, p.dil_h);
  const bool w_ok = cw.begin >= 0 && torch_accepts(w.output_padding, p.stride_w, p.dil_w);
  if (p.weight_layout != Layout::IOHW)
    e.notes.push_back("PyTorch's weight is [C_in, C_out/groups, kH, kW] (IOHW) whatever the memory format");
  if (h_ok && w_ok) {
    e.exact = true;
    e.params = torch_params(p, h, w);
    e.call = torch_call(p, h, w);
    return e;
  }
  std::string why;
  auto explain_dim = [&](Crops c, TorchPadding t, std::int64_t s, std::int64_t d, const char* dim) {
    if (!why.empty()) return;
    if (c.begin < 0) why = std::string("a negative ") + dim + " crop at the begin needs padding < 0, which PyTorch rejects";
    else if (t.output_padding < 0)
      why = std::string("PyTorch crops padding at both ends and output_padding only un-crops the end: ") + dim + " crops (begin " +
            std::to_string(c.begin) + ", end " + std::to_string(c.end) + ") would need output_padding " + std::to_string(t.output_padding);
    else if (!torch_accepts(t.output_padding, s, d))
      why = std::string("PyTorch requires output_padding < stride or < dilation: ") + dim + " needs output_padding " +
            std::to_string(t.output_padding) + " with stride " + std::to_string(s) + ", dilation " + std::to_string(d);
  };
  if (!h_ok) explain_dim(ch, h, p.stride_h, p.dil_h, "height");
  if (!w_ok) explain_dim(cw, w, p.stride_w, p.dil_w, "width");
  e.reason = why;

  const auto near_h = same_size(ch, p.stride_h, p.dil_h), near_w = same_size(cw, p.stride_w, p.dil_w);
  if (near_h && near_w)
    e.notes.push_back("nearest call of the same output size: padding=" + tuple_text(near_h->padding, near_w->padding) +
                      ", output_padding=" + tuple_text(near_h->output_padding, near_w->output_padding) + ", but its window over the full output starts " +
                      shift_text(near_h->padding - ch.begin, near_w->padding - cw.begin) + ": a shift (crops top " +
                      std::to_string(near_h->padding) + ", left " + std::to_string(near_w->padding) + " instead of " +
                      std::to_string(ch.begin) + ", " + std::to_string(cw.begin) + ")");
  const TorchPadding bh = base_for_fixup(ch, p.stride_h, p.dil_h), bw = base_for_fixup(cw, p.stride_w, p.dil_w);
  e.params = torch_params(p, bh, bw);
  e.construction = torch_call(p, bh, bw) + ", then " +
                   crop_fixup_text({bh.padding, bh.padding - bh.output_padding}, {bw.padding, bw.padding - bw.output_padding}, ch, cw) +
                   " (slice y[..., a:b, c:d]; for added lines run without bias, F.pad, then add the bias)";
  return e;
}

}  // namespace tconv::conventions
