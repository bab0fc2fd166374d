/* An example tconv plugin in plain C: direct loops for every direction, f32 and f64, every
 * data and weight layout, accumulating in double. Its only tconv dependency is
 * tconv_plugin.h. Variants:
 *   direct       the loops
 *   fwd_only     declares only fwd (the others become UNSUPPORTED rows)
 * Copy it as the start of your own plugin: replace run_direction() with your call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tconv_plugin.h"

typedef struct {
  int fwd_only;
} instance;

static double load(const tconv_tensor* t, int64_t i) {
  return t->dtype == TCONV_DTYPE_F64 ? ((const double*)t->data)[i] : ((const float*)t->data)[i];
}

static void store(tconv_tensor* t, int64_t i, double v) {
  if (t->dtype == TCONV_DTYPE_F64) ((double*)t->data)[i] = v;
  else ((float*)t->data)[i] = (float)v;
}

/* Offset of data element (n, c, h, w). */
static int64_t data_at(const tconv_tensor* t, int64_t n, int64_t c, int64_t h, int64_t w) {
  const int64_t* d = t->dims;
  if (t->layout == TCONV_LAYOUT_NHWC) return ((n * d[2] + h) * d[3] + w) * d[1] + c;
  return ((n * d[1] + c) * d[2] + h) * d[3] + w;
}

/* Offset of weight element (ci, o, kh, kw), o within its group. */
static int64_t weight_at(const tconv_tensor* t, int64_t groups, int64_t ci, int64_t o, int64_t h, int64_t w) {
  const int64_t* d = t->dims; /* [C_in, C_out/g, kH, kW] */
  switch (t->layout) {
    case TCONV_LAYOUT_IHWO: return ((ci * d[2] + h) * d[3] + w) * d[1] + o;
    case TCONV_LAYOUT_HWOI: return ((h * d[3] + w) * d[1] + o) * d[0] + ci;
    case TCONV_LAYOUT_OIHW_FLIPPED: {
      const int64_t cig = d[0] / groups, g = ci / cig;
      return (((g * d[1] + o) * cig + ci % cig) * d[2] + (d[2] - 1 - h)) * d[3] + (d[3] - 1 - w);
    }
    default: return ((ci * d[1] + o) * d[2] + h) * d[3] + w;
  }
}

/* Calls the body for every (input pixel, tap) pair that lands inside the output. */
#define FOR_EACH_TAP(p, n, ci, o, oc, ih, iw, kh, kw, oh, ow)                                            \
  for (int64_t n = 0; n < p->n; ++n)                                                                     \
    for (int64_t ci = 0; ci < p->c_in; ++ci)                                                             \
      for (int64_t o = 0; o < p->c_out / p->groups; ++o)                                                 \
        for (int64_t ih = 0; ih < p->h_in; ++ih)                                                         \
          for (int64_t iw = 0; iw < p->w_in; ++iw)                                                       \
            for (int64_t kh = 0; kh < p->kh; ++kh)                                                       \
              for (int64_t kw = 0; kw < p->kw; ++kw)                                                     \
                for (int64_t oc = ci / (p->c_in / p->groups) * (p->c_out / p->groups) + o,               \
                             oh = ih * p->stride_h - p->pad_top + kh * p->dil_h,                         \
                             ow = iw * p->stride_w - p->pad_left + kw * p->dil_w, once_ = 1;             \
                     once_ && oh >= 0 && oh < p->h_out && ow >= 0 && ow < p->w_out; once_ = 0)

