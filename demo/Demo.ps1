#Requires -Version 7.4
<#
.SYNOPSIS
    The Arq demo: a throwaway redis-server, jobs for PowerShell and .NET actors enqueued from PowerShell, one burst
    worker (one executor process) running them all, and the results.
    Run it with: dotnet tool restore && dotnet pwsh ./build.ps1 Demo
#>
$ErrorActionPreference = 'Stop'
Import-Module $env:ARQ_MODULE_PATH
# The throwaway server comes from the test fixture: redis-server on a free loopback port, persistence off.
Add-Type -Path $env:ARQ_FIXTURE_PATH
$server = [Arq.Tests.RedisTestServer]::StartPrivate()
if (-not $server) { throw 'redis-server is not on PATH; build.ps1 Demo installs it when run as root.' }

try {
    $null = Connect-ArqRedis $server.ConnectionString
    Write-Host "Throwaway Redis: $($server.Description)`n"

    $text = 'the quick brown fox jumps over the lazy dog the end'
    $jobs = @(
        'ann', 'bob' | ForEach-Object { Submit-ArqJob -Function Greeter.Hello -ArgumentList $_ }
        Submit-ArqJob -Function Get-DiskReport -Parameters @{ Path = '/' }
        Submit-ArqJob -Function TextStats.CountWords -ArgumentList $text
        Submit-ArqJob -Function TextStats.Top -ArgumentList $text -Parameters @{ count = 2 }
        Submit-ArqJob -Function Nobody.Home
    )
    Write-Host 'Enqueued:'
    $jobs | Format-Table Function, Status, Id | Out-Host

    Write-Host 'Running a burst worker (one executor process for every job)...'
    $summary = Start-ArqWorker -Path (Join-Path $PSScriptRoot 'actors.ps1') -Assembly $env:ARQ_DEMO_ACTORS -Burst
    $summary | Format-Table | Out-Host

    Write-Host 'Results:'
    $jobs | Get-ArqJob | ForEach-Object {
        $result = if ($_.Success) { Receive-ArqJob -Job $_ | ConvertTo-Json -Compress } else { $_.Error }
        [pscustomobject]@{ Function = $_.Function; Outcome = if ($_.Success) { 'Succeeded' } else { 'Failed' }; Result = $result }
    } | Format-Table -Wrap | Out-Host
    Write-Host 'The queue is empty again:'
    Get-ArqQueue | Format-Table | Out-Host
}
finally {
    $server.Dispose()
}
