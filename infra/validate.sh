#!/usr/bin/env bash
# Builds and lints every Bicep file under infra/ with the pinned Bicep CLI, then every parameter combination CI
# deploys (infra/tests/*.bicepparam: default, vnet, premium) with `bicep build-params` (values checked against the
# template's types and allowed lists) and `bicep lint`. Any diagnostic at level Warning or Error fails the run
# (bicep itself exits 0 on warnings, so the output is checked too).
#
# The CLI comes from the NuGet package Azure.Bicep.CommandLine.linux-x64 (binary under tools/),
# restored with a throw-away project that only declares a PackageDownload: nothing but NuGet is
# reached. The package lands in infra/bin/bicep-cli/ (ignored by the bin/ rule of .gitignore);
# tests/Voucher.Infra.Tests runs the same binary from that path, so run this script before them.
# Compiled templates go to a temporary directory that is removed on exit.
set -euo pipefail

readonly BICEP_PACKAGE_ID="Azure.Bicep.CommandLine.linux-x64"
readonly BICEP_VERSION="0.49.2"

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_DIR="$INFRA_DIR/bin/bicep-cli"
BICEP="$CACHE_DIR/$(echo "$BICEP_PACKAGE_ID" | tr '[:upper:]' '[:lower:]')/$BICEP_VERSION/tools/bicep"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

WORK_DIR="$(mktemp -d)"
trap 'rm -rf "$WORK_DIR"' EXIT

started=$(date +%s)

install_bicep() {
  if [[ -x "$BICEP" ]] && "$BICEP" --version 2>/dev/null | grep -q "$BICEP_VERSION"; then
    echo "bicep: using $BICEP"
    return
  fi
  echo "bicep: restoring $BICEP_PACKAGE_ID $BICEP_VERSION from NuGet into $CACHE_DIR"
  local project_dir="$WORK_DIR/restore"
  mkdir -p "$project_dir" "$CACHE_DIR"
  # Outside the repository, so Directory.Build.props / Directory.Packages.props do not apply.
  cat >"$project_dir/bicep-cli.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="$BICEP_PACKAGE_ID" Version="[$BICEP_VERSION]" />
  </ItemGroup>
</Project>
EOF
  dotnet restore "$project_dir/bicep-cli.csproj" --packages "$CACHE_DIR" --verbosity quiet
  if [[ ! -f "$BICEP" ]]; then
    echo "bicep: the package restored but $BICEP is missing" >&2
    exit 1
  fi
  chmod u+x "$BICEP"
  echo "bicep: installed $("$BICEP" --version)"
}

# Fails when the captured output of one bicep command holds a warning or an error.
check_diagnostics() {
  local step="$1" output_file="$2" exit_code="$3"
  if [[ -s "$output_file" ]]; then
    sed 's/^/    /' "$output_file"
  fi
  if [[ "$exit_code" -ne 0 ]] || grep -Eq ' : (Warning|Error) ' "$output_file"; then
    echo "FAILED: $step reported warnings or errors (exit code $exit_code)" >&2
    return 1
  fi
  echo "  $step: no warnings, no errors"
}

install_bicep

cd "$INFRA_DIR"
mapfile -t files < <(find . -name '*.bicep' -not -path './bin/*' -not -path './node_modules/*' | sed 's|^\./||' | sort)
mapfile -t combinations < <(find tests -name '*.bicepparam' | sort)
if [[ ${#combinations[@]} -eq 0 ]]; then
  echo "FAILED: no parameter combinations in infra/tests/*.bicepparam" >&2
  exit 1
fi
if [[ ${#files[@]} -eq 0 ]]; then
  echo "FAILED: no .bicep files under $INFRA_DIR" >&2
  exit 1
fi
if [[ ! -f bicepconfig.json ]]; then
  echo "FAILED: infra/bicepconfig.json is missing; the linter would run with default (weaker) rules" >&2
  exit 1
fi

echo "checking ${#files[@]} Bicep files with $("$BICEP" --version) and infra/bicepconfig.json:"
printf '  %s\n' "${files[@]}"

out_dir="$WORK_DIR/arm"
failed=0
# One build and one lint per folder (--pattern): the CLI starts once per folder instead of once per file.
mapfile -t folders < <(printf '%s\n' "${files[@]}" | xargs -n1 dirname | sort -u)
for folder in "${folders[@]}"; do
  echo "$folder/*.bicep"
  set +e
  "$BICEP" build --pattern "$folder/*.bicep" --outdir "$out_dir/$folder" >"$WORK_DIR/build.log" 2>&1
  build_rc=$?
  "$BICEP" lint --pattern "$folder/*.bicep" >"$WORK_DIR/lint.log" 2>&1
  lint_rc=$?
  set -e
  check_diagnostics "build" "$WORK_DIR/build.log" "$build_rc" || failed=1
  check_diagnostics "lint" "$WORK_DIR/lint.log" "$lint_rc" || failed=1
done
for f in "${files[@]}"; do
  if [[ ! -s "$out_dir/${f%.bicep}.json" ]]; then
    echo "FAILED: no compiled template for $f" >&2
    failed=1
  fi
done

# Parameter combinations (infra/tests/*.bicepparam): each compiles against main.bicep and lints clean.
for combination in "${combinations[@]}"; do
  echo "$combination"
  set +e
  "$BICEP" build-params "$combination" --outfile "$out_dir/$(basename "${combination%.bicepparam}").parameters.json" >"$WORK_DIR/build.log" 2>&1
  build_rc=$?
  "$BICEP" lint "$combination" >"$WORK_DIR/lint.log" 2>&1
  lint_rc=$?
  set -e
  check_diagnostics "build-params" "$WORK_DIR/build.log" "$build_rc" || failed=1
  check_diagnostics "lint" "$WORK_DIR/lint.log" "$lint_rc" || failed=1
done

elapsed=$(($(date +%s) - started))
if [[ "$failed" -ne 0 ]]; then
  echo "infra/validate.sh: FAILED after ${elapsed}s" >&2
  exit 1
fi
echo "infra/validate.sh: ${#files[@]} files and ${#combinations[@]} parameter combinations built and linted, 0 warnings, 0 errors (${elapsed}s)"
