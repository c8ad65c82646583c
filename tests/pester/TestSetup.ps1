# Dot-sourced by every test file: imports the built module and the shared Redis test fixture, and defines helpers.
$repositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$modulePath = $env:ARQ_MODULE_PATH ?? (Join-Path $repositoryRoot 'out/Arq/Arq.psd1')
$fixturePath = $env:ARQ_FIXTURE_PATH ?? (Join-Path $repositoryRoot 'tests/RedisFixture/bin/Debug/net8.0/Arq.RedisFixture.dll')
$workerHostPath = $env:ARQ_WORKERHOST_PATH ?? (Join-Path $repositoryRoot 'tests/WorkerHost/bin/Debug/net10.0/Arq.WorkerHost.dll')
$packagesPath = Join-Path $repositoryRoot 'out/packages'
Import-Module $modulePath -Force
Add-Type -Path $fixturePath

# Each test takes an empty Redis database of its own from the shared test server; dispose it in AfterEach.
function New-TestDatabase { [Arq.Tests.RedisTestServer]::Shared.CreateDatabase() }

# Starts an Arq.NET worker (Echo, Add, Fail, Sleeper.Nap) in a process of its own on the given database.
function Start-TestWorker([string] $Redis) {
    $env:ARQ_WORKERHOST_PATH = $workerHostPath
    $start = [Arq.Tests.WorkerHostCommand]::Worker($Redis, [TimeSpan]::FromSeconds(15), 10, $false)
    $start.RedirectStandardOutput = $true
    $process = [System.Diagnostics.Process]::Start($start)
    if ($process.StandardOutput.ReadLine() -ne 'ready') { throw 'The test worker did not start.' }
    $process
}

# The command line that starts another pwsh like this one.
function Get-PwshCommand { , [string[]] @(& (Join-Path $repositoryRoot 'tools/Get-PwshCommand.ps1')) }

# Runs a script in a new pwsh process (for a clean session) and returns its output lines.
function Invoke-ChildPwsh([string] $Script) {
    $pwsh = Get-PwshCommand
    [string[]] $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $Script)
    & $pwsh[0] @arguments
}

$sampleActorsPath = $env:ARQ_SAMPLEACTORS_PATH ?? (Join-Path $repositoryRoot 'tests/SampleActors/bin/Debug/net8.0/Arq.SampleActors.dll')

# Starts a script in a new pwsh process (as systemd would) and returns the process; its output is collected.
function Start-ChildPwsh([string] $File, [string[]] $ArgumentList) {
    $pwsh = Get-PwshCommand
    $start = [System.Diagnostics.ProcessStartInfo]::new($pwsh[0])
    foreach ($arg in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $File) + $ArgumentList) { $start.ArgumentList.Add($arg) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::new()
    $process.StartInfo = $start
    $null = $process.Start()
    $process
}

# Waits until a condition holds, checking it again after short pauses; fails after the timeout.
function Wait-Until([scriptblock] $Condition, [string] $What, [int] $TimeoutSeconds = 30) {
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out waiting until $What." }
        Start-Sleep -Milliseconds 20
    }
}

# Runs a native command and returns its output lines; fails with that output when the command fails.
function Invoke-Native([string] $Command, [string[]] $Arguments) {
    $output = & $Command @Arguments 2>&1 | ForEach-Object { "$_" }
    if ($LASTEXITCODE -ne 0) { throw "'$Command $Arguments' failed with exit code $LASTEXITCODE`n$($output -join "`n")" }
    $output
}

# Each of $Expected stands in $Log once, in this order (other lines may come between them): the order one job's
# events promise, where concurrent jobs interleave in any order.
function Assert-InOrder([string[]] $Log, [string[]] $Expected) {
    $positions = foreach ($line in $Expected) {
        $at = [Array]::IndexOf($Log, $line)
        if ($at -lt 0 -or [Array]::LastIndexOf($Log, $line) -ne $at) { throw "'$line' is not in the log once: $($Log -join ' | ')" }
        $at
    }
    for ($i = 1; $i -lt @($positions).Count; $i++) {
        if ($positions[$i] -lt $positions[$i - 1]) { throw "'$($Expected[$i])' came before '$($Expected[$i - 1])': $($Log -join ' | ')" }
    }
}
