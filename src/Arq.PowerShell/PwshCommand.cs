using System.Diagnostics;

namespace Arq.PowerShell;

/// <summary>How to start another pwsh like the running one (installed pwsh, or pwsh as a dotnet tool).</summary>
internal static class PwshCommand
{
    public static ProcessStartInfo Create(string psHome, IEnumerable<string> arguments)
    {
        var self = Environment.ProcessPath ?? "pwsh";
        var name = Path.GetFileNameWithoutExtension(self);
        var start = new ProcessStartInfo(name is "pwsh" or "dotnet" ? self : "pwsh");
        if (name == "dotnet") start.ArgumentList.Add(Path.Combine(psHome, "pwsh.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }
}
