using Arq.Protocol;
using StackExchange.Redis;

namespace Arq.Worker;

/// <summary>The rate limits a claim passes to claim.lua (the queue's, then each limited function's), and what the
/// script said of them.</summary>
internal sealed class ClaimRateLimits(IReadOnlyList<FunctionRateLimit> functions, RateLimit? queueLimit)
{
    public RedisValue[] Arguments { get; } =
    [
        queueLimit?.Count ?? 0, queueLimit?.PeriodMs ?? 0, functions.Count,
        .. functions.SelectMany(f => new RedisValue[] { f.Function, f.Limit.Count, f.Limit.PeriodMs }),
    ];

    /// <summary>The queue's own limit is used up: no other chunk of it can start.</summary>
    public bool QueueExhausted { get; set; }

    /// <summary>How soon the first limit that held a job back has room again.</summary>
    public TimeSpan Wait { get; private set; }

    /// <summary>claim.lua's first keys for <paramref name="queue"/>: the queue, its abort set, its rate key, then each
    /// limited function's.</summary>
    public RedisKey[] Keys(QueueKeys queue) => [queue.Queue, queue.Abort, queue.Rate, .. functions.Select(f => queue.FunctionRate(f.Function))];

    /// <summary>Takes in what one claim.lua call said of the limits.</summary>
    public void Note(long waitMs, bool queueExhausted)
    {
        QueueExhausted = queueExhausted;
        if (waitMs > 0 && (Wait == TimeSpan.Zero || waitMs < Wait.TotalMilliseconds)) Wait = TimeSpan.FromMilliseconds(waitMs);
    }
}

/// <summary>A function's rate limit on each queue it runs on.</summary>
internal readonly record struct FunctionRateLimit(string Function, RateLimit Limit);
