#Requires -Version 7.4
#Requires -Modules Arq
# The worker a service manager runs: `pwsh -NoProfile -NonInteractive -File worker.ps1`. It reads the Redis
# connection from ARQ_REDIS_URL (an environment file, never the command line) and runs the actors beside it until
# SIGTERM or Ctrl+C: then running jobs get the shutdown delay to finish, and the rest go back to their queue.
# Keep the service manager's stop timeout above ShutdownDelay plus 15 s, the margin Start-ArqWorker gives its
# executor to hand jobs back.
param(
    [string] $Path = (Join-Path $PSScriptRoot 'actors.ps1'),
    [string[]] $Queue = @('arq:queue'),
    [int] $MaxJobs = 10
)
$ErrorActionPreference = 'Stop'
Start-ArqWorker -Path $Path -Queue $Queue -MaxJobs $MaxJobs -ShutdownDelay 00:00:30 -InformationAction Continue
