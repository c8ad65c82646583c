using System.Linq.Expressions;
using Arq.Worker;

namespace Arq;

/// <summary>The shorthand ways to enqueue, for any <see cref="IArqClient"/>.</summary>
public static class ArqClientExtensions
{
    /// <summary>Enqueues <paramref name="function"/> with positional arguments on the default queue.</summary>
    /// <returns>The job, or null when a job with the same id exists (never the case for a random id).</returns>
    public static Task<Job?> EnqueueAsync(this IArqClient client, string function, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.EnqueueAsync(function, args, kwargs: null);
    }

    /// <summary>
    /// Enqueues a call of an actor's job function, named by the method itself:
    /// <c>client.EnqueueAsync&lt;Downloader&gt;(d =&gt; d.DownloadContent(url))</c> enqueues
    /// <c>Downloader.DownloadContent</c> with the value of <c>url</c>. The actor is not created here.
    /// </summary>
    public static Task<Job?> EnqueueAsync<TActor>(this IArqClient client, Expression<Func<TActor, object?>> call,
        EnqueueOptions? options = null, CancellationToken cancellationToken = default) =>
        Enqueue(client, ActorCall.Read(call), options, cancellationToken);

    /// <inheritdoc cref="EnqueueAsync{TActor}(IArqClient, Expression{Func{TActor, object}}, EnqueueOptions, CancellationToken)"/>
    public static Task<Job?> EnqueueAsync<TActor>(this IArqClient client, Expression<Action<TActor>> call,
        EnqueueOptions? options = null, CancellationToken cancellationToken = default) =>
        Enqueue(client, ActorCall.Read(call), options, cancellationToken);

    private static Task<Job?> Enqueue(IArqClient client, (string Function, object?[] Args) call, EnqueueOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.EnqueueAsync(call.Function, call.Args, kwargs: null, options, cancellationToken);
    }
}
