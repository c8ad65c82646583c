using Arq.Worker;

namespace Arq.SampleActors;

/// <summary>An actor that keeps state across jobs and reports the process it runs in.</summary>
public sealed class Inventory
{
    private readonly Dictionary<string, long> stock = new();

    [JobFunction]
    public long Add(string item, long count)
    {
        lock (stock) return stock[item] = stock.GetValueOrDefault(item) + count;
    }

    [JobFunction]
    public int ProcessId() => Environment.ProcessId;

    [JobFunction]
    public string Describe(JobContext context) => $"{context.Function} try {context.Try} on {context.Queue}";
}
