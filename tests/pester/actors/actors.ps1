# Actors for the Start-ArqWorker tests: a class actor and plain functions, as a user writes them.
$script:greeting = 'Hello'   # script state, prepared once per runspace

class Greeter {
    [int] $Calls
    [string] Hello([string] $name) {
        $this.Calls++
        return "$($script:greeting) $name"
    }
    hidden [string] Helper() { return 'not a job function' }
}

function Square([long] $n) { $n * $n }
function add($a, $b) { $a + $b }
function WhoAmI { [Environment]::ProcessId }
function Nap([int] $Milliseconds) { Start-Sleep -Milliseconds $Milliseconds; 'rested' }
function Boom { throw [System.IO.FileNotFoundException]::new('no such report') }
function Many { 1; 'two'; @{ three = 3 } }
function Lookup($Map) { [ordered]@{ first = $Map[1]; map = $Map } }
function Depth($Value) { $levels = 0; while ($Value -is [array]) { $levels++; $Value = $Value[0] }; $levels }
function Chatty {
    Write-Verbose 'starting' -Verbose
    Write-Information 'step 1 of 2' -Tags progress, step
    Write-Warning 'disk almost full'
    Write-Error 'file a.txt not found' -ErrorId PathNotFound -Category ObjectNotFound -ErrorAction Continue
    Write-Host 'shown on the host'
    'done'
}
function Noisy([int] $Count) { for ($i = 0; $i -lt $Count; $i++) { Write-Warning "warning $i" } }
function Progressing([int] $Steps) {
    for ($i = 1; $i -le $Steps; $i++) {
        Write-Progress -Activity Counting -Status "step $i of $Steps" -PercentComplete ($i * 100 / $Steps)
        Start-Sleep -Milliseconds 200
    }
    $Steps
}
