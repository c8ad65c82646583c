using Arq.Worker;

namespace Arq.Tests.Worker;

/// <summary>The .NET actor the worker tests run.</summary>
public sealed class Calculator
{
    [JobFunction]
    public long Add(long a, long b) => a + b;

    [JobFunction]
    public async Task<string> Greet(string name, bool loud = false)
    {
        await Task.Yield();
        return loud ? $"HELLO {name.ToUpperInvariant()}!" : $"hello {name}";
    }

    [JobFunction]
    public Parcel Weigh(Parcel parcel) => parcel with { Weight = parcel.Weight * 2 };

    [JobFunction]
    public double Sum(List<double> values, Dictionary<string, int>? extra = null) => values.Sum() + (extra?.Values.Sum() ?? 0);

    [JobFunction]
    public string Kind(object? value) => value?.GetType().Name ?? "null";

    [JobFunction]
    public void Fail(string message) => throw new InvalidOperationException(message);

    /// <summary>Writes to each stream, then fails if asked: the records written before a failure are kept too.</summary>
    [JobFunction]
    public string Chatty(bool fail, JobContext context)
    {
        context.WriteStream(JobStream.Verbose, "starting");
        context.WriteStream(new JobStreamRecord(JobStream.Information, "step 1 of 2", DateTimeOffset.UtcNow) { Tags = ["progress", "step"] });
        context.WriteStream(JobStream.Warning, "disk almost full");
        context.WriteStream(new JobStreamRecord(JobStream.Error, "file a.txt not found", DateTimeOffset.UtcNow)
        {
            Error = new JobStreamError { ErrorId = "PathNotFound", Category = "ObjectNotFound" },
        });
        return fail ? throw new InvalidOperationException("gave up") : "done";
    }

    /// <summary>Reports its progress, a step every 100 ms.</summary>
    [JobFunction]
    public async Task<int> Steps(int count, JobContext context)
    {
        for (var i = 1; i <= count; i++)
        {
            context.WriteProgress(new JobProgress("Counting", $"step {i} of {count}") { PercentComplete = i * 100 / count });
            await Task.Delay(100, context.CancellationToken);
        }
        return count;
    }

    /// <summary>Writes <paramref name="count"/> warnings of 100 characters.</summary>
    [JobFunction]
    public void Noisy(int count, JobContext context)
    {
        for (var i = 0; i < count; i++) context.WriteStream(JobStream.Warning, $"warning {i,10} ".PadRight(100, '.'));
    }

    [JobFunction(TimeoutSeconds = 0.3)]
    public Task Sleep(double seconds, CancellationToken cancellationToken) => Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);

    [JobFunction]
    public long RetryUntil(long tries, JobContext context) =>
        context.Try < tries ? throw new RetryJobException() : context.Try;

    [JobFunction]
    public void RetryLater(double seconds) => throw new RetryJobException(TimeSpan.FromSeconds(seconds));

    [JobFunction(MaxTries = 2)]
    public void AlwaysRetry() => throw new RetryJobException();

    [JobFunction(KeepResultSeconds = 0)]
    public int NoResult() => 1;

    [JobFunction(KeepResultForever = true)]
    public int Forever() => 1;

    [JobFunction]
    public Action Unencodable() => () => { };

    public sealed record Parcel(string Name, int Weight);
}
