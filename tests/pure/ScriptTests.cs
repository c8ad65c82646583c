using System.Reflection;
using Arq.Protocol;

namespace Arq.Tests;

/// <summary>The Lua scripts as the worker and client send them: each from its file, with the shared numbers before it,
/// touching only the keys it is given (Redis Cluster routes a script by its KEYS, and refuses a key it was not given in
/// another slot).</summary>
public sealed class ScriptTests
{
    public static TheoryData<string> Scripts() =>
        [.. typeof(ArqScripts).GetFields(BindingFlags.Public | BindingFlags.Static).Select(field => field.Name)];

    [Theory, MemberData(nameof(Scripts))]
    public void A_script_comes_from_its_file_and_builds_no_key(string name)
    {
        var script = (string)typeof(ArqScripts).GetField(name)!.GetValue(null)!;
        var code = string.Join('\n', script.Split('\n').Skip(1).Where(line => !line.TrimStart().StartsWith("--", StringComparison.Ordinal)));
        // A line that joins strings into something else says so (claim.lua's rate limit members).
        code = string.Join('\n', code.Split('\n').Where(line => !line.Contains("-- a member, not a key", StringComparison.Ordinal)));

        Assert.StartsWith("local RETRY_KEY_SECONDS, CRON_PROGRESS_KEEP_MS", script);
        Assert.Contains("\n-- ", script); // the file's header: what it does, its KEYS and ARGV
        Assert.Contains("KEYS[", code);
        Assert.DoesNotContain("..", code); // no string is joined: every key comes whole from KEYS
        Assert.DoesNotContain("'arq:", code);
    }

    [Fact]
    public void The_finish_script_steps_through_its_keys_and_arguments_as_the_builder_lays_them_out()
    {
        var queue = QueueKeys.For("emails", KeyLayout.Cluster);
        var arguments = new FinishArguments(queue, 2, now: 1000, deadLetters: (10, TimeSpan.FromSeconds(60)))
            .Add("a", cron: false, success: true, TimeSpan.FromSeconds(2), "r", writtenBeside: false)
            .Add("b", cron: true, success: false, Timeout.InfiniteTimeSpan, "r", writtenBeside: true, children: [("c", "emails"), ("d", "emails")]);

        Assert.Contains($"local k, a = {FinishArguments.QueueKeys + 1}, {FinishArguments.CallValues + 1}", ArqScripts.Finish);
        Assert.Contains($"if given < 0 then k = k + {FinishArguments.KeysPerJob} else k = k + {FinishArguments.KeysPerJob + 1} + {FinishArguments.KeysPerChild} * given end", ArqScripts.Finish);
        Assert.Contains($"a = a + {FinishArguments.ValuesPerJob} + math.max(given, 0)", ArqScripts.Finish);
        Assert.Equal(["{emails}", "{emails}:abort", "{emails}:stats", "{emails}:failures", "{emails}:completed", "{emails}:dead", "{emails}:dead-at", "{emails}:parents",
            "{emails}:result:a", "{emails}:in-progress:a", "{emails}:retry:a", "{emails}:job:a",
            "{emails}:result:b", "{emails}:in-progress:b", "{emails}:retry:b", "{emails}:job:b", "{emails}:children:b",
            "{emails}:after:c", "{emails}", "{emails}:waiting", "{emails}:after:d", "{emails}", "{emails}:waiting"], arguments.Keys.Select(k => (string)k!));
        // A failed job's result goes to the script for its dead letter, even when the worker SETs the result itself.
        Assert.Equal(["1000", "10", "60000", "a", "0", "1", "2000", "r", "-1", "b", "1", "0", "x", "r", "2", "c", "d"], arguments.Values.Select(v => (string)v!));
    }

    [Fact]
    public void Arq_layout_keeps_arq_names_and_cluster_layout_tags_every_key_with_its_queue()
    {
        var arq = QueueKeys.For("emails");
        var cluster = QueueKeys.For("emails", KeyLayout.Cluster);

        Assert.Equal(["emails", "arq:abort", "arq:job:1", "arq:in-progress:1", "arq:retry:1", "arq:result:1", "emails:health-check"],
            new[] { arq.Queue, arq.Abort, arq.Job("1"), arq.InProgress("1"), arq.Retry("1"), arq.Result("1"), arq.HealthCheck }.Select(k => (string)k!));
        RedisKeyShape[] clusterKeys = [.. new[] { cluster.Queue, cluster.Abort, cluster.Job("1"), cluster.InProgress("1"), cluster.Retry("1"),
            cluster.Result("1"), cluster.Streams("1"), cluster.HealthCheck, cluster.Stats, cluster.Failures, cluster.Completed, cluster.CronSchedule }
            .Select(k => new RedisKeyShape((string)k!))];
        Assert.All(clusterKeys, key => Assert.Equal("emails", key.HashTag));
        Assert.Equal("{emails}:job:1", (string)cluster.Job("1")!);
    }

    /// <summary>The hash tag of a key as Redis Cluster reads it: what lies between the first { and the } after it.</summary>
    private readonly record struct RedisKeyShape(string Key)
    {
        public string? HashTag => Key.IndexOf('{') is var open and >= 0 && Key.IndexOf('}', open + 1) is var close and > 0 && close > open + 1
            ? Key[(open + 1)..close]
            : null;
    }
}
