using Arq.Worker;

namespace Arq.Bench;

/// <summary>The benchmark's workloads: what is enqueued for the functions of Arq.Bench.Worker's actor.</summary>
public static class Workloads
{
    public const string Noop = "bench.noop";
    public const string Fast = "bench.fast";
    public const string Big = "bench.big";

    /// <summary>A "big argument": 100 int → random bytes of length i, and 100 string → list of 0..i-1.</summary>
    public static Dictionary<object, object> BigArgument(int i, Random random)
    {
        var map = new Dictionary<object, object>();
        for (var k = 0; k < 100; k++)
        {
            var bytes = new byte[i % 100];
            random.NextBytes(bytes);
            map[k] = bytes;
        }
        for (var k = 0; k < 100; k++) map[$"s{k}"] = Enumerable.Range(0, k).ToArray();
        return map;
    }

    /// <summary><paramref name="count"/> no-op jobs of <paramref name="function"/> (the .NET no-op, or a PowerShell
    /// actor's), numbered from <paramref name="first"/>.</summary>
    public static IEnumerable<JobRequest> Noops(int count, string function = Noop, int first = 0) =>
        Enumerable.Range(first, count).Select(i => new JobRequest(function, [i]));

    /// <summary>The original workload: fast and big jobs interleaved.</summary>
    public static IEnumerable<JobRequest> Original(int count)
    {
        var random = new Random(42);
        for (var i = 0; i < count; i++)
            yield return i % 2 == 0 ? new JobRequest(Fast) : new JobRequest(Big, [BigArgument(i, random)]);
    }
}
