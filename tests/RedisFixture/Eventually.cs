namespace Arq.Tests;

/// <summary>
/// Waits for a condition that no event announces (a count in Redis, a replica in sync, a port that listens),
/// checking it again after short pauses, and fails with what it waited for.
/// </summary>
public static class Eventually
{
    public static async Task Until(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (!await condition().ConfigureAwait(false))
        {
            if (cancel.IsCancellationRequested) throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public static Task Until(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Until(() => Task.FromResult(condition()), what, timeout);
}
