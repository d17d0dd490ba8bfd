#!/usr/bin/env bash
# Two consecutive builds of the deployed modules give byte-identical jars (classes, sources,
# javadoc): build from clean, keep the checksums, build from clean again, compare.
# Tests are skipped: they cannot change an archive, and they already ran in CI.
set -euo pipefail
cd "$(dirname "$0")/.."

modules=lock-dependencies,lock-spring-boot-autoconfigure,lock-spring-boot-starter,lock-spring-boot-test
# Three modules, each with a jar, a sources jar and a javadoc jar, and the auto-configuration's
# tests jar (the store contract suite and test servers, shared with lock-async-tests and
# lock-fault-tests).
expected_jars=10

build() {
	./mvnw -B -q ${MAVEN_OFFLINE-} -pl "$modules" -am clean package -DskipTests
	sha256sum lock-spring-boot-*/target/*.jar
}

echo "== reproducible build: first build"
first=$(build)
count=$(printf '%s\n' "$first" | wc -l)
if [ "$count" -ne "$expected_jars" ]; then
	printf '%s\n' "$first"
	echo "Expected $expected_jars jars, found $count: the comparison would prove nothing" >&2
	exit 1
fi
echo "== reproducible build: second build"
second=$(build)
if ! diff <(printf '%s\n' "$first") <(printf '%s\n' "$second"); then
	echo "Two builds of the same commit gave different jars (lines above: < first, > second)." >&2
	echo "Look for a timestamp or an unordered listing in them (project.build.outputTimestamp)." >&2
	exit 1
fi
printf '%s\n' "$second"
echo "== reproducible build: $count jars byte-identical in two builds"
