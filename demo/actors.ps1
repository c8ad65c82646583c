# The demo's PowerShell actors. Every class is an actor (its methods run as ClassName.MethodName);
# every function is a job function. The worker loads this script once per runspace, not once per job.

class Greeter {
    [string] Hello([string] $name) { return "Hello, $name!" }
}

function Get-DiskReport([string] $Path = '/') {
    $drive = [System.IO.DriveInfo]::new($Path)
    [ordered]@{ Path = $Path; FreeGB = [math]::Round($drive.AvailableFreeSpace / 1GB, 1); Pid = $PID }
}
