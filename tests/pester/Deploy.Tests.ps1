BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $deploy = Join-Path $repositoryRoot 'deploy'
    # Start-ArqWorker kills its executor this long after the shutdown delay if it has not handed its jobs back.
    $executorMargin = 15

    # worker.ps1's -ShutdownDelay, read from its syntax tree.
    function Get-ShutdownDelay {
        $ast = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $deploy 'worker.ps1'), [ref] $null, [ref] $null)
        $command = $ast.Find({ param($node) $node -is [System.Management.Automation.Language.CommandAst] -and $node.GetCommandName() -eq 'Start-ArqWorker' }, $true)
        $index = $command.CommandElements.IndexOf(($command.CommandElements | Where-Object { $_.ParameterName -eq 'ShutdownDelay' }))
        [TimeSpan]::Parse($command.CommandElements[$index + 1].Value)
    }

    # A Dockerfile as instructions: continuation lines joined, comments and blank lines dropped.
    function Read-Dockerfile([string] $Path) {
        $logical = ((Get-Content $Path) | Where-Object { $_ -notmatch '^\s*(#|$)' }) -join "`n" -replace '\\\n', ' '
        $logical -split "`n" | ForEach-Object {
            $keyword, $rest = $_.Trim() -split '\s+', 2
            [pscustomobject]@{ Instruction = $keyword; Arguments = $rest }
        }
    }
}

Describe 'The deployment recipes' {
    It 'has a worker script that parses and sets the shutdown delay the stop timeouts are sized for' {
        $errors = $null
        [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $deploy 'worker.ps1'), [ref] $null, [ref] $errors) | Out-Null
        $errors | Should -BeNullOrEmpty
        Get-ShutdownDelay | Should -Be ([TimeSpan]::FromSeconds(30))
    }

    It 'has a systemd unit that systemd accepts, stopping with SIGTERM and waiting longer than the worker''s shutdown' {
        if (-not (Get-Command systemd-analyze -ErrorAction Ignore)) { Set-ItResult -Skipped -Because 'systemd-analyze is not installed'; return }
        $unit = Get-Content (Join-Path $deploy 'systemd/arq-worker.service')
        $settings = @{}
        foreach ($line in $unit -match '^\w+=') { $name, $value = $line -split '=', 2; $settings[$name] = $value }

        $settings.KillSignal | Should -Be 'SIGTERM'
        [int] $settings.TimeoutStopSec | Should -BeGreaterThan ((Get-ShutdownDelay).TotalSeconds + $executorMargin)
        $settings.ExecStart | Should -Be '/usr/bin/pwsh -NoProfile -NonInteractive -File /opt/arq/worker.ps1'
        $settings.EnvironmentFile | Should -Not -BeNullOrEmpty -Because 'the connection (and its password) stays off the command line'
        # systemd-analyze also checks that ExecStart's program exists, and pwsh is not installed at /usr/bin here.
        $copy = Join-Path $TestDrive 'arq-worker.service'
        $unit -replace '^ExecStart=/usr/bin/pwsh', 'ExecStart=/bin/sh' | Set-Content $copy
        $report = systemd-analyze verify $copy 2>&1
        $LASTEXITCODE | Should -Be 0
        $report | Should -BeNullOrEmpty
    }

    It 'has a container recipe whose every instruction is valid and whose stop matches the worker''s shutdown' {
        $dockerfile = Join-Path $deploy 'container/Dockerfile'
        $instructions = Read-Dockerfile $dockerfile
        $known = 'FROM', 'RUN', 'CMD', 'LABEL', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL'

        $instructions | ForEach-Object { $_.Instruction | Should -BeIn $known }
        $instructions[0].Instruction | Should -Be 'FROM'
        ($instructions | Where-Object Instruction -eq 'STOPSIGNAL').Arguments | Should -Be 'SIGTERM'
        $entrypoint = ($instructions | Where-Object Instruction -eq 'ENTRYPOINT').Arguments | ConvertFrom-Json
        $entrypoint | Should -Contain '/opt/arq/worker.ps1'
        $stages = $instructions | Where-Object Instruction -eq 'FROM' | ForEach-Object { ($_.Arguments -split '\s+AS\s+')[1] } | Where-Object { $_ }
        foreach ($copy in $instructions | Where-Object Instruction -eq 'COPY') {
            $words = $copy.Arguments -split '\s+'
            if ($words[0] -like '--from=*') { $words[0].Substring(7) | Should -BeIn $stages }
            else { foreach ($source in $words[0..($words.Count - 2)]) { Join-Path $deploy $source | Should -Exist } }
        }
        (Get-Content $dockerfile -Raw) -match '--stop-timeout (\d+)' | Should -BeTrue -Because 'the recipe says how long docker stop must wait'
        [int] $Matches[1] | Should -BeGreaterThan ((Get-ShutdownDelay).TotalSeconds + $executorMargin)
    }
}

