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
internal sealed record ClaimedJob(string JobId, string Queue, long ScoreMs, long Try, bool AbortedBeforeStart, byte[]? Bytes, long OversizeBytes = 0);

/// <summary>What one claim call returned.</summary>
internal sealed record ClaimResult(IReadOnlyList<ClaimedJob> Jobs, IReadOnlyList<string> AbortRequests, long QueuedTotal)
{
    public static ClaimResult Parse(RedisResult reply, IReadOnlyList<string> queues)
    {
        var parts = (RedisResult[])reply!;
        var jobs = ((RedisResult[])parts[0]!).Select(item =>
        {
            var fields = (RedisResult[])item!;
            return new ClaimedJob(
                (string)fields[0]!,
                queues[(int)fields[1] - 1],
                UnixTime.FromScore((string)fields[2]!),
                (long)fields[3],
                (long)fields[4] == 1,
                fields[5].Resp2Type == ResultType.Integer || fields[5].IsNull ? null : (byte[])fields[5]!,
                fields[5].Resp2Type == ResultType.Integer ? (long)fields[5] : 0);
        }).ToList();
        var aborts = ((RedisResult[])parts[1]!).Select(r => (string)r!).ToList();
        return new ClaimResult(jobs, aborts, (long)parts[2]);
    }
}
