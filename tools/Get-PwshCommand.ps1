# The command line that starts another pwsh like the one running: the executable, and pwsh.dll after it when pwsh
# runs as the local dotnet tool ('dotnet pwsh.dll'). Used by build.ps1 and the Pester tests' TestSetup.ps1.
$self = [Environment]::ProcessPath
if ([IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') { return @($self, (Join-Path $PSHOME 'pwsh.dll')) }
@($self)
