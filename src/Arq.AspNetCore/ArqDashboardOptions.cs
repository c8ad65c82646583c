namespace Arq.Dashboard;

/// <summary>What the dashboard shows and what it lets its users do.</summary>
public sealed record ArqDashboardOptions
{
    /// <summary>The queues to show; null shows every queue Redis holds, found again every sixty samples (a minute by
    /// default) by scanning the keyspace: name them on a Redis with millions of keys.</summary>
    public IReadOnlyList<string>? Queues { get; init; }

    /// <summary>
    /// Offer retry, abort and delete (and accept their requests); read-only otherwise. Actions are taken only from a
    /// signed-in user (whatever authorization the dashboard's endpoints require applies to them too), with the
    /// page's antiforgery token.
    /// </summary>
    public bool AllowActions { get; init; }

    /// <summary>An authorization policy the actions need besides what the whole dashboard needs: read for many,
    /// act for few.</summary>
    public string? ActionsPolicy { get; init; }

    /// <summary>How often the charts get a point.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many points the charts keep (ten minutes at one a second).</summary>
    public int HistoryLength { get; init; } = 600;
}
