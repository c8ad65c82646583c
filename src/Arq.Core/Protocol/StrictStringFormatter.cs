using System.Buffers;
using System.Text;
using MessagePack;
using MessagePack.Formatters;

namespace Arq.Protocol;

/// <summary>
/// Reads MessagePack strings as strict UTF-8: invalid bytes fail the decoding, as they fail Python's
/// <c>unpackb(raw=False)</c>, instead of turning silently into U+FFFD and reaching a job function as other text.
/// </summary>
internal sealed class StrictStringFormatter : IMessagePackFormatter<string?>
{
    public static readonly StrictStringFormatter Instance = new();

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public void Serialize(ref MessagePackWriter writer, string? value, MessagePackSerializerOptions options) => writer.Write(value);

    public string? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) => Read(ref reader);

    public static string? Read(ref MessagePackReader reader)
    {
        if (reader.TryReadNil()) return null;
        var bytes = reader.ReadStringSequence()!.Value;
        try
        {
            return bytes.IsSingleSegment ? Utf8.GetString(bytes.FirstSpan) : Utf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException e)
        {
            throw new ArqDataException($"A string is not valid UTF-8 (at byte {e.Index}).");
        }
    }
}
