using System.Reflection;
using Arq.Protocol;

namespace Arq.Tests;

/// <summary>The Lua scripts as the worker and client send them: each from its file, with the shared names before it.</summary>
public sealed class ScriptTests
{
    public static TheoryData<string> Scripts() =>
        [.. typeof(ArqScripts).GetFields(BindingFlags.Public | BindingFlags.Static).Select(field => field.Name)];

    [Theory, MemberData(nameof(Scripts))]
    public void A_script_comes_from_its_file_and_names_keys_only_through_the_shared_names(string name)
    {
        var script = (string)typeof(ArqScripts).GetField(name)!.GetValue(null)!;

        Assert.StartsWith($"local JOB, IN_PROGRESS, RETRY, RESULT = '{ArqKeys.JobPrefix}'", script);
        Assert.Contains("\n-- ", script); // the file's header: what it does, its KEYS and ARGV
        Assert.DoesNotContain("'arq:", script.Split('\n', 4)[3]);
    }

    [Fact]
    public void The_finish_script_steps_through_its_arguments_as_the_builder_lays_them_out()
    {
        var arguments = new FinishArguments(2)
            .Add("a", "q", cron: false, success: true, TimeSpan.FromSeconds(2), "r", writtenBeside: false)
            .Add("b", "q", cron: true, success: false, Timeout.InfiniteTimeSpan, "r", writtenBeside: true)
            .ToArray();

        Assert.Contains($"for i = 2, #ARGV, {FinishArguments.Stride} do", ArqScripts.Finish);
        Assert.Equal(["arq:abort", "a", "q", "0", "1", "2000", "r", "b", "q", "1", "0", "x", ""], arguments.Select(v => (string)v!));
        Assert.Throws<InvalidOperationException>(() => new FinishArguments(2).Add("a", "q", false, true, TimeSpan.Zero, "", false).ToArray());
    }
}
