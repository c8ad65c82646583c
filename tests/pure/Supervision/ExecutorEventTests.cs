using Arq.Supervision;
using Arq.Worker;

namespace Arq.Tests.Supervision;

/// <summary>The executor's JSON lines and settings: what the supervisor reads is what the executor wrote.</summary>
public sealed class ExecutorEventTests
{
    [Fact]
    public void Log_and_fatal_events_survive_their_json_lines()
    {
        foreach (ExecutorEvent executorEvent in (ExecutorEvent[])
                 [new ExecutorEvent.Log(ExecutorLogLevel.Warning, "a \"quoted\" line\nand a second"), new ExecutorEvent.Fatal("actors.ps1:3:1: Missing closing '}'")])
            Assert.Equal(executorEvent, ExecutorEvent.Parse(executorEvent.ToJson()));
    }

    [Fact]
    public void Ready_and_stopped_events_survive_their_json_lines()
    {
        var at = new DateTime(2026, 11, 30, 13, 0, 0, DateTimeKind.Utc);
        StartupStep[] startup = [new("process", at), new("pwsh", at.AddSeconds(0.61)), new("Redis", at.AddSeconds(0.93))];
        var ready = (ExecutorEvent.Ready)ExecutorEvent.Parse(new ExecutorEvent.Ready(42, ["A.B", "c"], startup).ToJson());
        var stopped = (ExecutorEvent.Stopped)ExecutorEvent.Parse(new ExecutorEvent.Stopped(new WorkerSummary(1, 2, 3, 4, TimeSpan.FromSeconds(5))).ToJson());

        Assert.Equal(42, ready.ProcessId);
        Assert.Equal(["A.B", "c"], ready.Functions);
        Assert.Equal(startup, ready.Startup);
        Assert.Equal(DateTimeKind.Utc, ready.Startup[0].At.Kind);
        Assert.Equal("0.93 s: pwsh 0.61 s, Redis 0.32 s", StartupStep.Describe(ready.Startup));
        Assert.Equal(new WorkerSummary(1, 2, 3, 4, TimeSpan.FromSeconds(5)), stopped.Summary);
    }

    [Theory]
    [InlineData("plain text from a script")]
    [InlineData("{not json")]
    [InlineData("{\"event\":\"nonsense\"}")]
    public void A_line_that_is_not_ours_is_logged_as_it_is(string line) =>
        Assert.Equal(new ExecutorEvent.Log(ExecutorLogLevel.Information, line), ExecutorEvent.Parse(line));

    [Fact]
    public void Only_lines_with_the_run_s_token_are_events_so_a_job_cannot_forge_one()
    {
        var output = new StringWriter();
        var writer = new LogLineWriter(output) { EventToken = "S3CRET " };
        writer.Write(new ExecutorEvent.Fatal("real"));
        var forged = new ExecutorEvent.Fatal("forged by a job").ToJson();

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(new ExecutorEvent.Fatal("real"), ExecutorEvent.Parse(Assert.Single(lines), "S3CRET "));
        Assert.Equal(new ExecutorEvent.Log(ExecutorLogLevel.Information, forged), ExecutorEvent.Parse(forged, "S3CRET "));
    }

    [Fact]
    public void Settings_travel_as_one_json_line_with_the_worker_options()
    {
        var settings = new ExecutorSettings
        {
            Redis = "redis://:pw@host/2", ScriptPath = "/a.ps1", Assemblies = ["/b.dll"],
            Worker = new() { Queues = ["high", "low"], MaxJobs = 7, Burst = true, KeepResult = TimeSpan.Zero, LeaseTime = TimeSpan.FromSeconds(3) },
        };

        var json = settings.ToJson();
        var back = ExecutorSettings.FromJson(json);

        Assert.DoesNotContain('\n', json);
        Assert.Equal((settings.Redis, settings.ScriptPath), (back.Redis, back.ScriptPath));
        Assert.Equal(["/b.dll"], back.Assemblies);
        Assert.Equal(["high", "low"], back.Worker.Queues);
        Assert.Equal(settings.Worker with { Queues = back.Worker.Queues }, back.Worker);
        Assert.Same(TimeProvider.System, back.Worker.Clock); // not sent, and not left null by the generated reader
    }

    [Fact]
    public void The_log_writer_neither_writes_nor_formats_lines_below_its_minimum_level()
    {
        var output = new StringWriter();
        var writer = new LogLineWriter(output) { MinimumLevel = ExecutorLogLevel.Warning };
        Microsoft.Extensions.Logging.ILogger logger = writer;

        writer.Log(ExecutorLogLevel.Information, "job line");
        writer.Log(ExecutorLogLevel.Warning, "a failed job");

        Assert.False(logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information));
        Assert.True(logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Error));
        Assert.Equal([new ExecutorEvent.Log(ExecutorLogLevel.Warning, "a failed job")],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Select(ExecutorEvent.Parse));
    }

    [Fact]
    public void The_log_writer_writes_one_line_per_event_and_serves_as_the_worker_logger()
    {
        var output = new StringWriter();
        var writer = new LogLineWriter(output);
        Microsoft.Extensions.Logging.ILogger logger = writer;

        writer.Log(ExecutorLogLevel.Information, "one");
        Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(logger, "two {Value}", 2);

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([new ExecutorEvent.Log(ExecutorLogLevel.Information, "one"), new ExecutorEvent.Log(ExecutorLogLevel.Warning, "two 2")],
            lines.Select(ExecutorEvent.Parse));
    }
}
