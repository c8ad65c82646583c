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
