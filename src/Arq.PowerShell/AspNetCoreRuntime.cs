using System.Runtime.InteropServices;

namespace Arq.PowerShell;

/// <summary>
/// Where the ASP.NET Core shared framework is, for Start-ArqDashboard: the module does not ship it (it is part of
/// .NET's runtime install), so it is looked for beside the runtime this PowerShell runs on, then in DOTNET_ROOT and
/// .NET's usual install folders. The newest version of this runtime's major version is taken, else the newest older one.
/// </summary>
internal static class AspNetCoreRuntime
{
    private const string Framework = "Microsoft.AspNetCore.App";
    private static readonly Lazy<string?> folder = new(Find);

    /// <summary>The framework's folder, or null when it is not installed where this runtime can use it.</summary>
    public static string? Folder => folder.Value;

    /// <summary>What to tell a user who has none.</summary>
    public static string Missing =>
        $"Start-ArqDashboard serves the dashboard with ASP.NET Core, whose runtime ({Framework} {Environment.Version.Major}.0 or older) " +
        $"is not installed beside the .NET {Environment.Version} this PowerShell runs on ({RuntimeEnvironment.GetRuntimeDirectory()}). " +
        "Install the ASP.NET Core runtime (https://dotnet.microsoft.com/download), or run PowerShell as the dotnet tool of a .NET SDK, which has it.";

    private static string? Find()
    {
        var roots = new[]
        {
            Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", ".."),
            Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root ? Path.Combine(root, "shared") : null,
            OperatingSystem.IsWindows() ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), "dotnet", "shared") : null,
            OperatingSystem.IsLinux() ? "/usr/share/dotnet/shared" : null,
            OperatingSystem.IsLinux() ? "/usr/lib/dotnet/shared" : null,
            OperatingSystem.IsMacOS() ? "/usr/local/share/dotnet/shared" : null,
        };
        var runtime = Environment.Version.Major;
        return roots.OfType<string>()
            .Select(r => Path.GetFullPath(Path.Combine(r, Framework)))
            .Where(Directory.Exists)
            .SelectMany(Directory.GetDirectories)
            .Select(path => (Path: path, Version: Version.TryParse(Path.GetFileName(path).Split('-')[0], out var v) ? v : null))
            .Where(f => f.Version is not null && f.Version.Major <= runtime && File.Exists(Path.Combine(f.Path, "Microsoft.AspNetCore.dll")))
            .OrderByDescending(f => f.Version)
            .Select(f => f.Path)
            .FirstOrDefault();
    }
}
