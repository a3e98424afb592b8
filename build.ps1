#!/usr/bin/env pwsh
# ActorNet build script (PowerShell). Usage: ./build.ps1 <build|test|run|publish|check> [args]
$ErrorActionPreference = 'Stop'
Set-Location -Path $PSScriptRoot

$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'
$env:MSBUILDDISABLENODEREUSE = '1'
$env:DOTNET_CLI_USE_MSBUILD_SERVER = '0'
$env:UseSharedCompilation = 'false'

$Solution = 'ActorNet.sln'
$NodeProject = 'src/ActorNet.Node'
$PublishDir = 'artifacts/actornet'
$ResultsDir = 'artifacts/test-results'
$DefaultConfig = 'config/node.conf'

function Show-Usage {
    @"
usage: ./build.ps1 <verb> [args]
  build            dotnet build -c Release
  test             build, publish $PublishDir, run every test project; last line: 'N passed, N failed, N skipped'
  run [args]       run the node: actornet run --config $DefaultConfig [args]
  publish          publish a runnable $PublishDir/actornet (framework-dependent)
  check [PATH]     validate a config file (default: $DefaultConfig); exit 2 if invalid
  bench            benchmark ActorNet vs raw baseline, ngircd, nats-server on 127.0.0.1 (docs/BENCHMARKS.md)
  conformance      publish, start a node on config/conformance.conf, run the irctest server suite (docs/CONFORMANCE.md)
"@
}

function Invoke-Dotnet([string[]] $Arguments) {
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Build { Invoke-Dotnet @('build', $Solution, '-c', 'Release', '-nodeReuse:false') }

function Invoke-Publish([string[]] $Extra = @()) {
    Invoke-Dotnet (@('publish', $NodeProject, '-c', 'Release', '-o', $PublishDir, '-nodeReuse:false') + $Extra)
}

function Invoke-Tests {
    Invoke-Build
    Invoke-Publish @('--no-build')
    $exe = if ($IsWindows -or $env:OS -eq 'Windows_NT') { 'actornet.exe' } else { 'actornet' }
    $env:ACTORNET_BIN = Join-Path (Resolve-Path $PublishDir) $exe
    if (Test-Path $ResultsDir) { Remove-Item -Recurse -Force $ResultsDir }
    New-Item -ItemType Directory -Force -Path $ResultsDir | Out-Null

    & dotnet test $Solution -c Release --no-build --logger trx --results-directory $ResultsDir
    $status = $LASTEXITCODE

    $total = 0; $passed = 0; $failed = 0
    foreach ($trx in Get-ChildItem -Path $ResultsDir -Filter '*.trx' -Recurse) {
        $counters = ([xml](Get-Content -Raw $trx.FullName)).TestRun.ResultSummary.Counters
        $total += [int]$counters.total
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    }
    $skipped = [Math]::Max(0, $total - $passed - $failed)
    if ($status -ne 0 -and $failed -eq 0) {
        [Console]::Error.WriteLine("dotnet test exited with $status but no test failure was recorded (build or runner error)")
    }
    if ($total -eq 0) { [Console]::Error.WriteLine('no test ran') }
    Write-Output "$passed passed, $failed failed, $skipped skipped"
    if ($status -ne 0 -or $failed -gt 0 -or $total -eq 0) { exit 1 }
}

function Invoke-Node([string[]] $Rest) {
    $hasConfig = $Rest | Where-Object { $_ -in @('--config', '-c') -or $_ -like '--config=*' -or $_ -like '-c=*' }
    $runArgs = if ($hasConfig) { @('run') + $Rest } else { @('run', '--config', $DefaultConfig) + $Rest }
    & dotnet run --project $NodeProject -c Release -- @runArgs
    exit $LASTEXITCODE
}

function Invoke-Check([string[]] $Rest) {
    $path = if ($Rest.Count -gt 0) { $Rest[0] } else { $DefaultConfig }
    $extra = if ($Rest.Count -gt 1) { $Rest[1..($Rest.Count - 1)] } else { @() }
    & dotnet run --project $NodeProject -c Release -- check --config $path @extra
    exit $LASTEXITCODE
}

$verb = if ($args.Count -gt 0) { [string]$args[0] } else { '' }
[string[]] $rest = if ($args.Count -gt 1) { $args[1..($args.Count - 1)] } else { @() }

switch ($verb) {
    'build'   { Invoke-Build }
    'test'    { Invoke-Tests }
    'run'     { Invoke-Node $rest }
    'publish' { Invoke-Publish }
    'check'   { Invoke-Check $rest }
    # bench: the one-shot benchmark (bash script: needs Linux, apt-get, ngircd, nats-server; 127.0.0.1 only)
    'bench'   { & bash (Join-Path $PSScriptRoot 'bench/run-bench.sh') @rest; exit $LASTEXITCODE }
    # conformance: the irctest server suite against a fresh node (bash script: needs Linux, apt-get, python3)
    'conformance' { Invoke-Publish; & bash (Join-Path $PSScriptRoot 'tests/conformance/run.sh') @rest; exit $LASTEXITCODE }
    { $_ -in @('help', '-h', '--help') } { Show-Usage }
    default   { [Console]::Error.WriteLine((Show-Usage)); exit 64 }
}
