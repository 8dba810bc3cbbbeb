#!/usr/bin/env bash
# The test command of this repository:  bash tests/run-all.sh
# Runs on a clean clone (CI: root, CI=true, no stdin, 90-minute limit) and on a developer machine:
#   Chromium (apt, if missing) -> pinned Azurite (npm ci in infra/) -> infra/validate.sh (if present)
#   -> Release build with warnings as errors (NU1603 stays a warning) -> every test project (TRX under TestResults/,
#   browser screenshots under TestResults/screenshots/)
#   -> one summary line "Tests: N passed, M failed[, K skipped]".
# Exit code: 0 only if the build succeeded, at least one test ran and none failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export MSBUILDDISABLENODEREUSE=1            # no msbuild nodes left behind after the run
export NPM_CONFIG_UPDATE_NOTIFIER=false

RESULTS="$ROOT/TestResults"
LOG="$RESULTS/test-output.log"
# Leave time for the summary before CI's 90-minute limit (override with RUN_ALL_BUDGET_MINUTES).
BUDGET_SECONDS=$(( ${RUN_ALL_BUDGET_MINUTES:-85} * 60 ))

step() { printf '\n==> [%4ds] %s\n' "$SECONDS" "$*"; }
summary() {  # passed failed skipped
    local line="Tests: $1 passed, $2 failed"
    if [ "$3" -gt 0 ]; then line="$line, $3 skipped"; fi
    echo
    echo "$line"
}

# --- 1. Chromium (and a Chinese font, so screenshots are legible) for the browser tests ----------------
if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/truetype/wqy ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "ERROR: /usr/bin/chromium is missing and this script is not running as root, so it cannot install it." >&2
        echo "       Install it once with: sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-wqy-zenhei" >&2
        exit 1
    fi
    step "Installing Chromium (apt-get)"
    start=$SECONDS
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-wqy-zenhei </dev/null
    echo "Chromium installed in $(( SECONDS - start )) s: $(/usr/bin/chromium --version 2>/dev/null || echo '?')"
fi

# --- 2. Pinned Azurite ------------------------------------------------------------------------------
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "ERROR: node and npm are required (Node.js 20 or later) for the pinned Azurite in infra/." >&2
    exit 1
fi
step "Installing the pinned Azurite (npm ci in infra/)"
mkdir -p infra/.azurite
if command -v flock >/dev/null 2>&1; then
    # The same exclusive lock AzuriteInstaller (functions/Voucher.LocalHost/Azurite) takes: test processes already
    # running on this clone wait for the reinstall instead of starting a half-installed Azurite.
    flock infra/.azurite/install.lock npm ci --no-audit --no-fund --prefix infra </dev/null
else
    npm ci --no-audit --no-fund --prefix infra </dev/null
fi

# --- 3. Infrastructure validation (Bicep build + lint), when present --------------------------------
if [ -f infra/validate.sh ]; then
    step "infra/validate.sh"
    bash infra/validate.sh </dev/null
fi

# --- 4. Build -----------------------------------------------------------------------------------------
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
# Browser tests save their screenshots (each role's home page, failures) to $VOUCHER_ARTIFACTS/screenshots.
export VOUCHER_ARTIFACTS="$RESULTS"
step "dotnet build (Release, warnings as errors except NU1603)"
build_status=0
dotnet build Voucher.Functions.sln -c Release -warnaserror -p:WarningsNotAsErrors=NU1603 </dev/null || build_status=$?
if [ "$build_status" -ne 0 ]; then
    echo "BUILD FAILED (exit code $build_status): no tests were run."
    summary 0 0 0
    exit 1
fi

