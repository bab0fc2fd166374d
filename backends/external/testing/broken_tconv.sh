#!/bin/sh
# An external backend that answers --capabilities and then fails every call like a host
# program whose device is not ready: a message on stderr and exit status 3.
if [ "$1" = "--capabilities" ]; then
  echo '{"dtypes": ["f32"], "layouts": ["NCHW", "NHWC"]}'
  exit 0
fi
echo "opening /dev/fpga0" >&2
echo "error: bitstream not loaded" >&2
exit 3
