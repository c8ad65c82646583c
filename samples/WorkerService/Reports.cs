using Arq.Worker;

namespace Arq.Samples.WorkerService;

/// <summary>
/// An actor: the worker makes one when it starts, through the container, so its constructor takes the services it
/// needs; its [JobFunction] methods are the jobs. Callers enqueue <c>Reports.Build</c>.
/// </summary>
public sealed class Reports(ReportStore store, ILogger<Reports> logger)
{
    [JobFunction]
    public async Task<int> Build(string customer, double seconds = 0, CancellationToken cancellationToken = default)
    {
        // Stands for the real work; the token is cancelled when the job times out, is aborted or the service stops.
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
        var lines = store.Save(customer);
        logger.LogInformation("Built the report of {Customer}: {Lines} lines", customer, lines);
        return lines;
    }
}
