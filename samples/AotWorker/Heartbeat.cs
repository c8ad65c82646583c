using Arq.Worker;

namespace Arq.Samples.AotWorker;

/// <summary>A job that does nothing but answer: what the benchmark drains through the native worker.</summary>
public sealed class Heartbeat
{
    [JobFunction]
    public long Beat(long n) => n;
}
