#Requires -Version 7.4
<#
.SYNOPSIS
    The Arq demo: starts a throwaway redis-server, enqueues jobs from PowerShell, and shows where they are.
    Run it with: dotnet tool restore && dotnet pwsh ./build.ps1 Demo
#>
$ErrorActionPreference = 'Stop'
Import-Module $env:ARQ_MODULE_PATH
# The throwaway server comes from the test fixture: redis-server on a free loopback port, persistence off.
Add-Type -Path $env:ARQ_FIXTURE_PATH
$server = [Arq.Tests.RedisTestServer]::StartPrivate()
if (-not $server) { throw 'redis-server is not on PATH; build.ps1 Demo installs it when run as root.' }

try {
    $redis = $server.ConnectionString
    Write-Host "Throwaway Redis: $($server.Description)`n"

    $jobs = @(
        Submit-ArqJob -Redis $redis -Function Downloader.DownloadContent -ArgumentList 'https://example.com'
        1..3 | Submit-ArqJob -Redis $redis -Function Square
        Submit-ArqJob -Redis $redis -Function Reports.Monthly -Parameters @{ Month = 11; Format = 'pdf' } -DeferBy (New-TimeSpan -Minutes 10)
        Submit-ArqJob -Redis $redis -Function Cleanup -JobId nightly-cleanup
    )

    Write-Host 'Enqueuing nightly-cleanup a second time is refused as a duplicate:'
    Submit-ArqJob -Redis $redis -Function Cleanup -JobId nightly-cleanup -ErrorAction Continue
    Write-Host ''

    Write-Host 'The jobs, as any Arq or Python arq worker on arq:queue will find them:'
    $jobs | Get-ArqJob -Redis $redis |
        Format-Table Function, Status, @{ n = 'Arguments'; e = { ($_.ArgumentList + @($_.Parameters.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" })) -join ', ' } }, Id -AutoSize |
        Out-Host
    Write-Host 'No worker runs yet, so they stay queued (and one deferred).'
}
finally {
    $server.Dispose()
}