Describe 'The deployment recipes, run as documented, stop gracefully on SIGTERM to their first process' -Skip:(-not $IsLinux) {
    BeforeAll {
        # The worker as installed: deploy/worker.ps1 with the operator's actors beside it, the module on PSModulePath.
        function Install-Worker {
            $folder = New-Item -ItemType Directory (Join-Path $TestDrive ([guid]::NewGuid()))
            Copy-Item (Join-Path $deploy 'worker.ps1') $folder
            Copy-Item (Join-Path $PSScriptRoot 'actors/actors.ps1') $folder
            Join-Path $folder 'worker.ps1'
        }

        # Starts a documented command line with its container or host paths mapped to this machine's.
        function Start-Documented([string[]] $CommandLine, [hashtable] $Paths, [string] $Redis, [string] $WorkingDirectory = $TestDrive) {
            $words = foreach ($word in $CommandLine) { if ($Paths.ContainsKey($word)) { $Paths[$word] } else { $word } }
            $start = [System.Diagnostics.ProcessStartInfo]::new($words[0])
            foreach ($word in $words | Select-Object -Skip 1) { $start.ArgumentList.Add($word) }
            $start.WorkingDirectory = $WorkingDirectory
            $start.Environment['ARQ_REDIS_URL'] = $Redis
            $start.Environment['PSModulePath'] = Split-Path (Split-Path $modulePath)
            $start.RedirectStandardOutput = $true
            $start.RedirectStandardError = $true
            [System.Diagnostics.Process]::Start($start)
        }

        function Get-ParentId([int] $Id) { [int] ((Get-Content "/proc/$Id/stat" -Raw) -replace '^.*\) \S+ (\d+) .*$', '$1') }

        # SIGTERM to the first process: the worker's pwsh and its executor exit and the running jobs finish; returns
        # what the command wrote.
        function Assert-GracefulStop([System.Diagnostics.Process] $First, [string] $Redis) {
            $executor = Submit-ArqJob -Redis $Redis -Function WhoAmI | Wait-ArqJob -Timeout 60 | Receive-ArqJob
            $supervisor = Get-ParentId $executor
            $running = 1..3 | ForEach-Object { Submit-ArqJob -Redis $Redis -Function Nap -ArgumentList 3000 }
            Wait-Until { @(Get-ArqJob -Redis $Redis -State InProgress).Count -eq 3 } 'three jobs run'

            kill -TERM $First.Id
            $First.WaitForExit(60000) | Should -BeTrue
            Wait-Until { -not (Get-Process -Id $supervisor, $executor -ErrorAction Ignore) } 'the worker''s pwsh and its executor exit' -TimeoutSeconds 60

            $running | Receive-ArqJob | Should -Be (@('rested') * 3)
            $First.StandardOutput.ReadToEnd() + $First.StandardError.ReadToEnd()
        }
    }
    BeforeEach {
        $db = New-TestDatabase
        $redis = $db.ConnectionString
    }
    AfterEach {
        if ($first -and -not $first.HasExited) { $first.Kill($true) }
        $db.Dispose()
    }

    It 'the container''s entrypoint' {
        $instructions = Read-Dockerfile (Join-Path $deploy 'container/Dockerfile')
        ($instructions | Where-Object Instruction -eq 'RUN').Arguments -join ' ' | Should -Match 'any/unix /opt/powershell' -Because '/opt/powershell is the package''s own pwsh, as $PSHOME is here'
        $entrypoint = [string[]] (($instructions | Where-Object Instruction -eq 'ENTRYPOINT').Arguments | ConvertFrom-Json)
        $paths = @{ 'dotnet' = [Environment]::ProcessPath; '/opt/powershell/pwsh.dll' = (Join-Path $PSHOME 'pwsh.dll'); '/opt/arq/worker.ps1' = (Install-Worker) }

        $first = Start-Documented $entrypoint $paths $redis

        Assert-GracefulStop $first $redis | Out-Null
        $first.ExitCode | Should -Be 0
    }

    It 'the systemd unit''s ExecStart' {
        $execStart = (Get-Content (Join-Path $deploy 'systemd/arq-worker.service')) -match '^ExecStart=' -replace '^ExecStart=' -split ' '
        # /usr/bin/pwsh is one process, as 'dotnet pwsh.dll' is.
        $paths = @{ '/usr/bin/pwsh' = [Environment]::ProcessPath; '/opt/arq/worker.ps1' = (Install-Worker) }
        $commandLine = @($execStart[0]; Join-Path $PSHOME 'pwsh.dll'; $execStart | Select-Object -Skip 1)

        $first = Start-Documented $commandLine $paths $redis

        Assert-GracefulStop $first $redis | Out-Null
        $first.ExitCode | Should -Be 0
    }

    It 'a worker started through the .NET tool''s pwsh launcher, which does not pass the signal on' {
        $first = Start-Documented @('dotnet', 'tool', 'run', 'pwsh', '-NoProfile', '-NonInteractive', '-File', (Install-Worker)) @{} $redis -WorkingDirectory $repositoryRoot

        $output = Assert-GracefulStop $first $redis

        $output | Should -Match 'launcher that started this session has exited'
    }
}
