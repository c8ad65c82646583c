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
    /// <summary>The options every Arq component uses to encode and decode values.</summary>
    public static MessagePackSerializerOptions Options { get; } = MessagePackSerializerOptions.Standard
        .WithResolver(CompositeResolver.Create(
            new IMessagePackFormatter[] { PlainObjectFormatter.Instance, TimestampFormatter.Instance, StrictStringFormatter.Instance },
            new IFormatterResolver[] { ContractlessStandardResolver.Instance }))
        .WithSecurity(MessagePackSecurity.UntrustedData);
}
