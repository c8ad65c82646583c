BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    # build.ps1 Test packages first (build.ps1 Package's work) into out/dist.
    $dist = $env:ARQ_DIST_PATH ?? (Join-Path $repositoryRoot 'out/dist')
    $version = ([xml](Get-Content (Join-Path $repositoryRoot 'Directory.Build.props') -Raw)).Project.PropertyGroup.VersionPrefix

    # The README's install commands: the ```<language> install blocks of its Install section, run as written.
    $readme = Get-Content (Join-Path $repositoryRoot 'README.md') -Raw
    function Get-InstallBlock([string] $Language) {
        $block = [regex]::Match($readme, '(?s)```' + $Language + ' install\r?\n(.*?)```')
        if (-not $block.Success) { throw "README.md has no '$Language install' block." }
        $block.Groups[1].Value.Trim()
    }
}

Describe 'Installing Arq the way users install everything else' {
    BeforeEach { $db = New-TestDatabase }
    AfterEach { $db.Dispose() }

    It 'installs the module for the current user with the README''s commands, and it submits and runs a job' {
        # A home of its own: the repository registration and the CurrentUser module folder both live under it.
        $userHome = New-Item -ItemType Directory (Join-Path $TestDrive 'home')
        $actors = Join-Path $TestDrive 'actors.ps1'
        Set-Content $actors 'function Hello($Name) { "hello $Name from the installed module" }'
        $script = @"
`$ErrorActionPreference = 'Stop'
Set-Location '$(Split-Path (Split-Path $dist))'
$(Get-InstallBlock powershell)
Import-Module Arq
(Get-Module Arq).ModuleBase
(Get-Module Arq).Version.ToString()
`$job = Submit-ArqJob -Redis '$($db.ConnectionString)' -Function Hello -ArgumentList world
([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Arq.Core' }).GetName().Version.ToString(3)
`$null = Start-ArqWorker -Redis '$($db.ConnectionString)' -Path '$actors' -Burst
`$job | Receive-ArqJob
"@
        $saved = $env:HOME, $env:XDG_DATA_HOME
        try {
            $env:HOME = $userHome.FullName
            $env:XDG_DATA_HOME = $null
            $out = Invoke-ChildPwsh $script
        }
        finally { $env:HOME, $env:XDG_DATA_HOME = $saved }

        $installed = Join-Path $userHome ".local/share/powershell/Modules/Arq/$version"
        $out | Should -Be @($installed, $version, $version, 'hello world from the installed module')
    }

    It 'adds Arq.Core to a new console project with the README''s command, and the project runs a job' {
        $project = Join-Path $TestDrive 'consumer'
        Invoke-Native dotnet 'new', 'console', '--output', $project, '--name', 'Consumer'
        # A packages folder of its own, so no cached Arq.Core of the same version stands in; the user's cache serves
        # the dependencies without downloading them again.
        $cache = $env:NUGET_PACKAGES ?? (Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages')
        Set-Content (Join-Path $project 'nuget.config') @"
<configuration>
  <config><add key="globalPackagesFolder" value="$(Join-Path $TestDrive 'packages')" /></config>
  <fallbackPackageFolders><add key="user" value="$cache" /></fallbackPackageFolders>
</configuration>
"@
        $words = -split (Get-InstallBlock sh).Replace('path/to/arq/out/dist', $dist)
        Push-Location $project
        try { Invoke-Native $words[0] $words[1..($words.Count - 1)] }
        finally { Pop-Location }
        Set-Content (Join-Path $project 'Program.cs') @'
using Arq;
using Arq.Worker;
using StackExchange.Redis;

var redis = await ConnectionMultiplexer.ConnectAsync(args[0]);
var job = await new ArqClient(redis).EnqueueAsync("greet", "package");
var functions = new FunctionRegistry().Add("greet", (string name) => $"hello {name} from {typeof(ArqClient).Assembly.GetName().Version}");
await new ArqWorker(redis, functions, new ArqWorkerOptions { Burst = true }).RunAsync();
Console.WriteLine(await job!.GetResultAsync<string>());
'@

        $out = Invoke-Native dotnet 'run', '--project', $project, '--', $db.ConnectionString

        $out | Select-Object -Last 1 | Should -Be "hello package from $version.0"
    }
}
