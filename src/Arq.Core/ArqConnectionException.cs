using StackExchange.Redis;

namespace Arq;

/// <summary>Redis could not be reached. The message names the endpoints and the reason, never a password.</summary>
public sealed class ArqConnectionException : ArqException
{
    internal ArqConnectionException(ConfigurationOptions options, RedisConnectionException inner)
        : base(Redact($"Cannot connect to Redis at {RedisConnector.DescribeEndpoints(options)}: {Reason(inner)}", options.Password), inner)
    {
        Endpoints = RedisConnector.DescribeEndpoints(options);
    }

    /// <summary>The endpoints that were tried, as host:port.</summary>
    public string Endpoints { get; }

    private static string Reason(RedisConnectionException e)
    {
        // The innermost exception says it best ("Connection refused", "WRONGPASS ..."); the outer one adds advice
        // about abortConnect that does not apply to a caller who wants to fail fast.
        var innermost = e.InnerException is null ? null : Chain(e).Last();
        // SE.Redis reports a failed TLS handshake as an authentication failure too: tell the two apart by the
        // exception beneath, so that a certificate problem is not sent looking for a wrong password.
        var tls = Chain(e).OfType<System.Security.Authentication.AuthenticationException>().FirstOrDefault();
        return e.FailureType switch
        {
            _ when tls is not null => $"the TLS handshake failed: {Chain(tls).Last().Message} (check the server's certificate, its name and the trusted CA).",
            ConnectionFailureType.AuthenticationFailure => "authentication failed (check the user name and password).",
            _ when innermost is not null => $"{e.FailureType}: {innermost.Message}",
            _ => $"{e.FailureType}.",
        };
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? at = e; at is not null; at = at.InnerException) yield return at;
    }

    private static string Redact(string message, string? password) =>
        string.IsNullOrEmpty(password) ? message : message.Replace(password, "*****", StringComparison.Ordinal);
}
