using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Arq.PowerShell;

/// <summary>Completes -Queue with the queues Redis holds.</summary>
public sealed class QueueCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Of(fakeBoundParameters, wordToComplete, client => client.FindQueuesAsync());
}

/// <summary>Completes -Function with the function names of the jobs Redis holds.</summary>
public sealed class FunctionCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Of(fakeBoundParameters, wordToComplete, async client =>
        {
            var names = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var queue in await client.FindQueuesAsync().ConfigureAwait(false))
                foreach (var job in await client.GetQueue(queue).GetJobsAsync(limit: 200).ConfigureAwait(false))
                    if (job.Definition is { } definition) names.Add(definition.Function);
            return names.ToList();
        });
}

/// <summary>What the completers share: the connection the command line names, a time limit, and matching.</summary>
internal static class Completion
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);

    public static IEnumerable<CompletionResult> Of(IDictionary bound, string word, Func<ArqClient, Task<IReadOnlyList<string>>> names)
    {
        try
        {
            var redis = bound["Redis"] as string;
            var found = Task.Run(async () => await names(await ClientCache.GetAsync(redis).ConfigureAwait(false)).ConfigureAwait(false))
                .WaitAsync(Limit).GetAwaiter().GetResult();
            return found.Where(n => n.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                .Select(n => new CompletionResult(n.Contains(' ') ? $"'{n}'" : n, n, CompletionResultType.ParameterValue, n))
                .ToList();
        }
        catch (Exception)
        {
            // Completion must never break the command line: no Redis, no suggestions.
            return [];
        }
    }
}
