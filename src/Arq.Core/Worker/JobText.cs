using Arq.Protocol;

namespace Arq.Worker;

/// <summary>Short text of arguments and results for log lines, as arq logs them.</summary>
internal static class JobText
{
    private const int MaxLength = 80;

    public static string Arguments(JobMessage job) => Shorten(string.Join(", ",
        job.Args.Select(a => a.ToString()).Concat(job.Kwargs.Select(k => $"{k.Key}={k.Value}"))));

    public static string Shorten(string text) => text.Length <= MaxLength ? text : text[..(MaxLength - 1)] + "…";
}
