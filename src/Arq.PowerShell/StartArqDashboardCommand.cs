using System.Management.Automation;
using Arq.Dashboard;

namespace Arq.PowerShell;

/// <summary>
/// <para type="synopsis">Serves a web dashboard of Arq queues from this session until Ctrl+C.</para>
/// <para type="description">Queue depths and throughput over time as charts, the workers' last health checks, cron
/// jobs, recent failures with their errors, and any job's details by id. The page is served from inside the module
/// and loads nothing from the internet. It is read-only unless -AllowActions adds retry and abort buttons, and it
/// listens on loopback unless -Bind says otherwise. Beyond loopback it asks for an access token (in the address it
/// prints, then kept in a cookie) and answers only to its IP addresses, this machine's name and -HostName, so that
/// neither another site's page nor DNS rebinding reaches it; actions are accepted from its own page only.</para>
/// <example><code>Start-ArqDashboard</code><para>Serves the web dashboard on http://127.0.0.1:8099/ (read-only) until Ctrl+C.</para></example>
/// <example><code>Start-ArqDashboard -Port 8080 -Queue emails, reports -AllowActions</code><para>Serves the dashboard of two queues on port 8080, with buttons to abort and retry jobs.</para></example>
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

    /// <summary><para type="description">The secret a visitor needs: a random one is made when -Bind is not loopback
    /// (the address printed holds it); on loopback none unless given here.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AccessToken { get; set; }

    /// <summary><para type="description">Names the dashboard answers to besides IP addresses, localhost and this
    /// machine's name: the DNS name users open, or a reverse proxy's. Requests for other names are refused.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? HostName { get; set; }

    /// <summary><para type="description">Adds retry buttons to failed jobs and abort buttons to waiting or running
    /// ones; without it the dashboard only shows.</para></summary>
    [Parameter]
    public SwitchParameter AllowActions { get; set; }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var dashboard = new ArqDashboard(GetClient(), new ArqDashboardOptions
        {
            Port = Port, Bind = Bind, Queues = Queue, AllowActions = AllowActions, AccessToken = AccessToken, HostNames = HostName ?? [],
        });
        var running = dashboard.RunAsync(StopToken);
        try
        {
            // Said once it listens, so that whoever reads the line (a person, a script, a test) can open it at once.
            Await(dashboard.Listening);
            Host.UI.WriteLine($"Arq dashboard on {dashboard.Address} ({(AllowActions ? "retry and abort allowed" : "read-only")}); Ctrl+C stops it.");
            Await(running);
        }
        catch (ArqException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "DashboardCannotListen", ErrorCategory.ResourceUnavailable, dashboard.Address));
        }
    }
}
