#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and demonstrates Arq. Needs only the .NET SDK: run it through the local pwsh tool.

.DESCRIPTION
    Tasks:
      Build  builds the solution and lays out the module in out/Arq.
      Test   builds, installs redis-server when missing (as root, from Debian packages), runs the pure xunit suite
             (no Redis), the integration, hosting (Generic Host, ASP.NET Core) and reliability suites (printing the latter's figures) and the Pester suite against
             real redis-server processes, and prints "Tests: N passed, N failed". With -Repeat N it runs the suites
             N times and then lists
             every test that failed in any run, to catch a flaky test before it lands.
      Package  builds in Release and writes out/dist: the module as a PowerShell Gallery package (in a local file
             repository) and the libraries (Arq.Core, Arq.Testing, ...) as NuGet packages with symbols; lists what each holds.
      Demo   builds, starts a throwaway redis-server, enqueues jobs for PowerShell and .NET actors from PowerShell,
             runs a burst worker (Start-ArqWorker) and prints the results.
      Bench  builds in Release, installs BullMQ from npm (bench/bullmq), and runs every benchmark case for Arq and
             for BullMQ on a redis-server of its own, three times each, alternating; prints the table of medians.
      Load   builds in Release and keeps a steady load (-Rate jobs/s for -Seconds) on Start-ArqWorker's executor;
             prints a line a second, then throughput, latency percentiles and the executor's memory growth.

.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 Test

    Runs every test once, as CI does.

.EXAMPLE
    dotnet pwsh ./build.ps1 Test -Repeat 3

    Runs every test three times and names each test that failed in any of the runs.
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Package', 'Demo', 'Bench', 'Load')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',

    # Load: how long to keep the load up, and how many jobs a second to enqueue.
    [ValidateRange(5, 86400)]
    [int] $Seconds = 60,

    [ValidateRange(1, 1000000)]
    [int] $Rate = 1000,

    # Test: how many times to run the suites; a test that fails in any run is named at the end.
    [ValidateRange(1, 50)]
    [int] $Repeat = 1
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleFolder = Join-Path $out 'Arq'
$fixture = Join-Path $root "tests/RedisFixture/bin/$Configuration/net8.0/Arq.RedisFixture.dll"

function Invoke-Native([string] $Command, [string[]] $Arguments) {
    & $Command @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "'$Command $Arguments' failed with exit code $LASTEXITCODE." }
}

# The command line that starts another pwsh like this one: the local dotnet tool runs as 'dotnet pwsh.dll'.
function Get-PwshCommand { , [string[]] @(& (Join-Path $root 'tools/Get-PwshCommand.ps1')) }

function Invoke-Pwsh([string] $Script, [hashtable] $Environment = @{}, [string[]] $Arguments = @()) {
    $pwsh = Get-PwshCommand
    $saved = @{}
    foreach ($name in $Environment.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $Environment[$name])
    }
    try {
        Invoke-Native $pwsh[0] (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $Script) + $Arguments)
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}

function Install-Redis {
    if ($env:ARQ_TEST_REDIS -or (Get-Command redis-server -ErrorAction Ignore)) { return }
    if (-not (Test-DebianInstall)) {
        throw 'redis-server is not installed. Install it (Debian/Ubuntu: sudo apt-get install redis-server; ' +
            'macOS: brew install redis; Windows: run the tests in WSL), or set ARQ_TEST_REDIS=host:port to use a server you run.'
    }
    Install-DebianPackage 'redis-server'
}

# Whether this machine installs Debian packages itself: Linux with apt-get, as root (CI's case).
function Test-DebianInstall { $IsLinux -and (Get-Command apt-get -ErrorAction Ignore) -and ((id -u) -eq '0') }

function Install-DebianPackage([string[]] $Package) {
    Write-Host "Installing $($Package -join ', ') from Debian packages..."
    $env:DEBIAN_FRONTEND = 'noninteractive'
    Invoke-Native apt-get @('update', '-qq')
    Invoke-Native apt-get (@('install', '-y', '-qq') + $Package)
}

# Headless Chromium for the dashboard's browser test: Debian's package, when missing and root (as for redis-server).
function Install-Chromium {
    if (Get-Command chromium, chromium-browser, google-chrome -ErrorAction Ignore) { return }
    if (-not (Test-DebianInstall)) {
        Write-Host 'Chromium is not installed: the dashboard''s browser test will be skipped (Debian/Ubuntu: apt-get install chromium).'
        return
    }
    Install-DebianPackage 'chromium', 'chromium-driver'
}

function Get-BuildProperty([string] $Name) {
    ([xml](Get-Content (Join-Path $root 'Directory.Build.props') -Raw)).Project.PropertyGroup.$Name
}

