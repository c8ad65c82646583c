using Arq.Protocol;
using StackExchange.Redis;

namespace Arq;

/// <summary>
/// A watch on one job's progress (<see cref="Job.WatchProgressAsync"/>): subscribed to the job's progress channel, it
/// names the job to the workers now and every two seconds, as long as it lasts, so that the worker running the job
/// publishes its progress (see docs/protocol.md, Arq's additions). Disposing it ends the watch.
/// </summary>
internal sealed class ProgressWatch : IAsyncDisposable
{
    private static readonly TimeSpan AnnounceEvery = TimeSpan.FromSeconds(2);

    private readonly ISubscriber subscriber;
    private readonly RedisChannel channel;
    private readonly ITimer announcing;

    private ProgressWatch(ISubscriber subscriber, RedisChannel channel, string jobId, TimeProvider clock)
    {
        this.subscriber = subscriber;
        this.channel = channel;
        announcing = clock.CreateTimer(_ => subscriber.Publish(ArqKeys.ProgressWatchChannel, jobId, CommandFlags.FireAndForget),
            null, TimeSpan.Zero, AnnounceEvery);
    }

    public static async Task<ProgressWatch> StartAsync(IConnectionMultiplexer redis, string jobId, TimeProvider clock, Action<JobProgress> onProgress)
    {
        var subscriber = redis.GetSubscriber();
        var channel = ArqKeys.ProgressChannel(jobId);
        await subscriber.SubscribeAsync(channel, (_, message) =>
        {
            if (ProgressMessage.TryDecode((byte[])message!) is { } progress) onProgress(progress);
        }).ConfigureAwait(false);
        return new ProgressWatch(subscriber, channel, jobId, clock);
    }

    public async ValueTask DisposeAsync()
    {
        await announcing.DisposeAsync().ConfigureAwait(false);
        await subscriber.UnsubscribeAsync(channel).ConfigureAwait(false);
    }
}
