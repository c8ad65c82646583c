using Arq.Worker;
using StackExchange.Redis;

namespace Arq.WorkerHost;

/// <summary>The functions every test worker runs.</summary>
public static class TestFunctions
{
    public static void Register(FunctionRegistry functions, IDatabase redis) => functions
        .AddActor(new Sleeper(redis))
        .Add("Echo", (object? value) => value)
        .Add("Add", (long a, long b) => a + b)
        .Add("Fail", new Action<string>(message => throw new InvalidOperationException(message)))
        .Add("ProcessId", () => Environment.ProcessId)
        // Takes its worker's process down with it (only ever enqueued for an executor).
        .Add("Crash", new Action(() => Environment.Exit(42)));
}
