BeforeDiscovery {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    # Every ```powershell run or ```csharp run block of the README and docs/, with the ```text block after it (if any)
    # as the output it must print.
    $examples = foreach ($file in @(Get-Item (Join-Path $root 'README.md')) + @(Get-ChildItem (Join-Path $root 'docs') -Filter *.md)) {
        $lines = Get-Content $file.FullName
        for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -notmatch '^```(powershell|csharp) run\s*$') { continue }
            $language, $start = $Matches[1], ($i + 1)
            do { $i++ } while ($lines[$i] -ne '```')
            $code = $lines[$start..($i - 1)] -join "`n"
            $j = $i + 1
            while ($j -lt $lines.Count -and $lines[$j] -eq '') { $j++ }
            $expected = $null
            if ($j -lt $lines.Count -and $lines[$j] -eq '```text') {
                $end = $j + 1
                while ($lines[$end] -ne '```') { $end++ }
                $expected = @($lines[($j + 1)..($end - 1)])
            }
            @{ File = [IO.Path]::GetRelativePath($root, $file.FullName); Line = $start; Language = $language; Code = $code; Expected = $expected }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

Describe 'The examples of the README and docs/' {
    BeforeEach {
        $db = New-TestDatabase
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive "example-$(New-Guid)")
    }
    AfterEach { $db.Dispose() }

    It '<File>:<Line> (<Language>) runs and prints what the docs show' -ForEach $examples {
        $env:ARQ_REDIS_URL = $db.Url
        try {
            if ($Language -eq 'powershell') {
                # 'Import-Module Arq' finds the built module, as it finds an installed one.
                $moduleRoot = Split-Path (Split-Path $modulePath)
                $script = Join-Path $folder 'example.ps1'
                Set-Content $script "`$ErrorActionPreference = 'Stop'`n`$env:PSModulePath = '$moduleRoot' + [IO.Path]::PathSeparator + `$env:PSModulePath`nSet-Location '$folder'`n$Code"
                $pwsh = Get-PwshCommand
                $out = & $pwsh[0] @(@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $script)) 2>&1 | ForEach-Object { "$_" }
            }
            else {
                # Every library a user may add: the engine, the test harness, hosting, the dashboard.
                $libraries = Get-ChildItem (Join-Path $repositoryRoot 'src') -Filter *.csproj -Recurse | Where-Object BaseName -ne 'Arq.PowerShell'
                Set-Content (Join-Path $folder 'Example.csproj') @"
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>$($libraries | ForEach-Object { "<ProjectReference Include=`"$_`" />" })</ItemGroup>
</Project>
"@
                Set-Content (Join-Path $folder 'Program.cs') $Code
                $out = & dotnet run --project $folder 2>&1 | ForEach-Object { "$_" }
            }
            $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
            if ($Expected) { $out | Should -Be $Expected }
        }
        finally { Remove-Item Env:ARQ_REDIS_URL }
    }

    It 'ships about_Arq with the module' {
        $help = Invoke-ChildPwsh "Import-Module '$modulePath'; (Get-Help about_Arq | Out-String)"
        ($help -join "`n") | Should -BeLike '*Job queues on Redis for PowerShell and .NET*'
    }
}
