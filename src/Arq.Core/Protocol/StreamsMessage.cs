using System.Buffers;
using MessagePack;

namespace Arq.Protocol;

/// <summary>
/// A job's streams as Arq keeps them beside its result (<see cref="ArqKeys.Streams"/>, an Arq-only key that Python arq
/// never reads): <c>[1, dropped, [[stream, message, time ms, [tags], error], ...]]</c>, the first value a version,
/// error nil or <c>[error id, category, activity, target name, target type, exception type, script stack trace,
/// position, terminating]</c>, absent strings nil.
/// </summary>
internal static class StreamsMessage
{
    private const int Version = 1;
    private const string What = "job streams";

    public static byte[] Encode(JobStreams streams)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(3);
        writer.Write(Version);
        writer.Write(streams.Dropped);
        writer.WriteArrayHeader(streams.Records.Count);
        foreach (var record in streams.Records)
        {
            writer.WriteArrayHeader(5);
            writer.Write((int)record.Stream);
            writer.Write(record.Message);
            writer.Write(record.Time.ToUnixTimeMilliseconds());
            writer.WriteArrayHeader(record.Tags.Count);
            foreach (var tag in record.Tags) writer.Write(tag);
            WriteError(ref writer, record.Error);
        }
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteError(ref MessagePackWriter writer, JobStreamError? error)
    {
        if (error is null)
        {
            writer.WriteNil();
            return;
        }
        writer.WriteArrayHeader(9);
        foreach (var text in (string?[])[error.ErrorId, error.Category, error.Activity, error.TargetName, error.TargetType, error.ExceptionType, error.ScriptStackTrace, error.Position])
            writer.Write(text);
        writer.Write(error.Terminating);
    }

    private static JobStreamError? ReadError(ref MessagePackReader reader, int record)
    {
        if (reader.TryReadNil()) return null;
        if (reader.ReadArrayHeader() < 9) throw new ArqProtocolException($"The error of record {record} of the {What} has too few fields.");
        return new JobStreamError
        {
            ErrorId = reader.ReadString(), Category = reader.ReadString(), Activity = reader.ReadString(), TargetName = reader.ReadString(),
            TargetType = reader.ReadString(), ExceptionType = reader.ReadString(), ScriptStackTrace = reader.ReadString(), Position = reader.ReadString(),
            Terminating = reader.ReadBoolean(),
        };
    }

    /// <exception cref="ArqProtocolException">The bytes are not a job's streams; the message says why.</exception>
    public static JobStreams Decode(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            var reader = new MessagePackReader(bytes);
            if (reader.ReadArrayHeader() < 3 || reader.ReadInt32() != Version) throw new ArqProtocolException($"The {What} are not of version {Version}.");
            var dropped = reader.ReadInt64();
            var records = new JobStreamRecord[reader.ReadArrayHeader()];
            for (var i = 0; i < records.Length; i++)
            {
                if (reader.ReadArrayHeader() < 5) throw new ArqProtocolException($"Record {i} of the {What} has too few fields.");
                var stream = (JobStream)reader.ReadInt32();
                if (!Enum.IsDefined(stream)) throw new ArqProtocolException($"Record {i} of the {What} names no stream ({(int)stream}).");
                var message = reader.ReadString() ?? "";
                var time = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64());
                var tags = new string[reader.ReadArrayHeader()];
                for (var t = 0; t < tags.Length; t++) tags[t] = reader.ReadString() ?? "";
                records[i] = new JobStreamRecord(stream, message, time) { Tags = tags, Error = ReadError(ref reader, i) };
            }
            return new JobStreams(records, dropped);
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or ArgumentOutOfRangeException)
        {
            throw new ArqProtocolException($"The {What} are not valid: {e.Message}", e);
        }
    }
}
