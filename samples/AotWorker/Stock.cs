using Arq.Worker;

namespace Arq.Samples.AotWorker;

/// <summary>How urgent a request is; a job sends it as its number.</summary>
public enum Priority
{
    Low,
    Normal,
    High,
}

/// <summary>An actor whose arguments and results are maps (with integer keys too), lists of them and an enum: the
/// generator names their MessagePack formatters, so that Native AOT decodes them without reflection.</summary>
public sealed class Stock
{
    /// <summary>Adds up counts per item across several counts.</summary>
    [JobFunction]
    public Dictionary<string, long> Tally(IReadOnlyList<Dictionary<string, long>> counts) =>
        counts.SelectMany(count => count).GroupBy(entry => entry.Key).ToDictionary(items => items.Key, items => items.Sum(entry => entry.Value));

    /// <summary>Which shelf to fetch from, and how urgently.</summary>
    [JobFunction]
    public string Fetch(Dictionary<long, string> shelves, long shelf, Priority priority = Priority.Normal) => $"{shelves[shelf]}, {priority}";
}