function Get-Version { Get-BuildProperty VersionPrefix }

# The version's section of CHANGELOG.md: the release notes of the NuGet package and of the module.
function Get-ReleaseNotes {
    $version = Get-Version
    $section = (Get-Content (Join-Path $root 'CHANGELOG.md') -Raw) -split '(?m)^## ' | Where-Object { $_ -match "^$([regex]::Escape($version))\s" }
    if (-not $section) { throw "CHANGELOG.md has no section '## $version'." }
    ($section -replace "^$([regex]::Escape($version))\s*", '').Trim()
}

function Invoke-Build {
    Invoke-Native dotnet @('build', (Join-Path $root 'Arq.sln'), '-c', $Configuration, '--nologo', '-v', 'quiet')
    if (Test-Path $moduleFolder) { Remove-Item $moduleFolder -Recurse -Force }
    # The cmdlet assembly sits at the module root; everything it depends on goes to Dependencies, which the module
    # loads into a context of its own so that other versions of the same packages in the session do not matter.
    $dependencies = Join-Path $moduleFolder 'Dependencies'
    Invoke-Native dotnet @('publish', (Join-Path $root 'src/Arq.PowerShell'), '-c', $Configuration, '--no-build', '-o', $dependencies, '--nologo', '-v', 'quiet')
    Get-ChildItem $dependencies -Filter '*.pdb' | Remove-Item
    Get-ChildItem $dependencies -Filter '*.deps.json' | Remove-Item
    Move-Item (Join-Path $dependencies 'Arq.PowerShell.dll') $moduleFolder
    Copy-Item (Join-Path $root 'module/Arq.format.ps1xml') $moduleFolder
    New-Item -ItemType Directory -Force (Join-Path $moduleFolder 'en-US') | Out-Null
    Copy-Item (Join-Path $root 'module/en-US/about_Arq.help.txt') (Join-Path $moduleFolder 'en-US')
    $manifest = (Get-Content (Join-Path $root 'module/Arq.psd1') -Raw) `
        -replace "ModuleVersion(\s*)= '[^']*'", "ModuleVersion`$1= '$(Get-Version)'" `
        -replace "ProjectUri(\s*)= ''", "ProjectUri`$1= '$(Get-BuildProperty PackageProjectUrl)'" `
        -replace "ReleaseNotes(\s*)= ''", { "ReleaseNotes$($_.Groups[1].Value)= '$((Get-ReleaseNotes) -replace "'", "''")'" }
    $manifest | Set-Content (Join-Path $moduleFolder 'Arq.psd1') -NoNewline
    $xmlDocs = Get-ChildItem $dependencies -Filter '*.xml'
    Invoke-Pwsh (Join-Path $root 'tools/Write-CmdletHelp.ps1') -Arguments @(
        '-ModulePath', (Join-Path $moduleFolder 'Arq.psd1'),
        '-XmlDocPath', (Join-Path $dependencies 'Arq.PowerShell.xml'),
        '-OutputPath', (Join-Path $moduleFolder 'en-US/Arq.PowerShell.dll-Help.xml'))
    $xmlDocs | Remove-Item
    Write-Host "Module laid out in $moduleFolder"
}

function Get-PesterModule {
    Invoke-Native dotnet @('restore', (Join-Path $root 'tests/pester/Pester.proj'), '--nologo', '-v', 'quiet')
    Join-Path $out 'packages/pester/5.7.1/tools/Pester.psd1'
}

# The Native AOT sample worker, published for this machine (its tests run jobs through it).
function Publish-AotWorker {
    $aotWorker = Join-Path $out 'aot-worker'
    Invoke-Native dotnet @('publish', (Join-Path $root 'samples/AotWorker'), '-c', 'Release', '-r', [Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier,
        '-o', $aotWorker, '--nologo', '-v', 'quiet')
    Join-Path $aotWorker ('Arq.Samples.AotWorker' + ($IsWindows ? '.exe' : ''))
}

function Invoke-Test {
    Invoke-Package # the install tests install what it writes
    Install-Redis
    Install-Chromium
    $env:ARQ_AOT_WORKER = Publish-AotWorker
    $runs = foreach ($run in 1..$Repeat) {
        if ($Repeat -gt 1) { Write-Host "Run $run of ${Repeat}:" }
        $suites = @((Invoke-XunitTests 'tests/pure'), (Invoke-XunitTests 'tests/unit'), (Invoke-XunitTests 'tests/hosting'),
            (Invoke-ReliabilityTests), (Invoke-PesterTests))
        $pure, $unit, $hosting, $reliability, $pester = $suites
        Write-Host ("pure: $($pure.Passed) passed, $($pure.Failed) failed; integration: $($unit.Passed) passed, $($unit.Failed) failed; " +
            "hosting: $($hosting.Passed) passed, $($hosting.Failed) failed; " +
            "reliability: $($reliability.Passed) passed, $($reliability.Failed) failed; Pester: $($pester.Passed) passed, $($pester.Failed) failed")
        [pscustomobject]@{
            Run         = $run
            Passed      = ($suites | Measure-Object Passed -Sum).Sum
            Failed      = ($suites | Measure-Object Failed -Sum).Sum
            FailedTests = @($suites.FailedTests)
            ExitedBadly = @($suites | Where-Object ExitCode -ne 0).Count -gt 0
        }
    }
    if ($Repeat -gt 1) {
        foreach ($run in $runs) { Write-Host "Run $($run.Run): $($run.Passed) passed, $($run.Failed) failed" }
        $failures = $runs | ForEach-Object { foreach ($name in $_.FailedTests) { [pscustomobject]@{ Name = $name; Run = $_.Run } } } | Group-Object Name
        if ($failures) {
            Write-Host 'Tests that failed in any run:'
            foreach ($failure in $failures) { Write-Host "  $($failure.Name) (run $(@($failure.Group.Run) -join ', '))" }
        }
    }
    $passed = ($runs | Measure-Object Passed -Sum).Sum
    $failed = ($runs | Measure-Object Failed -Sum).Sum
    Write-Host "Tests: $passed passed, $failed failed"
    if ($failed -gt 0 -or @($runs | Where-Object ExitedBadly).Count -gt 0) { exit 1 }
}

# The reliability suite, then its figures (jobs, faults, lost, ran twice), one line per scenario.
function Invoke-ReliabilityTests {
    $report = Join-Path $out 'reliability-report.txt'
    Remove-Item $report -ErrorAction Ignore
    $env:ARQ_RELIABILITY_REPORT = $report
    try { $result = Invoke-XunitTests 'tests/reliability' }
    finally { Remove-Item Env:ARQ_RELIABILITY_REPORT }
    Write-Host 'Reliability figures:'
    if (Test-Path $report) { Get-Content $report | Sort-Object | ForEach-Object { Write-Host "  $_" } }
    $result
}

function Invoke-XunitTests([string] $Project) {
    $lines = & dotnet test --project (Join-Path $root $Project) -c $Configuration --no-build 2>&1 |
        ForEach-Object { Write-Host $_; "$_" }
    $exitCode = $LASTEXITCODE
    $summary = $lines -join "`n"
    [pscustomobject]@{
        Passed      = if ($summary -match 'succeeded:\s*(\d+)') { [int]$Matches[1] } else { 0 }
        Failed      = if ($summary -match 'failed:\s*(\d+)') { [int]$Matches[1] } else { 1 }
        FailedTests = @([regex]::Matches($summary, '(?m)^\s*failed (\S+)') | ForEach-Object { $_.Groups[1].Value })
        ExitCode    = $exitCode
    }
}

