@{
    RootModule           = 'Arq.PowerShell.dll'
    # build.ps1 stamps the version of Directory.Build.props here; it is kept in that one place.
    ModuleVersion        = '0.0.0'
    GUID                 = '5b0b7f0e-3c1a-4f7e-9a55-2a0f4c6d8e11'
    Author               = 'Arq contributors'
    CompanyName          = 'Arq contributors'
    Copyright            = '(c) Arq contributors. MIT License.'
    Description          = 'Job queues with Redis and MessagePack for PowerShell and .NET, wire-compatible with Python arq 0.26.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('Arq.format.ps1xml')
    CmdletsToExport      = @(
        'Connect-ArqRedis'
        'Submit-ArqJob'
        'Get-ArqJob'
        'Wait-ArqJob'
        'Receive-ArqJob'
        'Stop-ArqJob'
        'Remove-ArqJob'
        'Restart-ArqJob'
        'Clear-ArqQueue'
        'Suspend-ArqQueue'
        'Resume-ArqQueue'
        'Get-ArqQueue'
        'Get-ArqCron'
        'Start-ArqWorker'
        'Start-ArqDashboard'
        'Invoke-ArqJob'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('arq', 'redis', 'queue', 'jobs', 'worker', 'messagepack', 'cron', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            # build.ps1 stamps these from Directory.Build.props and CHANGELOG.md.
            ProjectUri   = ''
            ReleaseNotes = ''
        }
    }
}
