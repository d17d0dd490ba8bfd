#!/usr/bin/env bash
# A new user's application (it/new-user-app), outside this build, against the library as it
# would be published: install the deployed modules as the README's './mvnw install' does, check
# that they are what a release would publish, then build and test the application with the BOM,
# the starter and the test kit, and check that its tests ran on exactly the jars built here.
#
# Both builds use a local repository under target/ whose tail is the shared ~/.m2 (read only,
# Maven 3.9's maven.repo.local.tail): nothing is downloaded again, and nothing of this build
# lands in ~/.m2, where other builds would pick up these snapshots. (The tail may hold older
# dev.distlock snapshots of its own: the class-path check below catches their use.)
# Online, as the first step of CI is: what the application needs beyond the library's own build
# (spring-boot-starter-parent and its plugins) comes from Maven Central into the isolated
# repository when ~/.m2 lacks it, as on a fresh machine. MAVEN_OFFLINE=-o forbids downloads.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$PWD/target/new-user-app
local_repository=$work/local-repository
shared=${MAVEN_SHARED_REPOSITORY:-$HOME/.m2/repository}
offline=${MAVEN_OFFLINE-}
isolated=(-Dmaven.repo.local="$local_repository" -Dmaven.repo.local.tail="$shared")
deployed_modules=(lock-spring-boot-autoconfigure lock-spring-boot-starter lock-spring-boot-test)

rm -rf "$work" it/new-user-app/target
mkdir -p "$work"

echo "== new user's app: install the library into $local_repository"
./mvnw -B -q $offline "${isolated[@]}" -pl "lock-dependencies,$(IFS=,; echo "${deployed_modules[*]}")" -am \
	install -DskipTests

echo "== new user's app: what a release would publish (install and deploy attach the same files)"
deployed=$(cd "$local_repository" && find dev -name '*.jar' -o -name '*.pom' |
	sed -E 's#^dev/distlock/([^/]+)/0\.1\.0-SNAPSHOT/[^/]+-0\.1\.0-SNAPSHOT(-[a-z]+)?\.(jar|pom)$#\1\2.\3#' | sort)
expected=$(printf '%s\n' lock-dependencies.pom lock-parent.pom \
	lock-spring-boot-autoconfigure.pom lock-spring-boot-autoconfigure.jar \
	lock-spring-boot-autoconfigure-sources.jar lock-spring-boot-autoconfigure-javadoc.jar \
	lock-spring-boot-autoconfigure-tests.jar \
	lock-spring-boot-starter.pom lock-spring-boot-starter.jar \
	lock-spring-boot-starter-sources.jar lock-spring-boot-starter-javadoc.jar \
	lock-spring-boot-test.pom lock-spring-boot-test.jar \
	lock-spring-boot-test-sources.jar lock-spring-boot-test-javadoc.jar | sort)
if [ "$deployed" != "$expected" ]; then
	echo "The installed artifacts are not the expected ones (< expected, > installed):" >&2
	diff <(printf '%s\n' "$expected") <(printf '%s\n' "$deployed") >&2 || true
	exit 1
fi
echo "$(printf '%s\n' "$deployed" | wc -l) artifacts: $(printf '%s ' $deployed)"

echo "== new user's app: build and test it/new-user-app"
status=0
./mvnw -B $offline "${isolated[@]}" -f it/new-user-app/pom.xml verify || status=$?

echo "== new user's app: its tests ran on the jars built here"
report=it/new-user-app/target/surefire-reports/TEST-com.example.tokens.TokenApiTests.xml
if [ ! -f "$report" ]; then
	echo "No test report: the application did not get as far as its tests" >&2
	exit 1
fi
for module in "${deployed_modules[@]}"; do
	used=$(grep -o "[^:\"]*/$module-[^/:\"]*\.jar" "$report" | head -1 || true)
	built=$module/target/$module-0.1.0-SNAPSHOT.jar
	if [[ "$used" != "$local_repository"/* ]] || ! cmp -s "$used" "$built"; then
		echo "The application's tests used '${used:-no $module jar}', not $built" >&2
		exit 1
	fi
	echo "$module: $used"
done
exit "$status"
