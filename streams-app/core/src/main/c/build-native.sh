#!/usr/bin/env bash
# Builds one of the core's native libraries into OUTDIR/native/linux-ARCH/, where it is found on the
# class path. Both link libjpeg (Debian: gcc and libjpeg62-turbo-dev to build them, libjpeg62-turbo,
# which has libjpeg.so.62, to run them):
#   main  libstreamsight_jpeg.so from region_jpeg.c: the JPEG fast path, packaged with the classes
#   test  libstreamsight_jpeg_test.so from src/test/c/test_jpeg_encoder.c: the tests' JPEG encoder
# They are optional. When one cannot be built this warns on stderr, unless STREAMSIGHT_NATIVE_QUIET=1
# (the launcher sets it: the application then logs the missing fast path itself), and exits 0: JPEGs
# are then decoded with javax.imageio, and the tests that need the library are skipped. With
# STREAMSIGHT_REQUIRE_NATIVE=true (CI) it fails the build instead, naming the reason. $CC picks the
# compiler (default cc).
set -u
usage="usage: build-native.sh main|test OUTDIR"
kind=${1:?$usage}
out=${2:?$usage}
here="$(cd "$(dirname "$0")" && pwd)"
case "$kind" in
  main) lib=libstreamsight_jpeg.so src="$here/region_jpeg.c"
        lost="JPEGs will be decoded with javax.imageio, about 3.3x slower" ;;
  test) lib=libstreamsight_jpeg_test.so src="$here/../../test/c/test_jpeg_encoder.c"
        lost="the tests that encode JPEGs with it will be skipped" ;;
  *) echo "$usage" >&2; exit 2 ;;
esac
dir="$out/native/linux-$(uname -m)"

log=
not_built() {
  rm -f "$dir/$lib" # never package a library left over from an earlier build
  if [ "${STREAMSIGHT_REQUIRE_NATIVE:-}" = true ]; then
    [ -s "$log" ] && sed 's/^/  /' "$log" >&2
    echo "[ERROR] $lib not built: $*; it is required (STREAMSIGHT_REQUIRE_NATIVE=true)" >&2
    exit 1
  fi
  if [ "${STREAMSIGHT_NATIVE_QUIET:-}" != 1 ]; then
    [ -s "$log" ] && sed 's/^/  /' "$log" >&2
    echo "[WARNING] $lib not built: $*; $lost" >&2
  fi
  exit 0
}

[ "$(uname -s)" = Linux ] || not_built "not Linux"
cc=${CC:-cc}
command -v "$cc" >/dev/null 2>&1 || not_built "no C compiler '$cc' (Debian: install gcc)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
printf '#include <stdio.h>\n#include <jpeglib.h>\n' | "$cc" -E -x c - >/dev/null 2>/dev/null \
  || not_built "no libjpeg headers (jpeglib.h; Debian: install libjpeg62-turbo-dev)"
mkdir -p "$dir"
if ! "$cc" -O2 -fPIC -shared -fvisibility=hidden -Wall -Wextra -Werror \
    -o "$dir/$lib" "$src" -ljpeg >"$log" 2>&1; then
  not_built "the compiler failed (its output is above)"
fi
[ "${STREAMSIGHT_NATIVE_QUIET:-}" = 1 ] || echo "[native] built $dir/$lib"
