#!/usr/bin/env bash
# Builds one libFuzzer target with clang (ASan + UBSan) and runs it for a
# bounded time on its seeds: run-fuzz.sh SOURCE_ROOT BUILD_ROOT TARGET [SECONDS]
#
# Without SECONDS, the target runs for DNSHUNT_FUZZ_SECONDS (its time in
# tests/meson.build), at most DNSHUNT_FUZZ_MAX_SECONDS. Unset, that limit is
# 10 s, so that a local run stays short, and none when CI=true (.ci/run sets
# it): CI gives every target its full, long run.
#
#   reader       log files in every shape (fuzz-reader.c)
#   json         the depth check against json-glib (fuzz-json.c)
#   case         case files (fuzz-case.c)
#   cloudwatch   CloudWatch Logs replies, pages and errors (fuzz-cloudwatch.c)
#   credentials  AWS config and credentials files, credential_process output
set -euo pipefail
src="$1"
build="$2"
target="$3"
if [ -n "${4:-}" ]; then
  seconds="$4"
else
  seconds="${DNSHUNT_FUZZ_SECONDS:-30}"
  max="${DNSHUNT_FUZZ_MAX_SECONDS:-}"
  if [ -z "$max" ] && [ "${CI:-}" != true ]; then
    max=10
  fi
  if [ -n "$max" ]; then
    case "$max" in
      *[!0-9]*|0*)
        echo "run-fuzz.sh: DNSHUNT_FUZZ_MAX_SECONDS must be a whole number of seconds, not “$max”" >&2
        exit 1 ;;
    esac
    if [ "$seconds" -gt "$max" ]; then
      seconds="$max"
    fi
  fi
fi
out="$build/fuzz/$target"
mkdir -p "$out/corpus"

command -v clang >/dev/null || { echo "clang is not installed (build-aux/dev.sh test installs it)"; exit 1; }

core="$src/src/core"
aws="$src/src/aws"
max_len=4096
libs=()
asan=""
case "$target" in
  reader)
    sources=("$src/tests/dh-store-compare.c" "$core/dh-str-pool.c" "$core/dh-event-store.c"
             "$core/dh-record-fast.c" "$core/dh-record-json.c" "$core/dh-reader.c" "$core/dh-reader-parallel.c"
             "$core/dh-time.c" "$core/dh-gunzip.c" "$core/dh-json.c" "$core/dh-mapped-file.c" "$core/dh-release.c")
    packages="gio-2.0 gio-unix-2.0 json-glib-1.0 zlib libdeflate" ;;
  json)
    sources=("$core/dh-json.c")
    packages="json-glib-1.0" ;;
  case)
    # the case code is instrumented; the rest of the core comes as meson built it
    sources=("$core/dh-case.c" "$core/dh-json.c")
    libs=("$build/src/core/libdnshunt-core.a" -lm)
    packages="gio-2.0 gio-unix-2.0 json-glib-1.0 zlib libdeflate cairo cairo-svg cairo-pdf"
    packages="$packages pangocairo" ;;
  cloudwatch)
    sources=("$aws/dh-cloudwatch-client.c" "$aws/dh-http.c" "$aws/dh-aws-credentials.c" "$aws/dh-sigv4.c"
             "$aws/dh-token-bucket.c" "$core/dh-json.c")
    packages="gio-2.0 gio-unix-2.0 json-glib-1.0 libsoup-3.0"
    max_len=16384 ;;
  credentials)
    sources=("$aws/dh-aws-credentials.c" "$core/dh-json.c")
    packages="gio-2.0 gio-unix-2.0 json-glib-1.0"
    # whole stacks through GLib, so that lsan.supp's run_process matches
    # (slow, but this target waits for a process each run anyway)
    asan=":fast_unwind_on_malloc=0" ;;
  *)
    echo "run-fuzz.sh: no target “$target”" >&2
    exit 1 ;;
esac

# shellcheck disable=SC2086  # the flags are words
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -D_GNU_SOURCE -I"$build" -I"$core" -I"$aws" -I"$src/tests" \
  "$src/tests/fuzz/fuzz-$target.c" "${sources[@]}" "${libs[@]}" \
  $(pkg-config --cflags --libs $packages) \
  -o "$out/fuzz-$target"

cp "$src/tests/fuzz/corpus/$target"/* "$out/corpus/"
if [ "$target" = reader ]; then
  # the real samples too, split into lines
  i=0
  while IFS= read -r line; do
    printf '%s\n' "$line" > "$out/corpus/sample-$i"
    i=$((i + 1))
  done < "$src/tests/data/route53-samples/elastic-integrations-test-route53.log"
  cp "$src/tests/data/route53-samples/aws-docs-example.json" "$out/corpus/pretty"
fi

# GLib keeps some caches for the life of the process; they are not leaks of ours.
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1$asan"
export LSAN_OPTIONS="suppressions=$src/tests/fuzz/lsan.supp:print_suppressions=0"
export G_SLICE=always-malloc
# libFuzzer's own exit status for a finding is 77, which meson takes for "skipped"
"$out/fuzz-$target" "$out/corpus" -artifact_prefix="$out/" -max_total_time="$seconds" \
  -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 -error_exitcode=1 -timeout_exitcode=1 \
  -print_final_stats=1 2>&1 | tail -n 25
status=${PIPESTATUS[0]}
echo "fuzz-$target: libFuzzer exited with $status after ${seconds}s"
exit "$status"
