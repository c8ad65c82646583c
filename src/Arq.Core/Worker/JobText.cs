using Arq.Protocol;

namespace Arq.Worker;

/// <summary>Short text of arguments and results for log lines, as arq logs them.</summary>
internal static class JobText
{
    private const int MaxLength = 80;

    public static string Arguments(IReadOnlyList<PackedValue> args, IReadOnlyDictionary<string, PackedValue> kwargs) => Shorten(string.Join(", ",
        args.Select(a => a.ToString()).Concat(kwargs.Select(k => $"{k.Key}={k.Value}"))));

    public static string Shorten(string text) => text.Length <= MaxLength ? text : text[..(MaxLength - 1)] + "…";
}
