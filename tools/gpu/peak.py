#!/usr/bin/env python3
"""Measured ceilings of this GPU for peak fractions: device-to-device copy bandwidth (bytes
read + written per second) and large GEMM rates (f32 with and without TF32, f16, bf16), each the
best of several CUDA-event-timed runs after warm-up, on random data. Uses the image's
PyTorch (the GPU machines have it). Prints one 'key value unit' line per measurement."""
import sys

try:
    import torch
except ImportError:
    print("peak: no torch in this python3; nothing measured", file=sys.stderr)
    sys.exit(1)


def best_ms(fn, warmup=3, runs=10):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(runs):
        start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        stop.record()
        stop.synchronize()
        times.append(start.elapsed_time(stop))
    return min(times)


def main():
    dev = torch.device("cuda")
    print(f"device {torch.cuda.get_device_name(dev).replace(' ', '_')} -")
    props = torch.cuda.get_device_properties(dev)
    per_sm = getattr(props, "max_threads_per_multi_processor", None)
    if per_sm:  # threads the device runs at once (the cuda cost model's idle term)
        print(f"resident_threads {props.multi_processor_count * per_sm} threads")
    n = 1 << 30  # 1 GiB per buffer: many times the L2
    src = torch.empty(n, dtype=torch.uint8, device=dev).random_(0, 255)
    dst = torch.empty_like(src)
    ms = best_ms(lambda: dst.copy_(src))
    print(f"copy_bandwidth {2 * n / ms / 1e6:.1f} GB/s")
    del src, dst
    size = 8192
    for name, dtype, tf32 in (("gemm_f32", torch.float32, False), ("gemm_tf32", torch.float32, True),
                              ("gemm_f16", torch.float16, False), ("gemm_bf16", torch.bfloat16, False)):
        torch.backends.cuda.matmul.allow_tf32 = tf32
        a = torch.randn(size, size, device=dev, dtype=dtype)
        b = torch.randn(size, size, device=dev, dtype=dtype)
        ms = best_ms(lambda: a @ b)
        print(f"{name} {2 * size ** 3 / ms / 1e9:.1f} TFLOP/s")
    torch.backends.cuda.matmul.allow_tf32 = False


if __name__ == "__main__":
    main()
