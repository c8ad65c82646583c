# Hooks, a cron job and a retry policy, as a user writes them in an actors script. Each writes a line to the
# journal file the test names, so the test can read what ran in which order.
function Write-Journal([string] $Line) { Add-Content -LiteralPath $env:ARQ_TEST_JOURNAL -Value $Line }

function Open-Journal { [ArqHook('Startup')] param() Write-Journal 'startup' }
function Close-Journal { [ArqHook('Shutdown')] param() Write-Journal 'shutdown' }
function Write-Before { [ArqHook('BeforeJob')] param($Job) Write-Journal "before $($Job.Function) try $($Job.Try)" }
function Write-After { [ArqHook('AfterJob')] param($Job, $Completion) Write-Journal "after $($Job.Function) $($Completion.Status)" }
function Write-GaveUp { [ArqHook('TriesExhausted')] param($Job, $Problem) Write-Journal "gave up $($Job.Function): $($Problem.Message)" }

function Stamp {
    [ArqCron('0 0 1 1 *', RunAtStartup = $true, TimeZone = 'UTC')]
    param()
    Write-Journal "cron run $($ArqContext.JobId)"
}

function Flaky {
    [ArqFunction(MaxTries = 2, RetryDelaySeconds = 0.05)]
    param()
    throw 'still down'
}

function Hello([string] $Name) { "hi $Name" }
