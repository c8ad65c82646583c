using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace Arq.Protocol;

/// <summary>
/// The MessagePack settings for arguments and results: standard resolvers only (records and POCOs travel as
/// maps keyed by member name), plain values in Python's encoding, dates as the timestamp extension, strings as
/// strict UTF-8, limits for untrusted data. Typeless is never
/// used, so nothing in a message can name a type to create.
/// </summary>
public static class ArqMessagePack
{
    /// <summary>
    /// How deep a value may nest (lists in lists, maps in maps), on every path: encoding an argument or a result,
    /// decoding one, converting a PowerShell value. Python's msgpack packs a job at most 511 levels deep, two of them
    /// the job's own, so every value a Python client can send fits; it reads 1,024, so every value Arq writes reads in
    /// Python. A deeper value fails with an error that names this limit, and a value that holds itself cannot
    /// overflow the stack.
    /// </summary>
    public const int MaxDepth = 512;

    /// <summary>The options every Arq component uses to encode and decode values.</summary>
    public static MessagePackSerializerOptions Options { get; } = MessagePackSerializerOptions.Standard
        .WithResolver(CompositeResolver.Create(
            new IMessagePackFormatter[] { PlainObjectFormatter.Instance, TimestampFormatter.Instance, StrictStringFormatter.Instance },
            new IFormatterResolver[] { GeneratedFormatters.Instance, ContractlessStandardResolver.Instance }))
        .WithSecurity(ArqSecurity.Untrusted.WithMaximumObjectGraphDepth(MaxDepth));

    /// <summary>What a value deeper than <see cref="MaxDepth"/> is told, on whichever path it is found.</summary>
    internal static readonly string TooDeep = $"A value nests deeper than {MaxDepth} levels, the most Arq takes (ArqMessagePack.MaxDepth).";

    /// <summary>Why a value could not be encoded or decoded, in words: Arq's own reason where there is one (a string
    /// that is not UTF-8, a value too deep), else the innermost of MessagePack's messages, not the "Failed to
    /// serialize ..." that MessagePack wraps around it at each level.</summary>
    internal static string Reason(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is ArqDataException) return inner.Message;
            if (inner is InsufficientExecutionStackException) return TooDeep;
            if (inner.InnerException is null) return inner.Message;
        }
        return e.Message;
    }
}
