#Requires -Version 7.4
# Runs every *.Tests.ps1 here with the Pester that build.ps1 restored, and writes the counts for its summary.
$ErrorActionPreference = 'Stop'
Import-Module $env:ARQ_PESTER_MODULE -MinimumVersion 5.7.1
$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $configuration
$failedTests = @($result.Failed.ExpandedPath) + @($result.FailedBlocks.ExpandedPath) + @($result.FailedContainers.Item | ForEach-Object { "$_" })
@{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount; FailedTests = $failedTests } |
    ConvertTo-Json | Set-Content $env:ARQ_PESTER_RESULT
if ($result.Result -ne 'Passed') { exit 1 }
