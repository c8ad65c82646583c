using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Arq.Tests;

/// <summary>
/// The Redis that tests run against, shared by every test of a process. In order of preference: the server named
/// by <c>ARQ_TEST_REDIS</c> (never touched otherwise); a <c>redis-server</c> from PATH, started on a free loopback
/// port with persistence off in a temporary folder and stopped by its pid when the process ends; a Testcontainers
/// Redis where a Docker engine answers. Each test takes its own database with <see cref="CreateDatabase"/>, so
/// tests can run in parallel without seeing each other's keys.
/// </summary>
public sealed class RedisTestServer : IDisposable
{
    /// <summary>The environment variable that points the tests at an existing server (host:port).</summary>
    public const string EnvironmentVariable = "ARQ_TEST_REDIS";

    private const int OwnDatabases = 1024;
    private static readonly Lazy<RedisTestServer> LazyShared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly ProcessStartInfo? startInfo;
    private Process? process;
    private readonly string? folder;
    private readonly IAsyncDisposable? container;
    private readonly bool[] leased;

    private RedisTestServer(string host, int port, string description, int databases,
        Process? process = null, string? folder = null, IAsyncDisposable? container = null, ProcessStartInfo? startInfo = null)
    {
        Host = host;
        Port = port;
        Description = description;
        this.process = process;
        this.startInfo = startInfo;
        this.folder = folder;
        this.container = container;
        leased = new bool[databases];
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose();
    }

    /// <summary>The server of this process, started on first use.</summary>
    public static RedisTestServer Shared => LazyShared.Value;

    /// <summary>The host name or address.</summary>
    public string Host { get; }

    /// <summary>The TCP port.</summary>
    public int Port { get; }

    /// <summary>Where the server came from, for test logs.</summary>
    public string Description { get; }

    /// <summary>The process id of a redis-server this fixture started; null otherwise.</summary>
    public int? ProcessId => process?.Id;

    /// <summary><c>host:port</c>, as a StackExchange.Redis configuration string.</summary>
    public string ConnectionString => $"{Host}:{Port}";

    /// <summary>Leases an empty database of its own to one test; dispose it to give it back.</summary>
    public RedisTestDatabase CreateDatabase()
    {
        lock (leased)
        {
            // Database 0 is left alone: it is what a stray client without a database number would use.
            for (var i = 1; i < leased.Length; i++)
            {
                if (leased[i]) continue;
                leased[i] = true;
                var database = new RedisTestDatabase(this, i);
                database.Flush();
                return database;
            }
        }
        throw new InvalidOperationException($"All {leased.Length - 1} test databases of {Description} are in use.");
    }

    internal void Release(int database)
    {
        lock (leased) leased[database] = false;
    }

    /// <summary>
    /// Stops the server as an operator would (SHUTDOWN, which saves when persistence is on) and starts it again with
    /// the same port, folder and settings. Only for a server this fixture started with <see cref="StartPrivate"/>.
    /// </summary>
    public void Restart()
    {
        if (process is null || startInfo is null) throw new InvalidOperationException("Only a redis-server this fixture started can be restarted.");
        try
        {
            Command("SHUTDOWN");
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidOperationException)
        {
            // The server closes the connection as it exits.
        }
        if (!process.WaitForExit(30_000)) throw new InvalidOperationException($"{Description} did not shut down.");
        var (started, log) = Launch(startInfo);
        process = started;
        if (!WaitForPing(Port, process, startInfo.ArgumentList.Contains("--requirepass")))
            throw new InvalidOperationException($"{Description} did not start again: {log}");
    }

    /// <summary>Sends one command and returns the server's reply line (for PING, FLUSHDB and such).</summary>
    public string Command(params string[] words) => RespLine.Send(Host, Port, words);

    /// <summary>Sends commands on one connection (say AUTH, then ACL SETUSER) and returns the last reply line.</summary>
    public string Commands(params string[][] commands) => RespLine.Send(Host, Port, commands);

    /// <summary>Sends one command to any server on loopback (a sentinel, say) and returns its reply line.</summary>
    public static string CommandAt(int port, params string[] words) => RespLine.Send("127.0.0.1", port, words);

    /// <summary>Stops the server if this fixture started it.</summary>
    public void Dispose()
    {
        try
        {
            if (process is { HasExited: false })
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            container?.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(30));
            if (folder is not null && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or AggregateException)
        {
            // Best effort at process exit: the server is gone or the folder is busy.
        }
    }