# --- 5. Test ------------------------------------------------------------------------------------------
remaining=$(( BUDGET_SECONDS - SECONDS ))
if [ "$remaining" -lt 300 ]; then remaining=300; fi
step "dotnet test per project (Release, no build; time limit ${remaining}s; log: TestResults/test-output.log)"
test_status=0
set +e
# One test project at a time: on a 2-core machine several local hosts, Azurites and a browser running at
# once would turn timing into noise. Projects run in dependency-free order, cheapest first. Tests marked
# [Trait("Category", "Quarantined")] are left out: each names the product fault it exposes (tests/README.md, "Quarantined").
: > "$LOG"
ordered="Voucher.Domain.Tests Voucher.Infra.Tests Voucher.Workflows.Tests Voucher.Security.Tests Voucher.EndToEnd.Tests Voucher.Browser.Tests"
projects="$ordered"
for csproj in tests/*/*.Tests.csproj; do  # any test project not named above runs too, last
    name=$(basename "$csproj" .csproj)
    case " $ordered " in *" $name "*) ;; *) projects="$projects $name";; esac
done
for project in $projects; do
    [ -f "tests/$project/$project.csproj" ] || continue
    remaining=$(( BUDGET_SECONDS - SECONDS ))
    if [ "$remaining" -lt 120 ]; then echo "Time budget spent: $project not run." | tee -a "$LOG"; test_status=124; break; fi
    echo "=== $project (time left ${remaining}s)" | tee -a "$LOG"
    timeout --signal=TERM --kill-after=60 "$remaining" \
        dotnet test "tests/$project/$project.csproj" -c Release --no-build \
            --filter "Category!=Quarantined" \
            --logger "console;verbosity=normal" \
            --logger "trx;LogFileName=$project.trx" \
            --results-directory "$RESULTS" \
            --blame-hang-timeout 20m --blame-hang-dump-type none \
            </dev/null 2>&1 | tee -a "$LOG"
    status=${PIPESTATUS[0]}
    if [ "$status" -ne 0 ]; then test_status=$status; fi
done
set -e
if [ "$test_status" -eq 124 ]; then
    echo "dotnet test was stopped after ${remaining}s (time budget)."
fi

# --- 6. Summary ---------------------------------------------------------------------------------------
# Preferred source: the TRX files (one per test project). Fallback: the per-project console summary lines
# "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, ...".
passed=0; failed=0; skipped=0; sources=0
counters=""
attr() {  # value of a numeric attribute of the current <Counters .../> element, 0 if absent
    local v
    v="$(printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9][0-9]*' || true)"
    echo "${v:-0}"
}
shopt -s nullglob globstar
trx_files=("$RESULTS"/**/*.trx)
if [ "${#trx_files[@]}" -gt 0 ]; then
    for trx in "${trx_files[@]}"; do
        counters="$(tr '\n' ' ' <"$trx" | grep -o '<Counters [^>]*>' | head -n 1 || true)"
        [ -n "$counters" ] || continue
        passed=$(( passed + $(attr passed) ))
        failed=$(( failed + $(attr failed) + $(attr error) + $(attr timeout) + $(attr aborted) ))
        # Skipped tests are in "total" but not in "executed" (the TRX logger leaves notExecuted at 0 for them).
        not_run=$(( $(attr total) - $(attr executed) ))
        if [ "$(attr notExecuted)" -gt "$not_run" ]; then not_run=$(attr notExecuted); fi
        skipped=$(( skipped + not_run ))
        sources=$(( sources + 1 ))
    done
fi
if [ "$sources" -eq 0 ] && [ -f "$LOG" ]; then
    # No TRX: read dotnet test's console summaries, both the one-line form of minimal verbosity and the block
    # "Test Run Successful." / "Total tests: N" / "Passed: N" / "Failed: N" / "Skipped: N" / "Total time:" of normal verbosity.
    read -r passed failed skipped sources < <(sed -E 's/\x1b\[[0-9;]*[A-Za-z]//g' "$LOG" | awk '
        function num(s) { gsub(/[^0-9]/, "", s); return s + 0 }
        /^[[:space:]]*(Passed|Failed)![[:space:]]+-[[:space:]]+Failed:/ {
            n = split($0, parts, ",")
            for (i = 1; i <= n; i++) {
                if (parts[i] ~ /Failed:/)  { split(parts[i], kv, "Failed:");  f += num(kv[2]) }
                if (parts[i] ~ /Passed:/)  { split(parts[i], kv, "Passed:");  p += num(kv[2]) }
                if (parts[i] ~ /Skipped:/) { split(parts[i], kv, "Skipped:"); s += num(kv[2]) }
            }
            runs++; next
        }
        /^Test Run (Successful|Failed|Aborted)/ { block = 1; runs++; next }
        block && /^[[:space:]]*Passed:[[:space:]]*[0-9]+[[:space:]]*$/  { p += num($0); next }
        block && /^[[:space:]]*Failed:[[:space:]]*[0-9]+[[:space:]]*$/  { f += num($0); next }
        block && /^[[:space:]]*Skipped:[[:space:]]*[0-9]+[[:space:]]*$/ { s += num($0); next }
        block && /Total time:/ { block = 0 }
        END { printf "%d %d %d %d\n", p, f, s, runs }')
fi

echo
echo "Test projects reported: $sources; dotnet test exit code: $test_status; TRX and log under TestResults/."
exit_code=0
if [ "$failed" -gt 0 ]; then
    exit_code=1
elif [ $(( passed + failed )) -eq 0 ]; then
    echo "ERROR: no tests ran."
    exit_code=1
elif [ "$test_status" -ne 0 ]; then
    echo "ERROR: dotnet test failed (exit code $test_status) although no test reported a failure (test host crash, abort or time limit?)."
    exit_code=1
fi
summary "$passed" "$failed" "$skipped"
exit "$exit_code"
