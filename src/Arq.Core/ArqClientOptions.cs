namespace Arq;

/// <summary>Settings of an <see cref="ArqClient"/>.</summary>
public sealed record ArqClientOptions
{
    /// <summary>The queue used when an enqueue names none; arq's <c>arq:queue</c> by default.</summary>
    public string DefaultQueue { get; init; } = Protocol.ArqKeys.DefaultQueue;

    /// <summary>How long a job lives after it is due when no expiry is given (arq's <c>expires_extra_ms</c>).</summary>
    public TimeSpan ExpiresExtra { get; init; } = TimeSpan.FromDays(1);

    /// <summary>How keys are named: arq 0.26's (the default, shared with Python arq), or hash-tagged per queue for
    /// Redis Cluster. Every client and worker of a queue must use the same.</summary>
    public Protocol.KeyLayout KeyLayout { get; init; } = Protocol.KeyLayout.Arq;

    /// <summary>The clock that stamps enqueue times and scores.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
