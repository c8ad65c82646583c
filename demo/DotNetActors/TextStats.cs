using Arq.Worker;

namespace Arq.Demo.Actors;

/// <summary>A .NET actor: created once by the worker, its methods run as TextStats.CountWords and TextStats.Top.</summary>
public sealed class TextStats
{
    [JobFunction]
    public int CountWords(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    [JobFunction(TimeoutSeconds = 10)]
    public Dictionary<string, int> Top(string text, int count = 3) => text
        .Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .GroupBy(word => word.ToLowerInvariant())
        .OrderByDescending(group => group.Count()).ThenBy(group => group.Key)
        .Take(count)
        .ToDictionary(group => group.Key, group => group.Count());
}
