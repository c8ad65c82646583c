BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    # build.ps1 Test packages first (build.ps1 Package's work) into out/dist.
    $dist = $env:ARQ_DIST_PATH ?? (Join-Path $repositoryRoot 'out/dist')
    $version = ([xml](Get-Content (Join-Path $repositoryRoot 'Directory.Build.props') -Raw)).Project.PropertyGroup.VersionPrefix
}

Describe 'Installing Arq the way users install everything else' {
    BeforeEach { $db = New-TestDatabase }
    AfterEach { $db.Dispose() }

    It 'installs the module from a file repository into a clean module path, where it submits and runs a job' {
        $modules = New-Item -ItemType Directory (Join-Path $TestDrive 'modules')
        $repository = "ArqInstallTest-$PID"
        Register-PSResourceRepository -Name $repository -Uri (Join-Path $dist 'psgallery') -Trusted
        try { Save-PSResource -Name Arq -Version $version -Repository $repository -Path $modules -TrustRepository }
        finally { Unregister-PSResourceRepository -Name $repository }
        $actors = Join-Path $TestDrive 'actors.ps1'
        Set-Content $actors 'function Hello($Name) { "hello $Name from the installed module" }'

        $out = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
`$env:PSModulePath = '$modules' + [IO.Path]::PathSeparator + (Join-Path `$PSHOME 'Modules')
Import-Module Arq
(Get-Module Arq).ModuleBase
(Get-Module Arq).Version.ToString()
`$job = Submit-ArqJob -Redis '$($db.ConnectionString)' -Function Hello -ArgumentList world
([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Arq.Core' }).GetName().Version.ToString(3)
`$null = Start-ArqWorker -Redis '$($db.ConnectionString)' -Path '$actors' -Burst
`$job | Receive-ArqJob
"@

        $out | Should -Be @((Join-Path $modules "Arq/$version"), $version, $version, 'hello world from the installed module')
    }

    It 'references Arq.Core from a local NuGet source in a new console project that runs a job' {
        $project = Join-Path $TestDrive 'consumer'
        Invoke-Native dotnet 'new', 'console', '--output', $project, '--name', 'Consumer'
        # A packages folder of its own, so no cached Arq.Core of the same version stands in; the user's cache serves
        # the dependencies without downloading them again.
        $cache = $env:NUGET_PACKAGES ?? (Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages')
        Set-Content (Join-Path $project 'nuget.config') @"
<configuration>
  <config><add key="globalPackagesFolder" value="$(Join-Path $TestDrive 'packages')" /></config>
  <packageSources><add key="arq-dist" value="$(Join-Path $dist 'nuget')" /></packageSources>
  <fallbackPackageFolders><add key="user" value="$cache" /></fallbackPackageFolders>
</configuration>
"@
        Invoke-Native dotnet 'add', $project, 'package', 'Arq.Core', '--version', $version
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
