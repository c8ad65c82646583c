using System.Management.Automation;
using System.Runtime.CompilerServices;
using Arq.Dashboard;

namespace Arq.PowerShell;

/// <summary>
/// <para type="synopsis">Serves a web dashboard of Arq queues from this session until Ctrl+C.</para>
/// <para type="description">The dashboard of Arq.AspNetCore (the one C# services map with MapArqDashboard), on a
/// Kestrel server in this session: queues with their depths and throughput over time, each queue's jobs by state
/// with paging, any job's arguments, result or error and streams, the workers (host, process, since, counts), cron
/// jobs and recent failures. The page is served from inside the module and loads nothing from the internet. It is
/// read-only unless -AllowActions adds retry, abort and delete buttons, and it listens on loopback unless -Bind says
/// otherwise. Beyond loopback, or with actions, it asks for an access token (in the address it prints, then kept in a
/// cookie) and answers only to its IP addresses, this machine's name and -HostName, so that neither another site's
/// page nor DNS rebinding reaches it; actions also need the page's antiforgery token. It needs the ASP.NET Core
/// runtime, which .NET installs beside itself (PowerShell from a .NET SDK has it).</para>
/// <example><code>Start-ArqDashboard</code><para>Serves the web dashboard on http://127.0.0.1:8099/ (read-only) until Ctrl+C.</para></example>
/// <example><code>Start-ArqDashboard -Port 8080 -Queue emails, reports -AllowActions</code><para>Serves the dashboard of two queues on port 8080, with buttons to retry, abort and delete jobs, and prints its address with a fresh access token.</para></example>
/// <example><code>Start-ArqDashboard -Bind * -HostName arq.example.com</code><para>Serves the dashboard on every interface, to requests for arq.example.com or an IP address, and prints its address with a fresh access token.</para></example>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "ArqDashboard")]
[OutputType(typeof(void))]
public sealed class StartArqDashboardCommand : ArqCmdlet
{
    /// <summary><para type="description">The TCP port; 8099 by default, 0 for any free port.</para></summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int Port { get; set; } = 8099;

    /// <summary><para type="description">The address to listen on: 127.0.0.1 by default; * for every interface.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Bind { get; set; } = "127.0.0.1";

    /// <summary><para type="description">The queues to show; every queue Redis holds by default.</para></summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(QueueCompleter))]
    public string[]? Queue { get; set; }

    /// <summary><para type="description">The secret a visitor needs: a random one is made when -Bind is not loopback or
    /// -AllowActions is given (the address printed holds it); a read-only dashboard on loopback has none unless given here.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AccessToken { get; set; }

    /// <summary><para type="description">Names the dashboard answers to besides IP addresses, localhost and this
    /// machine's name: the DNS name users open, or a reverse proxy's. Requests for other names are refused.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? HostName { get; set; }

    /// <summary><para type="description">Adds retry buttons to failed jobs, abort buttons to waiting or running ones and
    /// delete buttons to those not running; without it the dashboard only shows.</para></summary>
    [Parameter]
    public SwitchParameter AllowActions { get; set; }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (AspNetCoreRuntime.Folder is null)
            ThrowTerminatingError(new ErrorRecord(new PlatformNotSupportedException(AspNetCoreRuntime.Missing), "AspNetCoreRuntimeMissing", ErrorCategory.NotInstalled, null));
        Serve();
    }

    /// <summary>Kept apart from <see cref="EndProcessing"/>, so that ASP.NET Core is looked for before anything of it loads.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Serve()
    {
        var options = new ArqDashboardServerOptions
        {
            Port = Port, Bind = Bind, AccessToken = AccessToken, HostNames = HostName ?? [],
            Dashboard = new ArqDashboardOptions { Queues = Queue, AllowActions = AllowActions },
        };
        ArqDashboardServer server;
        try
        {
            server = Await(ArqDashboardServer.StartAsync(GetClient(), options, StopToken));
        }
        catch (ArqException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "DashboardCannotListen", ErrorCategory.ResourceUnavailable, $"{Bind}:{Port}"));
            return;
        }
        try
        {
            // Said once it listens, so that whoever reads the line (a person, a script, a test) can open it at once.
            Host.UI.WriteLine($"Arq dashboard on {server.Address} ({(AllowActions ? "retry, abort and delete allowed" : "read-only")}); Ctrl+C stops it.");
            Await(server.RunAsync(StopToken));
        }
        finally
        {
            // Not through Await: after Ctrl+C the stop token is cancelled, and the server must still close its port.
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