function Invoke-PesterTests {
    $resultFile = Join-Path $out 'pester-result.json'
    Remove-Item $resultFile -ErrorAction Ignore
    $exitCode = 0
    try {
        Invoke-Pwsh (Join-Path $root 'tests/pester/Run-Pester.ps1') @{
            ARQ_PESTER_MODULE = Get-PesterModule
            ARQ_MODULE_PATH   = Join-Path $moduleFolder 'Arq.psd1'
            ARQ_FIXTURE_PATH  = $fixture
            ARQ_WORKERHOST_PATH = Join-Path $root "tests/WorkerHost/bin/$Configuration/net10.0/Arq.WorkerHost.dll"
            ARQ_SAMPLEACTORS_PATH = Join-Path $root "tests/SampleActors/bin/$Configuration/net8.0/Arq.SampleActors.dll"
            ARQ_PESTER_RESULT = $resultFile
            ARQ_DIST_PATH     = Join-Path $out 'dist'
            ARQ_TEST_OUTPUT   = Join-Path $out 'test-results'
        }
    }
    catch {
        Write-Host $_
        $exitCode = 1
    }
    $counts = if (Test-Path $resultFile) { Get-Content $resultFile -Raw | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 1; FailedTests = @('Pester (no result)') } }
    [pscustomobject]@{ Passed = $counts.Passed; Failed = $counts.Failed; FailedTests = @($counts.FailedTests); ExitCode = $exitCode }
}

function Invoke-Demo {
    Invoke-Build
    Install-Redis
    Invoke-Pwsh (Join-Path $root 'demo/Demo.ps1') @{
        ARQ_MODULE_PATH  = Join-Path $moduleFolder 'Arq.psd1'
        ARQ_FIXTURE_PATH = $fixture
        ARQ_DEMO_ACTORS  = Join-Path $root "demo/DotNetActors/bin/$Configuration/net8.0/Arq.Demo.Actors.dll"
    }
}

