#!/usr/bin/env bash
# Item 9 of issue 17, measured: S3 events through SQS to app instances, with faults. Not a test: it prints figures.
#   1. drain: 1,000 uploads queued first, then ONE instance drains the queue       (throughput of one)
#   2. drain: the same with TWO instances on the one queue                           (throughput of two)
#   3. live:  TWO instances running while 1,000 uploads arrive; instance 0 killed with SIGKILL after the 500th
#             (latency upload -> promoted, and every valid file promoted exactly once, every hostile one refused)
# Each run: a tenth of the uploads hostile (HTML declared as a PNG), a tenth delivered twice (S3's message sent once
# more). Store: LocalS3 (S3Proxy 4.1.0) behind pontus-test's S3EventFeed, queue ElasticMQ; pass "moto" as the first
# argument to use moto_server (S3 + SQS + bucket notifications) instead.
# Usage: pontus-benchmarks/events-scale.sh [local|moto] [uploads]
set -euo pipefail
cd "$(dirname "$0")/.."
store=${1:-local}
uploads=${2:-1000}
jar=pontus-benchmarks/target/benchmarks.jar
[ -f "$jar" ] || mvn -q -DskipTests -pl pontus-benchmarks -am package
work=$(mktemp -d /tmp/pontus-events-scale.XXXXXX)
run() { # instances mode kill-at
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  java -cp "$jar" dev.pontus.benchmarks.events.EventScale "$1" "$uploads" "$2" "$3" "$work/$1-$2-$3" "$store" \
    | grep '^RESULT'
}
run 1 preload 0
run 2 preload 0
run 2 live $((uploads / 2))
echo "instance logs (OUTCOME lines) under $work" >&2
