using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Arq.Tests;
using Arq.Tests.Worker;
using Arq.Worker;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Arq.Reliability;

/// <summary>
/// A worker safe to point at a shared Redis: password and ACL users, TLS with a private certificate authority, and
/// no secret in any log line or error.
/// </summary>
public sealed class SecurityTests
{
    private const string AdminPassword = "admin-Secret-71";
    private const string WorkerPassword = "worker-Secret-42";

    /// <summary>Enqueues a job over <paramref name="connection"/>, runs it with a burst worker there, returns the result
    /// and every log line the worker wrote.</summary>
    private static async Task<(long Result, IReadOnlyCollection<string> Log)> RoundTripAsync(string connection)
    {
        await using var redis = await RedisConnector.ConnectAsync(RedisConnector.Parse(connection));
        var job = (await new ArqClient(redis).EnqueueAsync("Calculator.Add", 20, 22))!;
        var log = new LineLogger();
        await new ArqWorker(redis, new FunctionRegistry().AddActor<Calculator>(), new ArqWorkerOptions { Burst = true }, log).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (await job.GetResultAsync<long>(TimeSpan.FromSeconds(10)), log.Lines);
    }

    [Fact]
    public async Task An_ACL_user_runs_jobs_and_a_wrong_password_is_refused_without_showing_it()
    {
        using var server = RedisTestServer.StartPrivate("--requirepass", AdminPassword)!;
        server.Commands(["AUTH", AdminPassword], ["ACL", "SETUSER", "arq-worker", "on", $">{WorkerPassword}", "~*", "&*", "+@all", "-@dangerous"]);

        var (result, log) = await RoundTripAsync($"redis://arq-worker:{WorkerPassword}@{server.Host}:{server.Port}/0");
        var refused = await Assert.ThrowsAsync<ArqConnectionException>(() => RoundTripAsync($"redis://arq-worker:not-{WorkerPassword}@{server.Host}:{server.Port}/0"));

        Assert.Equal(42, result);
        Assert.DoesNotContain(log, line => line.Contains(WorkerPassword, StringComparison.Ordinal));
        Assert.Contains($"{server.Host}:{server.Port}", refused.Message);
        Assert.DoesNotContain(WorkerPassword, refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_protected_server_runs_jobs_with_the_password_in_a_configuration_string()
    {
        using var server = RedisTestServer.StartPrivate("--requirepass", AdminPassword)!;

        var (result, log) = await RoundTripAsync($"{server.ConnectionString},password={AdminPassword}");

        Assert.Equal(42, result);
        Assert.DoesNotContain(log, line => line.Contains(AdminPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TLS_with_a_private_certificate_authority_runs_jobs_and_an_untrusted_certificate_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("arq-tls-").FullName;
        try
        {
            var (certificate, key) = WriteSelfSignedCertificate(folder);
            var tlsPort = RedisTestServer.FreePort();
            using var server = RedisTestServer.StartPrivate("--tls-port", tlsPort.ToString(), "--tls-cert-file", certificate,
                "--tls-key-file", key, "--tls-ca-cert-file", certificate, "--tls-auth-clients", "no")!;

            var (result, _) = await RoundTripAsync($"rediss://127.0.0.1:{tlsPort}/0?ssl_ca_certs={Uri.EscapeDataString(certificate)}");
            var untrusted = await Assert.ThrowsAsync<ArqConnectionException>(() => RoundTripAsync($"rediss://127.0.0.1:{tlsPort}/0"));

            Assert.Equal(42, result);
            Assert.Contains($"127.0.0.1:{tlsPort}", untrusted.Message);
            Assert.Contains("the TLS handshake failed", untrusted.Message);
            Assert.DoesNotContain("password", untrusted.Message); // a certificate problem, not a wrong password
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A self-signed certificate for 127.0.0.1 that is its own authority, in PEM files as redis-server reads them.</summary>
    private static (string Certificate, string Key) WriteSelfSignedCertificate(string folder)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=arq-test-ca", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, false, 0, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var (certificatePath, keyPath) = (Path.Combine(folder, "redis.crt"), Path.Combine(folder, "redis.key"));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    /// <summary>Keeps every line a worker logs, as text.</summary>
    private sealed class LineLogger : ILogger
    {
        private readonly ConcurrentQueue<string> lines = new();

        public IReadOnlyCollection<string> Lines => lines;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{formatter(state, exception)} {exception}");
    }
}
