using Arq.Protocol;
using StackExchange.Redis;

namespace Arq.Worker;

/// <summary>A job this worker has claimed: its lease is set and its try counted.</summary>
/// <param name="JobId">The job id.</param>
/// <param name="Queue">The queue it was claimed from.</param>
/// <param name="ScoreMs">Its score when claimed (when it was due).</param>
/// <param name="Try">The try number from the retry key.</param>
/// <param name="AbortedBeforeStart">An abort was requested before it started.</param>
/// <param name="Bytes">The encoded job; null when the job key had expired or the job is too large.</param>
/// <param name="OversizeBytes">The job's length when it is larger than the worker takes, else 0.</param>
internal sealed record ClaimedJob(string JobId, string Queue, long ScoreMs, long Try, bool AbortedBeforeStart, byte[]? Bytes, long OversizeBytes = 0)
{
    /// <summary>The jobs claim.lua claimed among <paramref name="candidates"/> of <paramref name="queue"/>.</summary>
    public static IReadOnlyList<ClaimedJob> Parse(RedisResult claimed, List<string> candidates, string queue) =>
        ((RedisResult[])claimed!).Select(item =>
        {
            var fields = (RedisResult[])item!;
            return new ClaimedJob(
                candidates[(int)fields[0] - 1],
                queue,
                UnixTime.FromScore((string)fields[1]!),
                (long)fields[2],
                (long)fields[3] == 1,
                fields[4].Resp2Type == ResultType.Integer || fields[4].IsNull ? null : (byte[])fields[4]!,
                fields[4].Resp2Type == ResultType.Integer ? (long)fields[4] : 0);
        }).ToList();
}

/// <summary>What one claim returned: the jobs claimed, the abort requests, how many jobs the queues hold, and how soon
/// a rate limit that held jobs back has room again (zero when none did).</summary>
internal sealed record ClaimResult(IReadOnlyList<ClaimedJob> Jobs, IReadOnlyList<string> AbortRequests, long QueuedTotal, TimeSpan RateLimitWait = default);
