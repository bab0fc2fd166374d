/* Plugins that go wrong in one way each, for the loader's and the runner's tests. Built
 * once per FAULT (CMake: tconv_faulty_plugin_<fault>):
 *   FAULT_NO_ENTRY    exports no tconv_plugin_entry
 *   FAULT_WRONG_ABI   declares ABI version 99
 *   FAULT_ERROR       run() returns an error status with a message
 *   FAULT_CRASH       run() dies of SIGSEGV */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "backends/plugin/tconv_plugin.h"

static const char* const variants[] = {"default"};
static int token;

static void* create(int32_t variant, tconv_message* err) {
  (void)variant, (void)err;
  return &token;
}

static void destroy(void* self) { (void)self; }

static void capabilities(void* self, tconv_capabilities* c) {
  (void)self;
  memset(c, 0, sizeof *c);
  c->dtypes = 1u << TCONV_DTYPE_F32;
  c->layouts = 1u << TCONV_LAYOUT_NCHW | 1u << TCONV_LAYOUT_NHWC;
  c->weight_layouts = 1u << TCONV_LAYOUT_IOHW;
  c->directions = 0xfu;
  c->groups = c->dilation = c->asymmetric_crops = c->negative_crops = c->deterministic = 1;
}

static int32_t run(void* self, const tconv_problem* p, int32_t dir, const tconv_operands* ops, int32_t threads,
                   tconv_message* err) {
  (void)self, (void)p, (void)dir, (void)ops, (void)threads;
#if defined(FAULT_CRASH)
  raise(SIGSEGV);
#endif
  snprintf(err->message, sizeof err->message, "simulated device fault: command queue 3 stalled");
  return TCONV_STATUS_ERROR;
}

#if defined(FAULT_NO_ENTRY)
#define ENTRY tconv_plugin_entry_misspelled
#else
#define ENTRY tconv_plugin_entry
#endif

TCONV_PLUGIN_EXPORT const tconv_plugin_v1* ENTRY(void) {
  static const tconv_plugin_v1 table = {
#if defined(FAULT_WRONG_ABI)
      .abi_version = 99,
#else
      .abi_version = TCONV_PLUGIN_ABI_VERSION,
#endif
      .struct_size = sizeof(tconv_plugin_v1),
      .name = "faulty",
      .description = "a plugin that fails on purpose",
      .variant_count = 1,
      .variants = variants,
      .create = create,
      .destroy = destroy,
      .capabilities = capabilities,
      .check = NULL,
      .run = run,
      .last_device_time_ms = NULL,
      .math = NULL,
  };
  return &table;
}
