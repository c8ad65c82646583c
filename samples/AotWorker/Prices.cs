using Arq.Worker;

namespace Arq.Samples.AotWorker;

/// <summary>An actor as in any worker: its calls are compiled by Arq's source generator, so Native AOT runs them.
/// Arguments of primitive types, strings, arrays and lists of them decode without reflection.</summary>
public sealed class Prices
{
    [JobFunction]
    public double Total(double[] prices, double discount = 0) => Math.Round(prices.Sum() * (1 - discount), 2);

    [JobFunction]
    public async Task<string> Label(string product, long cents, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return $"{product}: {cents / 100m:0.00}";
    }

    [JobFunction]
    public long Count(List<string> items) => items.Count;
}
