// tconv explain --from keras|pytorch|onnx|tf|canonical "<parameters>" [--input-shape 8,8,256], or --from cudnn|onednn "<values>":
// one layer in one framework's terms -> the canonical problem, the same layer in the other
// frameworks (or why none is exact), the weight permutations, and the cuDNN / oneDNN values.
#include <iostream>
#include <memory>

#include "tools/tconv/commands.h"
#include "conformance/conventions/descriptor_check.h"
#include "conformance/conventions/explain.h"

namespace tconv::cli {

namespace {

constexpr const char* kConventionsHelp = R"HELP(Parameters are the framework's own argument names as key=value pairs (the YAML keys of
that convention, cases/README.md); a pair is "2,1", "(2, 1)" or "[2, 1]":
  keras    filters kernel_size strides padding=valid|same output_padding=None|h,w dilation_rate
           data_format=channels_last|channels_first use_bias input_shape=N,H,W,C
  pytorch  n c_in c_out input kernel stride padding output_padding output_size dilation groups
  tf       input_shape filters_shape=kH,kW,C_out,C_in output_shape=N,H,W,C strides
           padding=SAME|VALID|[[0,0],[t,b],[l,r],[0,0]] dilations data_format=NHWC|NCHW
  onnx     input_shape=N,C,H,W weight_shape=C,M/group,kH,kW kernel_shape strides pads=t,l,b,r
           auto_pad=NOTSET|SAME_UPPER|SAME_LOWER|VALID output_shape output_padding dilations group
  canonical  the pytorch sizes plus crop=top,bottom,left,right
--input-shape is the framework's input without (3 values) or with (4) the batch, in its own
order: keras/tf H,W,C (channels_last), pytorch/onnx/canonical C,H,W.
Example: tconv explain --from keras "filters=128 kernel_size=2 strides=2 padding=same" --input-shape 8,8,256

--from cudnn / onednn: the values passed to the library, checked rule by rule (each broken
rule is named with its numbers); when they hold, the layer they describe in every framework:
)HELP";

constexpr const char* kLibraryExample =
    "Example: tconv explain --from cudnn \"filter=256,128,2,2 filter_format=NHWC stride=2 dy=1,256,8,8 dx=1,128,16,16 format=NHWC\"\n";

struct ExplainArgs {
  conventions::ExplainRequest request;
};

int explain(const ExplainArgs& args) {
  auto report = conventions::explain(args.request);
  if (!report) {
    std::cerr << "tconv explain: " << report.error() << "\n";
    return kExitBadInput;
  }
  std::cout << *report;
  return kExitOk;
}

}  // namespace

Command add_explain_command(CLI::App& app) {
  auto args = std::make_shared<ExplainArgs>();
  CLI::App* sub = app.add_subcommand("explain", "Translate one layer between PyTorch, Keras, tf.nn, ONNX, cuDNN and oneDNN");
  sub->footer(std::string(kConventionsHelp) + conventions::kCudnnValuesHelp + conventions::kOnednnValuesHelp + kLibraryExample);
  sub->add_option("--from", args->request.from, "the convention the layer is written in: keras, pytorch, tf, onnx, canonical; or the library values: cudnn, onednn")
      ->required();
  sub->add_option("parameters", args->request.params, "the layer's parameters, e.g. \"kernel_size=3 strides=2 padding=same\"")
      ->required();
  sub->add_option("--input-shape", args->request.input_shape, "the input's shape, e.g. 8,8,256 (keras: H,W,C)");
  return [args] { return explain(*args); };
}

}  // namespace tconv::cli
