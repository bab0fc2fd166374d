/* tconv_plugin.h: the C ABI of run-time backend plugins (backends/plugin/README.md).
 *
 * A plugin is a shared library that exports one function,
 *
 *     const tconv_plugin_v1* tconv_plugin_entry(void);
 *
 * returning a static table: the plugin's name, variants, and callbacks. `tconv ... --plugin
 * libmine.so` loads it with dlopen, checks abi_version and struct_size, and wraps it as an
 * ordinary backend. Only plain C types cross the boundary, so any compiler or language that
 * can export a C function works. Self-contained: include this file only.
 *
 * Versioning: abi_version changes when an existing field changes meaning or moves; fields are
 * only ever appended, and struct_size tells the loader which appended fields a plugin has.
 */
#ifndef TCONV_PLUGIN_H
#define TCONV_PLUGIN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TCONV_PLUGIN_ABI_VERSION 1u
#define TCONV_PLUGIN_ENTRY_SYMBOL "tconv_plugin_entry"

#if defined(_WIN32)
#define TCONV_PLUGIN_EXPORT __declspec(dllexport)
#else
#define TCONV_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* Element types. f16 and bf16 are stored as their 16-bit patterns. */
typedef enum { TCONV_DTYPE_F32 = 0, TCONV_DTYPE_F64 = 1, TCONV_DTYPE_F16 = 2, TCONV_DTYPE_BF16 = 3 } tconv_dtype;

/* Layouts (backends/api/layout.h). Data tensors have logical dims [N, C, H, W]; weights
 * [C_in, C_out/groups, kH, kW]; bias [C_out]. The layout says how they are stored:
 *   NCHW, NHWC    data
 *   IOHW          weights [C_in][C_out/g][kH][kW] (PyTorch / ONNX)
 *   IHWO          weights [C_in][kH][kW][C_out/g]
 *   HWOI          weights [kH][kW][C_out/g][C_in] (Keras / TF)
 *   OIHW_FLIPPED  the equivalent direct convolution's weights [C_out][C_in/g][kH][kW], flipped
 *   X             a plain vector (bias) */
typedef enum {
  TCONV_LAYOUT_NCHW = 0,
  TCONV_LAYOUT_NHWC = 1,
  TCONV_LAYOUT_IOHW = 2,
  TCONV_LAYOUT_IHWO = 3,
  TCONV_LAYOUT_HWOI = 4,
  TCONV_LAYOUT_OIHW_FLIPPED = 5,
  TCONV_LAYOUT_X = 6
} tconv_layout;

/* fwd: x, w, (b) -> y;  bwd_data: dy, w -> dx;  bwd_weights: x, dy -> dw;  bwd_bias: dy -> db */
typedef enum {
  TCONV_DIR_FWD = 0,
  TCONV_DIR_BWD_DATA = 1,
  TCONV_DIR_BWD_WEIGHTS = 2,
  TCONV_DIR_BWD_BIAS = 3
} tconv_direction;

/* The canonical problem (docs/design.md section 1). Crops (pad_*) may be negative; the output
 * size is h_out = (h_in - 1) * stride_h - pad_top - pad_bottom + dil_h * (kh - 1) + 1. */
typedef struct {
  int64_t n, c_in, c_out, groups;
  int64_t h_in, w_in, kh, kw;
  int64_t stride_h, stride_w, dil_h, dil_w;
  int64_t pad_top, pad_bottom, pad_left, pad_right;
  int64_t h_out, w_out;   /* derived, for convenience */
  int32_t bias;           /* 0 or 1 */
  int32_t dtype;          /* tconv_dtype */
  int32_t layout;         /* tconv_layout of x, y, dy, dx */
  int32_t weight_layout;  /* tconv_layout of w, dw */
} tconv_problem;

/* One densely packed tensor. */
typedef struct {
  int32_t dtype;           /* tconv_dtype */
  int32_t layout;          /* tconv_layout */
  int64_t dims[4];         /* logical dims (see tconv_layout) */
  int64_t physical[4];     /* shape as stored, C order; rank 1 for X */
  int32_t rank;            /* of `physical` */
  int64_t numel;
  void* data;              /* const for inputs: a plugin must not write them */
} tconv_tensor;

/* Exactly the operands of the direction are non-null (see tconv_direction). */
typedef struct {
  const tconv_tensor* x;
  const tconv_tensor* w;
  const tconv_tensor* b;
  const tconv_tensor* dy;
  tconv_tensor* y;
  tconv_tensor* dx;
  tconv_tensor* dw;
  tconv_tensor* db;
} tconv_operands;

typedef enum {
  TCONV_STATUS_OK = 0,
  TCONV_STATUS_UNSUPPORTED = 1,
  TCONV_STATUS_INVALID = 2,
  TCONV_STATUS_OUT_OF_MEMORY = 3,
  TCONV_STATUS_NO_DEVICE = 4,
  TCONV_STATUS_ERROR = 5
} tconv_status_code;

/* Filled by the plugin when a call fails: a one-line message, NUL-terminated. */
#define TCONV_MESSAGE_SIZE 512
typedef struct {
  char message[TCONV_MESSAGE_SIZE];
} tconv_message;

/* Bit i of a mask = enum value i is supported, e.g. (1u << TCONV_DTYPE_F32). */
typedef struct {
  uint32_t dtypes, layouts, weight_layouts, directions;
  int32_t groups, dilation, asymmetric_crops, negative_crops; /* 1 = supported */
  int64_t max_elements;                                        /* per tensor; 0 = no limit */
  int32_t on_device, deterministic;
} tconv_capabilities;

/* The arithmetic the plugin performs; the tolerance follows it. Unit roundoffs: 2^-24 for
 * f32 multiply / accumulate, 2^-11 for tf32 inputs, 0 for exact products. */
typedef struct {
  char name[32];
  double u_mul, u_acc;
} tconv_math;

typedef struct tconv_plugin_v1 {
  uint32_t abi_version;  /* TCONV_PLUGIN_ABI_VERSION */
  uint32_t struct_size;  /* sizeof(tconv_plugin_v1) as the plugin was compiled */
  const char* name;      /* the backend name in results, e.g. "mylib" */
  const char* description;
  int32_t variant_count; /* >= 1 */
  const char* const* variants;

  /* An instance of variant `variant_index`, or NULL with *error filled. */
  void* (*create)(int32_t variant_index, tconv_message* error);
  void (*destroy)(void* instance);
  void (*capabilities)(void* instance, tconv_capabilities* out);
  /* Optional (NULL: capabilities only). 1 = can run; 0 = cannot, reason in *why. Called only
   * for problems that are valid and within the declared capabilities. */
  int32_t (*check)(void* instance, const tconv_problem* p, int32_t direction, tconv_message* why);
  /* Computes the direction's output. Returns a tconv_status_code; on failure fills *error.
   * `threads` is a hint (0: the plugin's default). */
  int32_t (*run)(void* instance, const tconv_problem* p, int32_t direction, const tconv_operands* ops,
                 int32_t threads, tconv_message* error);
  /* Optional: device time of the last successful run in ms; returns 1 if *ms was set. */
  int32_t (*last_device_time_ms)(void* instance, double* ms);
  /* Optional (NULL: f32 accumulation on the stored dtype). */
  void (*math)(void* instance, const tconv_problem* p, tconv_math* out);
} tconv_plugin_v1;

typedef const tconv_plugin_v1* (*tconv_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* TCONV_PLUGIN_H */
