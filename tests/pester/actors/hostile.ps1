# Job functions an attacker who can write to Redis aims at: names that are also aliases of built-in commands, and
# advanced functions whose common parameters would let a job write the runspace's variables or skip a check.
function type([string] $Text) { "typed $Text" }
function del([string] $Path) { "kept $Path" }

function Get-Secret {
    [CmdletBinding()]
    param([Alias('Key')] [string] $Name)
    if ($Name -ne 'open') { throw "no access to $Name" }
    "secret $Name"
}

function Get-Preference { [CmdletBinding()] param() "$ErrorActionPreference" }

# Jobs that write to the executor's own standard output, or leave a process behind that holds it.
function Write-Line([string] $Line) { [Console]::WriteLine($Line); 'written' }
function Start-Child([int] $Seconds) { (Start-Process sleep -ArgumentList $Seconds -NoNewWindow -PassThru).Id }

# A job that ends with exit, as a script would.
function Stop-Early([int] $Code) { 'partial'; exit $Code }
class Quitter { [string] Quit([int] $Code) { exit $Code; return 'not reached' } }

# A job blocked in a .NET call: PowerShell's stop never reaches it.
function Wait-Blocked([int] $Seconds) { [System.Threading.Thread]::Sleep($Seconds * 1000); 'woke' }

# A job that takes the executor down with it, and one that only runs beside it.
function Crash { [Environment]::Exit(3) }
function Rest([int] $Milliseconds) { Start-Sleep -Milliseconds $Milliseconds; "rested on try $($ArqContext.Try)" }
