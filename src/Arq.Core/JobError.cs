using System.Text.RegularExpressions;
using Arq.Protocol;
using MessagePack;

namespace Arq;

/// <summary>
/// The error of a failed job. msgpack cannot carry exception objects, so a failed result's <c>r</c> is a string:
/// Arq workers write <c>"Type: message"</c>, which Python arq's <c>Job.result()</c> shows as
/// <c>SerializationError('Type: message')</c>; Python arq workers write <c>"unable to serialize result"</c>
/// (docs/protocol.md §8), which has no type.
/// </summary>
/// <param name="Type">The error's type name, when the worker recorded one.</param>
/// <param name="Message">The error's message.</param>
public sealed partial record JobError(string? Type, string Message)
{
    /// <summary>The text to store in a failed result's <c>r</c>.</summary>
    public override string ToString() => Type is null ? Message : $"{Type}: {Message}";

    /// <summary>Reads the error from a failed result's <c>r</c>.</summary>
    public static JobError FromResult(PackedValue result)
    {
        if (result.Type != MessagePackType.String) return new JobError(null, result.ToString());
        var text = result.Deserialize<string>();
        var match = TypePrefix().Match(text);
        return match.Success
            ? new JobError(match.Groups[1].Value, text[match.Length..])
            : new JobError(null, text);
    }

    [GeneratedRegex(@"^([A-Za-z_][\w.`+]*): ")]
    private static partial Regex TypePrefix();
}