static int32_t run_direction(const tconv_problem* p, int32_t dir, const tconv_operands* ops, tconv_message* err) {
  tconv_tensor* out = dir == TCONV_DIR_FWD ? ops->y : dir == TCONV_DIR_BWD_DATA ? ops->dx
                      : dir == TCONV_DIR_BWD_WEIGHTS ? ops->dw : ops->db;
  double* acc = calloc((size_t)out->numel, sizeof(double)); /* in the output's own layout */
  if (!acc) {
    snprintf(err->message, sizeof err->message, "cannot allocate %lld accumulators", (long long)out->numel);
    return TCONV_STATUS_OUT_OF_MEMORY;
  }
  if (dir == TCONV_DIR_FWD) {
    FOR_EACH_TAP(p, n, ci, o, oc, ih, iw, kh, kw, oh, ow)
      acc[data_at(out, n, oc, oh, ow)] += load(ops->x, data_at(ops->x, n, ci, ih, iw)) *
                                          load(ops->w, weight_at(ops->w, p->groups, ci, o, kh, kw));
    if (p->bias)
      for (int64_t n = 0; n < p->n; ++n)
        for (int64_t c = 0; c < p->c_out; ++c)
          for (int64_t h = 0; h < p->h_out; ++h)
            for (int64_t w = 0; w < p->w_out; ++w) acc[data_at(out, n, c, h, w)] += load(ops->b, c);
  } else if (dir == TCONV_DIR_BWD_DATA) {
    FOR_EACH_TAP(p, n, ci, o, oc, ih, iw, kh, kw, oh, ow)
      acc[data_at(out, n, ci, ih, iw)] += load(ops->dy, data_at(ops->dy, n, oc, oh, ow)) *
                                          load(ops->w, weight_at(ops->w, p->groups, ci, o, kh, kw));
  } else if (dir == TCONV_DIR_BWD_WEIGHTS) {
    FOR_EACH_TAP(p, n, ci, o, oc, ih, iw, kh, kw, oh, ow)
      acc[weight_at(out, p->groups, ci, o, kh, kw)] += load(ops->x, data_at(ops->x, n, ci, ih, iw)) *
                                                       load(ops->dy, data_at(ops->dy, n, oc, oh, ow));
  } else {
    for (int64_t n = 0; n < p->n; ++n)
      for (int64_t c = 0; c < p->c_out; ++c)
        for (int64_t h = 0; h < p->h_out; ++h)
          for (int64_t w = 0; w < p->w_out; ++w) acc[c] += load(ops->dy, data_at(ops->dy, n, c, h, w));
  }
  for (int64_t i = 0; i < out->numel; ++i) store(out, i, acc[i]);
  free(acc);
  return TCONV_STATUS_OK;
}

static const char* const variant_names[] = {"direct", "fwd_only"};

static void* create(int32_t variant, tconv_message* err) {
  instance* self = calloc(1, sizeof(instance));
  if (!self) snprintf(err->message, sizeof err->message, "out of memory");
  else self->fwd_only = variant == 1;
  return self;
}

static void destroy(void* self) { free(self); }

static void capabilities(void* self, tconv_capabilities* c) {
  memset(c, 0, sizeof *c);
  c->dtypes = 1u << TCONV_DTYPE_F32 | 1u << TCONV_DTYPE_F64;
  c->layouts = 1u << TCONV_LAYOUT_NCHW | 1u << TCONV_LAYOUT_NHWC;
  c->weight_layouts = 1u << TCONV_LAYOUT_IOHW | 1u << TCONV_LAYOUT_IHWO | 1u << TCONV_LAYOUT_HWOI |
                      1u << TCONV_LAYOUT_OIHW_FLIPPED;
  c->directions = ((instance*)self)->fwd_only ? 1u << TCONV_DIR_FWD : 0xfu;
  c->groups = c->dilation = c->asymmetric_crops = c->negative_crops = 1;
  c->deterministic = 1;
}

/* A check() beyond the capabilities: one line saying which rule fails. */
static int32_t check(void* self, const tconv_problem* p, int32_t dir, tconv_message* why) {
  (void)self, (void)dir;
  if (p->kh * p->kw > 4096) {
    snprintf(why->message, sizeof why->message, "kernel %lldx%lld: at most 4096 taps", (long long)p->kh,
             (long long)p->kw);
    return 0;
  }
  return 1;
}

static int32_t run(void* self, const tconv_problem* p, int32_t dir, const tconv_operands* ops, int32_t threads,
                   tconv_message* err) {
  (void)self, (void)threads;
  return run_direction(p, dir, ops, err);
}

/* Products of f32 inputs are exact in double and the sums round at 2^-53 before one final
 * rounding to the stored type: tell the tolerance so. */
static void math(void* self, const tconv_problem* p, tconv_math* m) {
  (void)self, (void)p;
  snprintf(m->name, sizeof m->name, "f64acc");
  m->u_mul = 0;
  m->u_acc = 0x1p-53;
}

TCONV_PLUGIN_EXPORT const tconv_plugin_v1* tconv_plugin_entry(void) {
  static const tconv_plugin_v1 table = {
      .abi_version = TCONV_PLUGIN_ABI_VERSION,
      .struct_size = sizeof(tconv_plugin_v1),
      .name = "example_direct",
      .description = "example C plugin: direct loops, f64 accumulation",
      .variant_count = 2,
      .variants = variant_names,
      .create = create,
      .destroy = destroy,
      .capabilities = capabilities,
      .check = check,
      .run = run,
      .last_device_time_ms = NULL,
      .math = math,
  };
  return &table;
}
