#!/bin/sh
# Builds (once) and runs hnswlib_build_order.cpp: hnswlib_build_order.sh DATA_DIR [--order given|locality] [options]
# Needs libhnswlib-dev and g++ (../../../shared/peers/setup.sh installs both).
set -e
here=$(cd "$(dirname "$0")" && pwd)
bin=${TMPDIR:-/tmp}/hnswlib_build_order-$(md5sum "$here/hnswlib_build_order.cpp" | cut -c1-8)
[ -x "$bin" ] || g++ -O3 -march=native -std=c++17 -o "$bin" "$here/hnswlib_build_order.cpp"
exec "$bin" "$@"
