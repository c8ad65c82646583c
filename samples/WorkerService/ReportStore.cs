using System.Collections.Concurrent;

namespace Arq.Samples.WorkerService;

/// <summary>A service of the application's, registered in the container and taken by the <see cref="Reports"/> actor.</summary>
public sealed class ReportStore
{
    private readonly ConcurrentDictionary<string, int> reports = new(StringComparer.Ordinal);

    public int Save(string customer) => reports.AddOrUpdate(customer, customer.Length * 10, (_, lines) => lines + 1);
}
