using Arq.Worker;

namespace Arq.Bench;

/// <summary>The benchmark's job functions, an actor as users write them (so Arq's source generator compiles their
/// calls): a no-op, and the original arq benchmark's "fast" and "big" jobs.</summary>
[Actor("bench")]
public sealed class BenchJobs
{
    [JobFunction(Name = "noop")]
    public static void Noop(long i)
    {
    }

    [JobFunction(Name = "fast")]
    public static long Fast()
    {
        long x = 1;
        for (var i = 1; i <= 10; i++) x *= i;
        return x;
    }

    [JobFunction(Name = "big")]
    public static Dictionary<string, string> Big(Dictionary<object, object?> map)
    {
        // As the original's dict comprehension: a value seen twice (short random bytes repeat) keeps the last key.
        var swapped = new Dictionary<string, string>(map.Count);
        foreach (var (key, value) in map)
            swapped[value switch { byte[] bytes => Convert.ToBase64String(bytes), object?[] items => string.Join(",", items), var v => $"{v}" }] = $"{key}";
        return swapped;
    }
}

/// <summary>The benchmark's workloads: what is enqueued, and the functions that run it.</summary>
public static class Workloads
{
    public const string Noop = "bench.noop";
    public const string Fast = "bench.fast";
    public const string Big = "bench.big";

    /// <summary>Registers <see cref="BenchJobs"/>: through the generated calls, or by reflection with
    /// <paramref name="reflection"/>, to measure the one against the other.</summary>
    public static FunctionRegistry Register(bool reflection = false) => new FunctionRegistry { UseGeneratedCode = !reflection }.AddActor<BenchJobs>();

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
