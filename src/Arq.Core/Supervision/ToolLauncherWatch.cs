namespace Arq.Supervision;

/// <summary>
/// Notices when the launcher of the PowerShell .NET tool, which started this process, exits. <c>dotnet tool run
/// pwsh</c>, <c>dotnet pwsh</c> and the tool's <c>pwsh</c> command run the real pwsh as the child of a small launcher
/// that does not pass signals on: SIGTERM sent to the launcher ends it and leaves pwsh running on its own. A worker
/// left so stops gracefully, as the SIGTERM would have made it. Linux only (it reads /proc); elsewhere, and when the
/// parent is anything but that launcher (a shell, systemd, nohup), it watches nothing.
/// </summary>
internal static class ToolLauncherWatch
{
    /// <summary>The launcher's own assembly, as it appears on its command line.</summary>
    private const string LauncherAssembly = "Microsoft.PowerShell.GlobalTool.Shim";

    /// <summary>Calls <paramref name="onLauncherGone"/> once, when the launcher that started this process has exited;
    /// returns null, watching nothing, when this process was not started by it.</summary>
    public static IDisposable? Start(Action onLauncherGone, TimeSpan? interval = null)
    {
        if (!OperatingSystem.IsLinux() || ParentId() is not { } launcher || !IsToolLauncher(launcher)) return null;
        var period = interval ?? TimeSpan.FromSeconds(1);
        Timer? timer = null;
        timer = new Timer(_ =>
        {
            if (ParentId() == launcher) return;
            timer!.Dispose();
            onLauncherGone();
        });
        timer.Change(period, period);
        return timer;
    }

    /// <summary>The parent process id, from the fourth field of /proc/self/stat (after the command name, which may
    /// hold spaces and parentheses and ends at the last ')').</summary>
    private static int? ParentId()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.TryParse(fields[1], out var parent) ? parent : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static bool IsToolLauncher(int processId)
    {
        try
        {
            return File.ReadAllText($"/proc/{processId}/cmdline").Contains(LauncherAssembly, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
