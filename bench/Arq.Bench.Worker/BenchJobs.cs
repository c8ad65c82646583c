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
