namespace Arq;

/// <summary>One job of a batch for <see cref="ArqClient.EnqueueManyAsync"/>.</summary>
/// <param name="Function">The function's registered name.</param>
/// <param name="Args">Positional arguments.</param>
/// <param name="Kwargs">Named arguments.</param>
/// <param name="Options">Id, queue, deferral and expiry; the defaults when null.</param>
public sealed record JobRequest(
    string Function,
    object?[]? Args = null,
    IReadOnlyDictionary<string, object?>? Kwargs = null,
    EnqueueOptions? Options = null);
