#!/usr/bin/env bash
# Builds the reader's libFuzzer target with clang (ASan + UBSan) and runs it for
# a bounded time: run-fuzz.sh SOURCE_ROOT BUILD_ROOT [SECONDS]
set -euo pipefail
src="$1"
build="$2"
seconds="${3:-${DNSHUNT_FUZZ_SECONDS:-60}}"
out="$build/fuzz"
mkdir -p "$out/corpus"

command -v clang >/dev/null || { echo "clang is not installed (build-aux/dev.sh test installs it)"; exit 1; }

core="$src/src/core"
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -D_GNU_SOURCE -I"$build" -I"$core" -I"$src/tests" \
  "$src/tests/fuzz/fuzz-reader.c" "$src/tests/dh-store-compare.c" \
  "$core/dh-str-pool.c" "$core/dh-event-store.c" "$core/dh-fast-record.c" \
  "$core/dh-record-json.c" "$core/dh-reader.c" "$core/dh-mapped-file.c" "$core/dh-time.c" "$core/dh-gunzip.c" \
  $(pkg-config --cflags --libs gio-2.0 gio-unix-2.0 json-glib-1.0 zlib libdeflate) \
  -o "$out/fuzz-reader"

# Seeds: the real samples, split into lines, and the hand-made cases.
cp "$src"/tests/fuzz/corpus/* "$out/corpus/" 2>/dev/null || true
i=0
while IFS= read -r line; do
  printf '%s\n' "$line" > "$out/corpus/sample-$i"
  i=$((i + 1))
done < "$src/tests/data/route53-samples/elastic-integrations-test-route53.log"
cp "$src/tests/data/route53-samples/aws-docs-example.json" "$out/corpus/pretty"

# GLib keeps some caches for the life of the process; they are not leaks of ours.
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1"
export LSAN_OPTIONS="suppressions=$src/tests/fuzz/lsan.supp:print_suppressions=0"
export G_SLICE=always-malloc
"$out/fuzz-reader" "$out/corpus" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 2>&1 | tail -n 25
status=${PIPESTATUS[0]}
echo "fuzz: libFuzzer exited with $status after ${seconds}s"
exit "$status"
