using System.Diagnostics;

namespace Arq.Supervision;

/// <summary>
/// The command line of the executor that Start-ArqWorker supervises: pwsh, without profile, prompts or colours,
/// importing the Arq module's cmdlet assembly and running its executor entry point. One place for it, so that the
/// cmdlet and the benchmark start the same process.
/// </summary>
internal static class ExecutorCommand
{
    /// <summary>Starts <paramref name="pwsh"/> (a pwsh program, or a pwsh.dll for dotnet to run) as an executor with the
    /// module's Arq.PowerShell.dll at <paramref name="cmdletAssembly"/>, imported without the manifest: the executor
    /// shows nothing, so it needs no format views, and that saves about 0.1 s of its start.</summary>
    public static ProcessStartInfo Create(string pwsh, string cmdletAssembly)
    {
        var viaDotnet = pwsh.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(viaDotnet ? DotnetHost() : pwsh);
        if (viaDotnet) start.ArgumentList.Add(pwsh);
        string[] arguments =
        [
            "-NoProfile", "-NonInteractive", "-NoLogo", "-Command",
            $"$arqEngineStarted = [datetime]::UtcNow; $PSStyle.OutputRendering = 'PlainText'; Import-Module -Name '{cmdletAssembly.Replace("'", "''")}'; exit [Arq.PowerShell.Executor.ExecutorEntry]::Run($arqEngineStarted)",
        ];
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }

    /// <summary>The pwsh this process is: its own program, or <paramref name="psHome"/>'s pwsh.dll when dotnet runs it
    /// (PowerShell installed as a .NET tool).</summary>
    public static string CurrentPwsh(string psHome)
    {
        var self = Environment.ProcessPath ?? "pwsh";
        return Path.GetFileNameWithoutExtension(self) switch
        {
            "dotnet" => Path.Combine(psHome, "pwsh.dll"),
            "pwsh" => self,
            _ => "pwsh",
        };
    }

    private static string DotnetHost() =>
        Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
}
