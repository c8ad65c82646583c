namespace Arq.Dashboard;

/// <summary>Where the dashboard listens and what it may do.</summary>
public sealed record ArqDashboardOptions
{
    /// <summary>The TCP port; 0 picks a free one.</summary>
    public int Port { get; init; } = 8099;

    /// <summary>The address to listen on: loopback by default, so that only this machine can open it. <c>*</c>
    /// listens on every interface.</summary>
    public string Bind { get; init; } = "127.0.0.1";

    /// <summary>The queues to show; null shows every queue Redis holds.</summary>
    public IReadOnlyList<string>? Queues { get; init; }

    /// <summary>The secret a visitor needs. Null gives a random one when <see cref="Bind"/> is not loopback (it is in
    /// <see cref="ArqDashboard.Address"/>), and none on loopback, where only this machine's users reach the port.</summary>
    public string? AccessToken { get; init; }

    /// <summary>Names the dashboard answers to besides IP addresses, localhost and this machine's name (a DNS name
    /// or a reverse proxy's): a request for any other host is refused, so that DNS rebinding gets nothing.</summary>
    public IReadOnlyList<string> HostNames { get; init; } = [];

    /// <summary>Offer retry and abort buttons (and accept their requests); read-only otherwise.</summary>
    public bool AllowActions { get; init; }

    /// <summary>How often the charts get a point.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many points the charts keep (ten minutes at one a second).</summary>
    public int HistoryLength { get; init; } = 600;
}