function Invoke-Bench {
    Invoke-Build
    Install-Redis
    Invoke-Native npm @('ci', '--prefix', (Join-Path $root 'bench/bullmq'), '--no-audit', '--no-fund', '--loglevel', 'error')
    # The benchmark's .NET worker three ways, side by side: as built (the JIT compiles it as it runs), published
    # ReadyToRun (as a .NET worker service is usually deployed) and published Native AOT.
    $workerProject = Join-Path $root 'bench/Arq.Bench.Worker'
    $readyToRun = Join-Path $out 'bench-worker'
    $native = Join-Path $out 'bench-worker-aot'
    $rid = [Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
    Invoke-Native dotnet @('publish', $workerProject, '-c', $Configuration, '-r', $rid, '--self-contained', 'false', '-p:PublishReadyToRun=true',
        '-o', $readyToRun, '--nologo', '-v', 'quiet')
    Invoke-Native dotnet @('publish', $workerProject, '-c', $Configuration, '-r', $rid, '-p:NativeAot=true', '-o', $native, '--nologo', '-v', 'quiet')
    $pwsh = Get-PwshCommand
    Invoke-Native dotnet @((Join-Path $root "bench/Arq.Bench/bin/$Configuration/net10.0/Arq.Bench.dll"), 'run',
        '--module', (Join-Path $moduleFolder 'Arq.psd1'), '--pwsh', $pwsh[-1], '--bullmq', (Join-Path $root 'bench/bullmq'),
        '--ready-to-run', (Join-Path $readyToRun 'Arq.Bench.Worker.dll'), '--jit', (Join-Path $workerProject "bin/$Configuration/net10.0/Arq.Bench.Worker.dll"),
        '--aot', (Join-Path $native ('Arq.Bench.Worker' + ($IsWindows ? '.exe' : ''))), '--repeat', '3')
}

# The NuGet packages: the engine, and each part a user may do without.
$libraries = 'Arq.Core', 'Arq.Testing', 'Arq.Extensions.Hosting', 'Arq.AspNetCore'

# The module as the PowerShell Gallery takes it, and the libraries as NuGet takes them, in out/dist: psgallery/ is a local
# file repository the install tests install from, nuget/ a local package source.
function Invoke-Package {
    Invoke-Build
    $dist = Join-Path $out 'dist'
    if (Test-Path $dist) { Remove-Item $dist -Recurse -Force }
    $gallery = New-Item -ItemType Directory (Join-Path $dist 'psgallery')
    $notes = Join-Path $out 'release-notes.txt'
    Get-ReleaseNotes | Set-Content $notes
    foreach ($library in $libraries) {
        Invoke-Native dotnet @('pack', (Join-Path $root "src/$library"), '-c', $Configuration, '--no-build', '--nologo', '-v', 'quiet',
            '-o', (Join-Path $dist 'nuget'), "-p:ReleaseNotesFile=$notes")
    }
    $repository = "ArqBuild-$PID"
    Register-PSResourceRepository -Name $repository -Uri $gallery.FullName -Trusted
    try { Publish-PSResource -Path $moduleFolder -Repository $repository }
    finally { Unregister-PSResourceRepository -Name $repository }
    foreach ($package in Get-ChildItem $dist -Recurse -Include '*.nupkg', '*.snupkg') {
        Write-Host "$($package.FullName.Substring($root.Length + 1)):"
        $zip = [System.IO.Compression.ZipFile]::OpenRead($package.FullName)
        try {
            $zip.Entries | Where-Object { $_.FullName -notmatch '^(_rels/|package/|\[Content_Types\])' } |
                Sort-Object FullName | ForEach-Object { Write-Host ("  {0,-72} {1,10:N0}" -f $_.FullName, $_.Length) }
        }
        finally { $zip.Dispose() }
    }
}

function Invoke-Load {
    Invoke-Build
    Install-Redis
    $pwsh = Get-PwshCommand
    Invoke-Native dotnet @((Join-Path $root "bench/Arq.Bench/bin/$Configuration/net10.0/Arq.Bench.dll"), 'load',
        '--module', (Join-Path $moduleFolder 'Arq.psd1'), '--pwsh', $pwsh[-1], '--seconds', $Seconds, '--rate', $Rate)
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Package' {
        $Configuration = 'Release'
        Invoke-Package
    }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Bench' {
        $Configuration = 'Release' # figures from a Debug build would mislead
        Invoke-Bench
    }
    'Load' {
        $Configuration = 'Release'
        Invoke-Load
    }
}
