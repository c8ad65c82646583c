# Dot-sourced by every test file: imports the built module and the shared Redis test fixture.
$repositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$modulePath = $env:ARQ_MODULE_PATH ?? (Join-Path $repositoryRoot 'out/Arq/Arq.psd1')
$fixturePath = $env:ARQ_FIXTURE_PATH ?? (Join-Path $repositoryRoot 'tests/RedisFixture/bin/Debug/net8.0/Arq.RedisFixture.dll')
Import-Module $modulePath -Force
Add-Type -Path $fixturePath

# Each test takes an empty Redis database of its own from the shared test server; dispose it in AfterEach.
function New-TestDatabase { [Arq.Tests.RedisTestServer]::Shared.CreateDatabase() }
