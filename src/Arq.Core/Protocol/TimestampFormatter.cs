using MessagePack;
using MessagePack.Formatters;

namespace Arq.Protocol;

/// <summary>
/// Dates travel as the MessagePack timestamp extension (type -1), an instant in UTC, which Python's msgpack reads as
/// a timezone-aware <c>datetime</c> with <c>timestamp=3</c> and writes with <c>datetime=True</c>. A
/// <see cref="DateTimeOffset"/> keeps its instant but not its offset: it comes back at offset zero. A local or
/// unspecified <see cref="DateTime"/> is taken as local time, as <see cref="DateTime.ToUniversalTime"/> does.
/// MessagePack's own formatter would write a DateTimeOffset as an array, which no other language reads as a date.
/// </summary>
internal sealed class TimestampFormatter : IMessagePackFormatter<DateTime>, IMessagePackFormatter<DateTimeOffset>
{
    public static readonly TimestampFormatter Instance = new();

    public void Serialize(ref MessagePackWriter writer, DateTime value, MessagePackSerializerOptions options) =>
        writer.Write(value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime());

    public DateTime Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) => Read(ref reader);

    public void Serialize(ref MessagePackWriter writer, DateTimeOffset value, MessagePackSerializerOptions options) =>
        writer.Write(value.UtcDateTime);

    DateTimeOffset IMessagePackFormatter<DateTimeOffset>.Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        new(Read(ref reader));

    /// <summary>Reads a timestamp extension as a UTC <see cref="DateTime"/>, with an error that names what came instead.</summary>
    internal static DateTime Read(ref MessagePackReader reader)
    {
        if (reader.NextMessagePackType == MessagePackType.Extension
            && reader.CreatePeekReader().ReadExtensionFormatHeader().TypeCode == ReservedMessagePackExtensionTypeCode.DateTime)
            return reader.ReadDateTime();
        throw new MessagePackSerializationException($"Expected a date (the MessagePack timestamp extension) but found {reader.NextMessagePackType}.");
    }
}
