#!/usr/bin/env pwsh
# RwHarness entry point: a thin wrapper over `dotnet test` and the `rwharness` CLI (bash equivalents: docs/benchmarks.md).
#   ./run.ps1 test                     dotnet test RwHarness.sln -c Release
#   ./run.ps1 check  [-Report DIR]     rwharness check  --report DIR
#   ./run.ps1 stress [-Report DIR]     rwharness stress --report DIR/stress
#   ./run.ps1 bench  [-Quick] [-Report DIR]   rwharness bench [--quick] --report DIR
#   ./run.ps1 report [-Report DIR]     rwharness report --results DIR
#   ./run.ps1 gate   [-Report DIR]     rwharness gate --baseline reports/baselines/bench.json --results DIR --recheck 2
#   ./run.ps1 all    [-Report DIR]     test + check + mutants + quick bench + gate
# Stops at the first failing step and exits with its exit code.
param(
    [Parameter(Position = 0)]
    [ValidateSet('test', 'check', 'stress', 'bench', 'report', 'gate', 'all')]
    [string]$Verb = 'all',
    [switch]$Quick,
    [string]$Report = 'out'
)

$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$Baseline = 'reports/baselines/bench.json'

function Dotnet([string[]]$Arguments) {
    Write-Host "> dotnet $($Arguments -join ' ')"
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Cli([string[]]$Arguments) {
    Dotnet (@('run', '--project', 'harness/RwHarness.Cli', '-c', 'Release', '--') + $Arguments)
}

function Bench([bool]$IsQuick) {
    $a = @('bench', '--report', $Report)
    if ($IsQuick) { $a += '--quick' }
    Cli $a
}

switch ($Verb) {
    'test'   { Dotnet @('test', 'RwHarness.sln', '-c', 'Release') }
    'check'  { Cli @('check', '--report', $Report) }
    'stress' { Cli @('stress', '--report', "$Report/stress") }
    'bench'  { Bench $Quick.IsPresent }
    'report' { Cli @('report', '--results', $Report) }
    'gate'   { Cli @('gate', '--baseline', $Baseline, '--results', $Report, '--recheck', '2') }
    'all' {
        Dotnet @('test', 'RwHarness.sln', '-c', 'Release')
        Cli @('check', '--report', $Report)
        Cli @('mutants', '--report', "$Report/mutants")
        Bench $true
        Cli @('gate', '--baseline', $Baseline, '--results', $Report, '--recheck', '2')
        Cli @('gate', '--baseline', $Baseline, '--results', "$Report/mutants")
    }
}
exit 0
