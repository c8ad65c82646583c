# A worker script as an operator runs it under systemd: pwsh -NoProfile -File worker.ps1
param([string] $ModulePath, [string] $Redis, [string] $Path, [timespan] $ShutdownDelay, [timespan] $LeaseTime)
Import-Module $ModulePath
Start-ArqWorker -Redis $Redis -Path $Path -MaxJobs 5 -ShutdownDelay $ShutdownDelay -LeaseTime $LeaseTime -InformationAction Continue