    private static RedisTestServer Start()
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(external)) return FromEnvironment(external);
        var executable = FindOnPath(OperatingSystem.IsWindows() ? "redis-server.exe" : "redis-server");
        if (executable is not null) return StartProcess(executable);
        return StartContainer() ?? throw new InvalidOperationException(
            "The tests need Redis: install redis-server (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis), " +
            $"start a Docker engine, or set {EnvironmentVariable}=host:port to use a server you run.");
    }

    private static RedisTestServer FromEnvironment(string value)
    {
        var colon = value.LastIndexOf(':');
        var host = colon > 0 ? value[..colon] : value;
        var port = colon > 0 ? int.Parse(value[(colon + 1)..]) : 6379;
        var databases = 16;
        var reply = RespLine.Send(host, port, "CONFIG", "GET", "databases");
        if (int.TryParse(reply, out var configured)) databases = configured;
        return new RedisTestServer(host, port, $"{EnvironmentVariable}={host}:{port}", databases);
    }

    /// <summary>
    /// Starts a redis-server of the caller's own with extra settings (say <c>--requirepass</c>), for tests that need
    /// a server configured unlike the shared one; dispose it to stop it. Null when no redis-server is on PATH.
    /// </summary>
    public static RedisTestServer? StartPrivate(params string[] extraArguments)
    {
        var executable = FindOnPath(OperatingSystem.IsWindows() ? "redis-server.exe" : "redis-server");
        return executable is null ? null : StartProcess(executable, extraArguments);
    }

    private static RedisTestServer StartProcess(string executable, params string[] extraArguments)
    {
        var errors = new StringBuilder();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var port = FreePort();
            var folder = Directory.CreateTempSubdirectory("arq-redis-").FullName;
            var start = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = folder,
            };
            foreach (var arg in new[] { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                         "--dir", folder, "--databases", OwnDatabases.ToString(), "--daemonize", "no" }.Concat(extraArguments))
                start.ArgumentList.Add(arg);
            var (process, log) = Launch(start);
            if (WaitForPing(port, process, extraArguments.Contains("--requirepass")))
                return new RedisTestServer("127.0.0.1", port, $"redis-server on 127.0.0.1:{port}", OwnDatabases, process, folder, startInfo: start);
            if (!process.HasExited) process.Kill();
            process.WaitForExit();
            Directory.Delete(folder, recursive: true);
            lock (log) errors.AppendLine($"port {port}: {log}");
        }
        throw new InvalidOperationException($"redis-server ({executable}) did not start:{Environment.NewLine}{errors}");
    }

    private static (Process Process, StringBuilder Log) Launch(ProcessStartInfo start)
    {
        var process = Process.Start(start)!;
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, log);
    }

    private static bool WaitForPing(int port, Process process, bool needsPassword)
    {
        var expected = needsPassword ? "NOAUTH" : "PONG";
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(15) && !process.HasExited)
        {
            try
            {
                if (RespLine.Send("127.0.0.1", port, "PING") == "PONG") return true;
            }
            catch (InvalidOperationException e) when (e.Message.Contains(expected))
            {
                return true; // listening, and asking for the password it was given
            }
            catch (SocketException)
            {
                // Not listening yet.
            }
            catch (InvalidOperationException e) when (e.Message.Contains("LOADING"))
            {
                // Listening, but still reading its data from disk.
            }
            Thread.Sleep(20); // polling a port that has no event to await
        }
        return false;
    }

    private static RedisTestServer? StartContainer()
    {
        var container = new Testcontainers.Redis.RedisBuilder("redis:7.0").Build();
        try
        {
            container.StartAsync().Wait(TimeSpan.FromMinutes(2));
        }
        catch (Exception)
        {
            // No Docker engine answers; the caller says what to install instead.
            container.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
            return null;
        }
        var endpoint = container.GetConnectionString();
        var colon = endpoint.LastIndexOf(':');
        return new RedisTestServer(endpoint[..colon], int.Parse(endpoint[(colon + 1)..]), $"Testcontainers Redis at {endpoint}", 16, container: container);
    }

    /// <summary>A TCP port on loopback that nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, name))
        .FirstOrDefault(File.Exists);
}
