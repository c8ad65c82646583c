using System.Buffers;
using MessagePack;

namespace Arq.Protocol;

/// <summary>
/// A job's progress as workers publish it on <see cref="ArqKeys.ProgressChannel"/> (Arq-only):
/// <c>[activity, status, activity id, parent id, percent, seconds left, current operation, completed]</c>.
/// </summary>
internal static class ProgressMessage
{
    private const int Fields = 8;

    public static byte[] Encode(JobProgress progress)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(Fields);
        writer.Write(progress.Activity);
        writer.Write(progress.Status);
        writer.Write(progress.ActivityId);
        writer.Write(progress.ParentActivityId);
        writer.Write(progress.PercentComplete);
        writer.Write(progress.SecondsRemaining);
        writer.Write(progress.CurrentOperation);
        writer.Write(progress.Completed);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The progress, or null when the bytes are not a progress message (a stray publish on the channel).</summary>
    public static JobProgress? TryDecode(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            var reader = new MessagePackReader(bytes);
            if (reader.ReadArrayHeader() < Fields) return null;
            return new JobProgress(reader.ReadString() ?? "", reader.ReadString() ?? "")
            {
                ActivityId = reader.ReadInt32(), ParentActivityId = reader.ReadInt32(), PercentComplete = reader.ReadInt32(),
                SecondsRemaining = reader.ReadInt32(), CurrentOperation = reader.ReadString(), Completed = reader.ReadBoolean(),
            };
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException)
        {
            return null;
        }
    }
}
