using System.Diagnostics;
using System.Reflection;

namespace Arq.Tests.Hosting;

/// <summary>The sample worker service run as a service manager runs it: its own process on a real redis-server,
/// stopped by SIGTERM.</summary>
public sealed class SampleServiceTests : IDisposable
{
    private readonly RedisTestDatabase db = RedisTestServer.Shared.CreateDatabase();

    private static string SamplePath => typeof(SampleServiceTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "SampleWorkerService").Value!;

    [Fact]
    public async Task The_sample_runs_jobs_and_SIGTERM_stops_it_gracefully_handing_the_running_job_back()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "SIGTERM is a Unix signal; Windows services stop through the service manager.");
        var start = new ProcessStartInfo("dotnet", [SamplePath, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(SamplePath)!,
            Environment =
            {
                ["Arq__Redis"] = db.Url, ["Arq__Worker__PollDelay"] = "00:00:00.050", ["Arq__Worker__ShutdownDelay"] = "00:00:01",
                ["DOTNET_ENVIRONMENT"] = "Production",
            },
        };
        var output = new List<string>();
        using var service = Process.Start(start)!;
        service.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        service.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        service.BeginOutputReadLine();
        service.BeginErrorReadLine();
        try
        {
            await using var client = await ArqClient.ConnectAsync(db.Url);
            var quick = (await client.EnqueueAsync("Reports.Build", "acme"))!;
            Assert.Equal(40, await quick.GetResultAsync<int>(TimeSpan.FromSeconds(60)));
            var slow = (await client.EnqueueAsync("Reports.Build", ["globex"], new Dictionary<string, object?> { ["seconds"] = 600 }))!;
            await Eventually.Until(async () => await slow.GetStatusAsync() == JobStatus.InProgress, "the long job running");

            using (var kill = Process.Start("kill", ["-TERM", service.Id.ToString()])) await kill.WaitForExitAsync();
            await service.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

            Assert.True(service.ExitCode == 0, $"exit code {service.ExitCode}: {string.Join("\n", output)}");
            Assert.Equal(JobStatus.Queued, await slow.GetStatusAsync()); // handed back: no job lost, its try given back
            Assert.Empty(await client.GetWorkersAsync());
            lock (output) Assert.Contains(output, line => line.Contains("Built the report of acme"));
        }
        finally
        {
            if (!service.HasExited) service.Kill(entireProcessTree: true);
        }
    }

    public void Dispose()
    {
        db.Dispose();
        GC.SuppressFinalize(this);
    }
}
